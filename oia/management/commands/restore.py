"""Restore a backup written by `manage.py backup` into an empty database: see oia.backups."""

from django.core.management.base import BaseCommand, CommandError

from oia.backups import BackupError
from oia.restores import backup_restore


class Command(BaseCommand):
    help = (
        "Restore the backup PATH into the configured database, which must be empty, and its files into "
        "the configured storage. Every checksum is verified first; a damaged backup is refused."
    )
    # The target database is empty: checks that read it would fail before restore could begin.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        try:
            result = backup_restore(source=path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = result.manifest
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {manifest['snapshot_at']} (app version {manifest['app_version']}) "
                f"in {result.seconds:.1f} s: database, {result.files_restored} files put back "
                f"({result.files_present} already present)."
            )
        )
        if manifest["missing_files"]:
            self.stderr.write(
                f"Warning: {len(manifest['missing_files'])} files were already missing when the backup was made "
                "(missing_files in its manifest); their records are restored without them."
            )
        if result.newer_migrations:
            self.stdout.write(
                f"This version of the app has {len(result.newer_migrations)} migrations newer than the backup "
                f"({', '.join(result.newer_migrations[:5])}{' …' if len(result.newer_migrations) > 5 else ''}): "
                "run `manage.py migrate` before starting the app."
            )
        else:
            self.stdout.write("The database is at this version's migrations: the app can start.")
