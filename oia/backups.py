"""Backups that restore: one .tar file holding the database and the uploaded files.

One file, because one file is copied off the machine (or into a bucket) whole
or not at all; it is written as ``<name>.partial`` and renamed when complete,
so a backup that exists is a finished one. Inside:

- ``database.dump``: ``pg_dump --format=custom`` of the configured database;
- ``media/<name>``: each uploaded file, read through ``default_storage`` (the
  local disk or object storage alike);
- ``manifest.json``: format, times, app version, the last applied migration of
  each app, the database's size, and the size and SHA-256 of the dump and of
  every file;
- ``manifest.json.sha256``: the manifest's own checksum (``sha256sum -c`` reads it).

Consistency rule: the dump and the list of files come from one database
snapshot (``pg_export_snapshot()``, handed to ``pg_dump --snapshot``). The
files backed up are exactly those the snapshot's rows reference through a
FileField (the audit trail's event tables left out: they name deleted
documents' files, which are gone by design). Uploads are write-once (each name
carries its upload time and a document is replaced by a new file), so a file
read after the snapshot holds what it held at the snapshot; one deleted in the
meantime is listed as missing in the manifest and reported, never silently
dropped. Files only in storage that no row references are not backed up.

Restore verifies every checksum before it touches anything, then puts the
files back (identical ones already there are kept, so a failed restore can
simply be run again) and restores the dump in one transaction into an empty
database.
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from pghistory.models import Event

FORMAT = "oia-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MANIFEST_CHECKSUM = "manifest.json.sha256"
DUMP = "database.dump"
MEDIA = "media/"
CHUNK = 1024 * 1024
# A file read from storage is held in memory up to this size, on disk beyond.
SPOOL_BYTES = 16 * 1024 * 1024
EMPTY_DATABASE_HELP = (
    "Restore only into an empty database: create one with "
    "`createdb -h HOST -U USER -T template0 NAME` (or `CREATE DATABASE name TEMPLATE template0;` in psql), "
    "point DATABASE_URL at it and run restore again."
)


class BackupError(Exception):
    """A backup or restore that was refused or failed, in words for the operator."""


@dataclass
class BackupResult:
    path: Path
    manifest: dict
    seconds: float


@dataclass
class RestoreResult:
    manifest: dict
    files_restored: int = 0
    files_present: int = 0
    newer_migrations: list[str] = field(default_factory=list)
    seconds: float = 0.0


def sha256_of(stream) -> tuple[str, int]:
    """The SHA-256 and length of what is left to read in ``stream``."""
    digest, size = hashlib.sha256(), 0
    for chunk in iter(lambda: stream.read(CHUNK), b""):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _libpq_environment() -> dict[str, str]:
    """The configured database as libpq's variables: the password travels in
    PGPASSWORD, never on a command line other users can read. Inherited PG*
    variables are dropped so the tools reach exactly the configured database."""
    db = connection.settings_dict
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG") or key == "PGPASSFILE"}
    values = {
        "PGHOST": db.get("HOST"),
        "PGPORT": db.get("PORT"),
        "PGUSER": db.get("USER"),
        "PGPASSWORD": db.get("PASSWORD"),
        "PGDATABASE": db.get("NAME"),
    }
    options = db.get("OPTIONS") or {}
    for option in ("sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout"):
        values[f"PG{option.replace('_', '').upper()}"] = options.get(option)
    env.update({key: str(value) for key, value in values.items() if value not in (None, "")})
    return env


def _client_version(program: str) -> str:
    """``program``'s version ("15.20"); refuses a missing program."""
    path = shutil.which(program)
    if path is None:
        raise BackupError(
            f"{program} was not found on PATH. Install the PostgreSQL client tools "
            f"(Debian: postgresql-client) of version {_server_major()} or newer."
        )
    answer = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30, check=False).stdout
    found = re.search(r"(\d+)(?:\.(\d+))?", answer)
    if not found:
        raise BackupError(f"{program} --version said {answer!r}, which names no version.")
    return found.group(0)


def _major(version: str) -> int:
    return int(version.split(".")[0])


def _server_major() -> int:
    connection.ensure_connection()
    return connection.pg_version // 10000


def _app_version() -> str:
    """``git describe`` of the checkout, else the version in pyproject.toml."""
    try:
        described = subprocess.run(
            ["git", "describe", "--tags", "--always", "--dirty"],
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
        if described.returncode == 0 and described.stdout.strip():
            return described.stdout.strip()
    except OSError:
        pass
    try:
        with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as handle:
            return tomllib.load(handle)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def referenced_file_names() -> set[str]:
    """The names every FileField of every model points at (the audit trail's
    event tables excepted), read in the current transaction's snapshot."""
    names = set()
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed or issubclass(model, Event):
            continue
        for model_field in meta.concrete_fields:
            if isinstance(model_field, models.FileField):
                values = model._base_manager.exclude(**{model_field.attname: ""}).exclude(
                    **{f"{model_field.attname}__isnull": True}
                )
                names.update(values.values_list(model_field.attname, flat=True).iterator())
    return names


def _last_migrations(cursor) -> dict[str, str]:
    """The last applied migration of each app, in the order they were applied."""
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY applied, id")
    return dict(cursor.fetchall())


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(time.time()), 0o644
    tar.addfile(info, BytesIO(data))


def _add_stored_file(tar: tarfile.TarFile, name: str, spool_dir: str) -> dict | None:
    """Copy one file from storage into the backup, hashing what is copied;
    None when storage no longer holds it."""
    try:
        handle = default_storage.open(name, "rb")
    except FileNotFoundError:
        return None
    with handle, tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES, dir=spool_dir) as copy:
        digest, size = hashlib.sha256(), 0
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
            copy.write(chunk)
            size += len(chunk)
        copy.seek(0)
        info = tarfile.TarInfo(MEDIA + name)
        info.size, info.mtime, info.mode = size, int(time.time()), 0o644
        tar.addfile(info, copy)
    return {"name": name, "size": size, "sha256": digest.hexdigest()}


def _dump(path: Path) -> tuple[dict, set[str], str]:
    """pg_dump the database and read the names of its files and its migration
    state, all in one snapshot; returns (database facts, file names, snapshot time)."""
    pg_dump_version = _client_version("pg_dump")
    server_major = _server_major()
    if _major(pg_dump_version) < server_major:
        raise BackupError(
            f"pg_dump {pg_dump_version} is older than the database server (PostgreSQL {server_major}): "
            f"install the PostgreSQL {server_major} client tools (or newer)."
        )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot(), pg_database_size(current_database()), now()")
        snapshot, size, taken_at = cursor.fetchone()
        names = referenced_file_names()
        migrations = _last_migrations(cursor)
        done = subprocess.run(
            ["pg_dump", "--format=custom", "--no-password", f"--snapshot={snapshot}", f"--file={path}"],
            env=_libpq_environment(),
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
    database = {
        "server_version": connection.pg_version,
        "pg_dump_version": pg_dump_version,
        "size_bytes": size,
        "snapshot_at": taken_at.astimezone(UTC).isoformat(timespec="seconds"),
        "migrations": migrations,
    }
    return database, names, database["snapshot_at"]


def backup_create(*, target: Path) -> BackupResult:
    """Write one backup to ``target`` (a new .tar file; in an existing directory,
    a new file named after the time). Never overwrites."""
    started = time.monotonic()
    target = Path(target)
    if target.is_dir():
        target = target / f"oia-backup-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.tar"
    if target.exists():
        raise BackupError(f"{target} exists already: a backup is never overwritten, give a new name.")
    partial = target.with_name(target.name + ".partial")
    if partial.exists():
        raise BackupError(f"{partial} exists: another backup is being written, or one failed; remove it first.")
    if not target.parent.is_dir():
        raise BackupError(f"The directory {target.parent} does not exist.")
    try:
        with tempfile.TemporaryDirectory(dir=target.parent, prefix=".oia-backup-") as work:
            dump_path = Path(work) / DUMP
            database, names, snapshot_at = _dump(dump_path)
            with dump_path.open("rb") as handle:
                dump_sha256, dump_size = sha256_of(handle)
            files, missing = [], []
            with tarfile.open(partial, "x", format=tarfile.PAX_FORMAT) as tar:
                tar.add(dump_path, DUMP)
                for name in sorted(names):
                    entry = _add_stored_file(tar, name, work)
                    files.append(entry) if entry else missing.append(name)
                manifest = {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                    "snapshot_at": snapshot_at,
                    "app_version": _app_version(),
                    "database": {key: value for key, value in database.items() if key != "migrations"},
                    "migrations": database["migrations"],
                    "dump": {"name": DUMP, "size": dump_size, "sha256": dump_sha256},
                    "files": files,
                    "missing_files": missing,
                }
                data = json.dumps(manifest, indent=2).encode()
                _add_bytes(tar, MANIFEST, data)
                _add_bytes(tar, MANIFEST_CHECKSUM, f"{hashlib.sha256(data).hexdigest()}  {MANIFEST}\n".encode())
            with partial.open("rb") as handle:
                os.fsync(handle.fileno())
            partial.rename(target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"Could not write the backup: {exc}") from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return BackupResult(path=target, manifest=manifest, seconds=time.monotonic() - started)


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
        env=_libpq_environment(),
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
            if _major(_client_version("pg_restore")) < _major(dumped_with):
                raise BackupError(
                    f"pg_restore is older than the pg_dump {dumped_with} that made this backup: "
                    f"install the PostgreSQL {_major(dumped_with)} client tools (or newer)."
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
