"""Write one backup (database and uploaded files) to a new .tar file: see oia.backups."""

from django.core.management.base import BaseCommand, CommandError

from oia.backups import BackupError, backup_create


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


class Command(BaseCommand):
    help = (
        "Write a backup of the database and the uploaded files to TARGET (a new .tar file, "
        "or an existing directory to write oia-backup-<time>.tar into). Restore it with `manage.py restore`."
    )

    def add_arguments(self, parser):
        parser.add_argument("target")

    def handle(self, *args, target, **options):
        try:
            result = backup_create(target=target)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = result.manifest
        files = manifest["files"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {result.path} in {result.seconds:.1f} s: database dump "
                f"{_megabytes(manifest['dump']['size'])} (database {_megabytes(manifest['database']['size_bytes'])}), "
                f"{len(files)} files ({_megabytes(sum(entry['size'] for entry in files))}), "
                f"snapshot at {manifest['snapshot_at']}."
            )
        )
        missing = manifest["missing_files"]
        if missing:
            self.stderr.write(
                f"Warning: {len(missing)} files the database refers to were not in storage and are not in the "
                f"backup (listed under missing_files in the manifest): {', '.join(missing[:5])}"
            )
