"""The audit trail: every change to the office's records, kept by PostgreSQL triggers.

This package is the one place that knows every app's models (like ``demo``): it
declares which tables are tracked and holds their event tables, so the apps
themselves stay unaware of it and their migrations untouched. Reading the trail
goes through ``oia.audit``, which finds the event models at run time.
"""
