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
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection, models, transaction
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
# Connection options DATABASE_URL may carry (?sslmode=require), as libpq's variables.
LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}


class BackupError(Exception):
    """A backup or restore that was refused or failed, in words for the operator."""


@dataclass
class BackupResult:
    path: Path
    manifest: dict
    seconds: float


def sha256_of(stream) -> tuple[str, int]:
    """The SHA-256 and length of what is left to read in ``stream``."""
    digest, size = hashlib.sha256(), 0
    for chunk in iter(lambda: stream.read(CHUNK), b""):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def libpq_environment() -> dict[str, str]:
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
    for option, variable in LIBPQ_OPTIONS.items():
        values[variable] = options.get(option)
    env.update({key: str(value) for key, value in values.items() if value not in (None, "")})
    return env


def client_version(program: str) -> str:
    """``program``'s version ("15.20"); refuses a missing program."""
    path = shutil.which(program)
    if path is None:
        raise BackupError(
            f"{program} was not found on PATH. Install the PostgreSQL client tools "
            f"(Debian: postgresql-client) of version {server_major_version()} or newer."
        )
    answer = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30, check=False).stdout
    found = re.search(r"(\d+)(?:\.(\d+))?", answer)
    if not found:
        raise BackupError(f"{program} --version said {answer!r}, which names no version.")
    return found.group(0)


def major_version(version: str) -> int:
    return int(version.split(".")[0])


def server_major_version() -> int:
    """The database server's major version (15 for 15.20)."""
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


def _dump(path: Path) -> tuple[dict, dict[str, str], set[str]]:
    """pg_dump the database and read its migration state and the names of its
    files, all in one snapshot; returns (database facts, migrations, file names)."""
    pg_dump_version = client_version("pg_dump")
    server_major = server_major_version()
    if major_version(pg_dump_version) < server_major:
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
            env=libpq_environment(),
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
    }
    return database, migrations, names


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
            database, migrations, names = _dump(dump_path)
            with dump_path.open("rb") as handle:
                dump_sha256, dump_size = sha256_of(handle)
            files, missing = [], []
            with tarfile.open(partial, "x", format=tarfile.PAX_FORMAT) as tar:
                tar.add(dump_path, DUMP)
                for name in sorted(names):
                    entry = _add_stored_file(tar, name, work)
                    if entry:
                        files.append(entry)
                    else:
                        missing.append(name)
                manifest = {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                    "snapshot_at": database["snapshot_at"],
                    "app_version": _app_version(),
                    "database": database,
                    "migrations": migrations,
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
