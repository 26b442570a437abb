"""The oia project package: settings, URLs, the Celery app, and the pieces
(roles, permissions, base views) that two or more apps use."""

from .celery import app as celery_app

__all__ = ["celery_app"]
