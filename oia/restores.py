"""Restore a backup written by ``oia.backups``: every checksum is verified
before anything is written; the database must be empty; the files go back
first (identical ones already in storage are kept, so a restore that failed can
simply be run again), then the dump in one transaction."""

import hashlib
import json
import shutil
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from .backups import (
    CHUNK,
    DUMP,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MANIFEST_CHECKSUM,
    MEDIA,
    BackupError,
    client_version,
    libpq_environment,
    major_version,
    sha256_of,
)

EMPTY_DATABASE_HELP = (
    "Restore only into an empty database: create one with "
    "`createdb -h HOST -U USER -T template0 NAME` (or `CREATE DATABASE name TEMPLATE template0;` in psql), "
    "point DATABASE_URL at it and run restore again."
)


@dataclass
class RestoreResult:
    manifest: dict
    files_restored: int = 0
    files_present: int = 0
    newer_migrations: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _damaged(name: str, why: str) -> BackupError:
    return BackupError(f"The backup is damaged: {name} {why}. Nothing was restored.")


def _read_manifest(tar: tarfile.TarFile) -> dict:
    """The manifest, after checking it against its own checksum."""
    try:
        data = tar.extractfile(MANIFEST).read()
        expected = tar.extractfile(MANIFEST_CHECKSUM).read().decode().split()[0]
    except (KeyError, AttributeError, IndexError, UnicodeDecodeError) as exc:
        raise BackupError(f"This is not an oia backup: {MANIFEST} or {MANIFEST_CHECKSUM} is missing.") from exc
    if hashlib.sha256(data).hexdigest() != expected:
        raise _damaged(MANIFEST, f"does not match {MANIFEST_CHECKSUM}")
    manifest = json.loads(data)
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"This is not an oia backup of format version {FORMAT_VERSION}.")
    return manifest


def _verify_members(tar: tarfile.TarFile, manifest: dict) -> None:
    """Every file the manifest lists is in the backup with its size and SHA-256."""
    entries = [(DUMP, manifest["dump"])] + [(MEDIA + entry["name"], entry) for entry in manifest["files"]]
    for member_name, entry in entries:
        try:
            stream = tar.extractfile(member_name)
        except KeyError:
            stream = None
        if stream is None:
            raise _damaged(member_name, "is missing")
        if sha256_of(stream) != (entry["sha256"], entry["size"]):
            raise _damaged(member_name, "does not match its checksum in the manifest")


def _refuse_a_newer_backup(manifest: dict) -> None:
    """A backup whose database has migrations this code does not know comes
    from a newer version of the app: that code must restore it."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    known.update(replaced for migration in loader.disk_migrations.values() for replaced in migration.replaces)
    unknown = [
        f"{app}.{name}"
        for app, name in manifest["migrations"].items()
        if app in loader.migrated_apps and (app, name) not in known
    ]
    if unknown:
        raise BackupError(
            f"This backup was made by a newer version of oia ({manifest['app_version']}): this code does not "
            f"know its migrations {', '.join(sorted(unknown))}. Restore it with that version or a newer one."
        )


def _refuse_a_database_in_use() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_class JOIN pg_namespace ON pg_namespace.oid = relnamespace "
            "WHERE nspname = 'public' AND relkind IN ('r', 'p', 'v', 'm', 'f')"
        )
        tables = cursor.fetchone()[0]
    if tables:
        raise BackupError(
            f"The database {connection.settings_dict['NAME']} is not empty ({tables} tables in its public schema). "
            + EMPTY_DATABASE_HELP
        )


def _files_to_put(manifest: dict) -> list[dict]:
    """The backup's files not yet in storage; refuses when one is there with other content."""
    to_put, conflicts = [], []
    for entry in manifest["files"]:
        if not default_storage.exists(entry["name"]):
            to_put.append(entry)
            continue
        with default_storage.open(entry["name"], "rb") as handle:
            if sha256_of(handle) != (entry["sha256"], entry["size"]):
                conflicts.append(entry["name"])
    if conflicts:
        raise BackupError(
            f"The storage already holds {len(conflicts)} of the backup's files with other content "
            f"({', '.join(conflicts[:5])}{' …' if len(conflicts) > 5 else ''}): restore into empty storage. "
            "Nothing was restored."
        )
    return to_put


def _put_file(tar: tarfile.TarFile, entry: dict) -> None:
    stream = tar.extractfile(MEDIA + entry["name"])
    content = File(stream, name=entry["name"])
    content.size = entry["size"]
    saved = default_storage.save(entry["name"], content)
    if saved != entry["name"]:
        default_storage.delete(saved)
        raise BackupError(f"The storage saved {entry['name']} as {saved}: restore into empty storage.")


def _pg_restore(tar: tarfile.TarFile, work: str) -> None:
    dump_path = Path(work) / DUMP
    with tar.extractfile(DUMP) as stream, dump_path.open("wb") as copy:
        shutil.copyfileobj(stream, copy, CHUNK)
    done = subprocess.run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            "--no-password",
            f"--dbname={connection.settings_dict['NAME']}",
            str(dump_path),
        ],
        env=libpq_environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BackupError(f"pg_restore failed, the database is left as it was: {done.stderr.strip()}")


def unapplied_migrations() -> list[str]:
    """The migrations of this code that the database has not applied."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def backup_restore(*, source: Path) -> RestoreResult:
    """Restore the backup at ``source`` into the configured (empty) database and
    storage. Every check comes before the first write."""
    started = time.monotonic()
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source} is not a file.")
    try:
        with tarfile.open(source, "r:") as tar:
            manifest = _read_manifest(tar)
            _verify_members(tar, manifest)
            _refuse_a_newer_backup(manifest)
            dumped_with = manifest["database"]["pg_dump_version"]
            if major_version(client_version("pg_restore")) < major_version(dumped_with):
                raise BackupError(
                    f"pg_restore is older than the pg_dump {dumped_with} that made this backup: "
                    f"install the PostgreSQL {major_version(dumped_with)} client tools (or newer)."
                )
            _refuse_a_database_in_use()
            result = RestoreResult(manifest=manifest)
            to_put = _files_to_put(manifest)
            for entry in to_put:
                _put_file(tar, entry)
            result.files_restored = len(to_put)
            result.files_present = len(manifest["files"]) - len(to_put)
            with tempfile.TemporaryDirectory(prefix="oia-restore-") as work:
                _pg_restore(tar, work)
    except tarfile.TarError as exc:
        raise BackupError(f"{source} is not a readable backup (tar): {exc}") from exc
    except OSError as exc:
        raise BackupError(f"Could not restore: {exc}") from exc
    result.newer_migrations = unapplied_migrations()
    result.seconds = time.monotonic() - started
    return result
