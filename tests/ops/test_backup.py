"""The backup drill: a backup of a small office restores into a new, empty
database and an empty media directory, in another process, and the restored
office gives the same report figures and every document byte for byte.
A damaged backup, and a database in use, are refused."""

import base64
import json
import os
import subprocess
import sys
import tarfile
import time
import uuid
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from oia.roles import Role
from reports.services import read_figures
from tests.factories import (
    DelegationFactory,
    DocumentFactory,
    ExchangePhotoFactory,
    ParticipantFactory,
    PartnershipFactory,
    PersonFactory,
    UserFactory,
)
from tests.workers import database_url_for

ROOT = Path(__file__).resolve().parent.parent.parent
YEAR = 2025

# Run in the restored office: the year's report checksum and every document as
# office staff download it (the view checks the role), as JSON on the last line.
READ_RESTORED_OFFICE = """
import base64, json
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from partners.models import Document
from reports.services import read_figures

figures, checksum, cut_off = read_figures(%(year)d)
client = Client(HTTP_HOST="localhost")
client.force_login(get_user_model().objects.get(username="drill-staff"))
documents = {}
for document in Document.objects.order_by("pk"):
    answer = client.get(reverse("partners:document-download", args=[document.pk]))
    body = b"".join(answer.streaming_content) if answer.status_code == 200 else b""
    documents[document.pk] = [answer.status_code, base64.b64encode(body).decode()]
print(json.dumps({"checksum": checksum, "documents": documents}))
"""


def _manage(*args, database: str, media: Path, timeout=120) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "oia.settings.test",
        "DATABASE_URL": database_url_for(database),
        "OIA_TEST_MEDIA_ROOT": str(media),
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


@pytest.fixture
def empty_database(transactional_db):
    """A new database with no tables, dropped afterwards."""
    name = f"test_restore_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
    try:
        yield name
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def office(transactional_db):
    """Three partnerships with their signed documents, a photo, and last year's trips and visits."""
    UserFactory(username="drill-staff", role=Role.STAFF)
    documents = {}
    for number, kind in enumerate(["pdf", "png", "pdf"]):
        partnership = PartnershipFactory()
        head = b"%PDF-1.4\n" if kind == "pdf" else b"\x89PNG\r\n\x1a\n"
        data = head + os.urandom(2000 + number) + b"\n%%EOF\n"
        document = DocumentFactory(
            partnership=partnership, file__filename=f"agreement {number}.{kind}", file__data=data
        )
        documents[document.pk] = data
        trip = DelegationFactory(status="completed", city=partnership.partner_city, start_on=date(YEAR, 3 + number, 2))
        ParticipantFactory(delegation=trip, person=PersonFactory(title="Mayor"))
    DelegationFactory(direction="inbound", status="completed", start_on=date(YEAR, 9, 1), head_count=12)
    photo = ExchangePhotoFactory()
    return documents, photo


def test_backup_restores_into_an_empty_database_with_the_same_report_and_documents(office, empty_database, tmp_path):
    documents, photo = office
    _figures, checksum, _cut_off = read_figures(YEAR)
    backup = tmp_path / "office.tar"

    started = time.monotonic()
    call_command("backup", str(backup), stdout=open(os.devnull, "w"))  # noqa: SIM115
    backup_seconds = time.monotonic() - started
    media = tmp_path / "restored-media"
    media.mkdir()
    started = time.monotonic()
    restored = _manage("restore", str(backup), database=empty_database, media=media)
    restore_seconds = time.monotonic() - started

    assert restored.returncode == 0, restored.stderr
    assert "The database is at this version's migrations" in restored.stdout
    read = _manage("shell", "-c", READ_RESTORED_OFFICE % {"year": YEAR}, database=empty_database, media=media)
    assert read.returncode == 0, read.stderr
    office_after = json.loads(read.stdout.strip().splitlines()[-1])
    assert office_after["checksum"] == checksum
    assert {int(pk): status for pk, (status, _body) in office_after["documents"].items()} == dict.fromkeys(
        documents, 200
    )
    for pk, (_status, body) in office_after["documents"].items():
        assert base64.b64decode(body) == documents[int(pk)]
    assert (media / photo.image.name).read_bytes() == photo.image.open("rb").read()
    print(
        f"\nbackup {backup.stat().st_size} bytes in {backup_seconds:.1f} s; restore (process) {restore_seconds:.1f} s"
    )


def test_restore_refuses_storage_holding_other_content_then_says_to_migrate_a_newer_app(
    office, empty_database, tmp_path
):
    """The backup is made as if before the newest migration of partners (its
    record is taken out for the backup and put back), so the app restoring it
    is newer than the backup."""
    newest = MigrationRecorder.Migration.objects.filter(app="partners").latest("id")
    newest.delete()
    try:
        call_command("backup", str(tmp_path / "office.tar"), stdout=open(os.devnull, "w"))  # noqa: SIM115
    finally:
        MigrationRecorder.Migration.objects.create(app=newest.app, name=newest.name, applied=newest.applied)
    name = office[1].image.name
    media = tmp_path / "restored-media"
    (media / name).parent.mkdir(parents=True)
    (media / name).write_bytes(b"another photo")

    refused = _manage("restore", str(tmp_path / "office.tar"), database=empty_database, media=media)
    (media / name).unlink()
    restored = _manage("restore", str(tmp_path / "office.tar"), database=empty_database, media=media)

    assert refused.returncode == 1
    assert f"holds 1 of the backup's files with other content ({name})" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert restored.returncode == 0, restored.stderr
    assert f"1 migrations newer than the backup (partners.{newest.name})" in restored.stdout
    assert "run `manage.py migrate`" in restored.stdout


def test_backup_manifest_lists_every_file_with_its_checksum(office, tmp_path):
    documents, _photo = office
    backup = tmp_path / "office.tar"

    call_command("backup", str(backup), stdout=open(os.devnull, "w"))  # noqa: SIM115

    with tarfile.open(backup) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        names = set(tar.getnames())
    assert {"database.dump", "manifest.json", "manifest.json.sha256"} <= names
    assert len(manifest["files"]) == len(documents) + 1
    assert all(f"media/{entry['name']}" in names and len(entry["sha256"]) == 64 for entry in manifest["files"])
    assert manifest["migrations"]["partners"].startswith("0")
    assert manifest["database"]["size_bytes"] > 0
    assert manifest["missing_files"] == []


def _damage(backup: Path, member: str) -> None:
    """Flip one byte of ``member`` inside the tar file, as a bad disk would."""
    with tarfile.open(backup) as tar:
        offset = tar.getmember(member).offset_data
    with backup.open("r+b") as handle:
        handle.seek(offset + 10)
        byte = handle.read(1)
        handle.seek(offset + 10)
        handle.write(bytes([byte[0] ^ 0xFF]))


def test_restore_refuses_a_damaged_backup_naming_the_bad_file(office, tmp_path):
    backup = tmp_path / "office.tar"
    call_command("backup", str(backup), stdout=open(os.devnull, "w"))  # noqa: SIM115
    with tarfile.open(backup) as tar:
        damaged = next(name for name in tar.getnames() if name.startswith("media/partnerships/"))
    _damage(backup, damaged)

    with pytest.raises(CommandError, match=f"damaged: {damaged} does not match its checksum"):
        call_command("restore", str(backup))


def test_restore_refuses_a_database_that_is_not_empty(office, tmp_path):
    backup = tmp_path / "office.tar"
    call_command("backup", str(backup), stdout=open(os.devnull, "w"))  # noqa: SIM115

    with pytest.raises(CommandError, match=r"is not empty \(.*createdb"):
        call_command("restore", str(backup))


def test_backup_never_overwrites_a_file(tmp_path):
    (tmp_path / "office.tar").write_bytes(b"an older backup")

    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", str(tmp_path / "office.tar"))

    assert (tmp_path / "office.tar").read_bytes() == b"an older backup"


@pytest.mark.parametrize(
    ("fake_pg_dump", "message"),
    [
        (None, "pg_dump was not found on PATH"),
        ("pg_dump (PostgreSQL) 13.4", r"pg_dump 13.4 is older than the database server \(PostgreSQL 1"),
    ],
)
def test_backup_refuses_a_missing_or_older_pg_dump(db, tmp_path, monkeypatch, fake_pg_dump, message):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    if fake_pg_dump:
        (bin_dir / "pg_dump").write_text(f"#!/bin/sh\necho '{fake_pg_dump}'\n")
        (bin_dir / "pg_dump").chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))

    with pytest.raises(CommandError, match=message):
        call_command("backup", str(tmp_path / "office.tar"))

    assert list(tmp_path.iterdir()) == [bin_dir]


def test_backup_reports_a_disk_error_as_a_message(db):
    """/proc takes no new files: the error is the operator's message, not a traceback."""
    with pytest.raises(CommandError, match="Could not write the backup: .*proc"):
        call_command("backup", "/proc/oia.tar")
