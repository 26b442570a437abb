#!/usr/bin/env python
"""Django's command-line utility."""

import os
import sys

# The web server's requests carry their own context (oia.audit.AuditMiddleware).
UNRECORDED = {"runserver", "help"}


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oia.settings.local")
    from django.core.management import execute_from_command_line

    if len(sys.argv) < 2 or sys.argv[1] in UNRECORDED:
        execute_from_command_line(sys.argv)
        return
    # The audit trail records the command with every change it makes (oia.audit).
    import pghistory

    with pghistory.context(command=sys.argv[1]):
        execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
