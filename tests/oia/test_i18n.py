"""English and German: the German catalogue is complete and compiled, and the
language switch changes what users read."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "de" / "LC_MESSAGES" / "django.po"
IGNORED = shutil.ignore_patterns(".*", "__pycache__", "node_modules", "staticfiles", "tests")


def test_german_catalogue_has_every_string_of_the_code_translated(tmp_path):
    """Extract strings from a copy of the tree, so the real catalogue is untouched."""
    copy = tmp_path / "oia"
    shutil.copytree(ROOT, copy, ignore=IGNORED)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "oia.settings.test"}

    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "de", "--no-location", "--no-obsolete"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
        timeout=180,
    )

    catalogue = polib.pofile(str(copy / PO.relative_to(ROOT)))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not untranslated, f"Translate these in {PO.relative_to(ROOT)} (make messages): {untranslated}"
    assert not fuzzy, f"Check these fuzzy translations: {fuzzy}"


def test_compiled_german_catalogue_matches_the_po_file():
    def translations(catalogue):
        return {
            (entry.msgctxt, entry.msgid, entry.msgid_plural): (entry.msgstr, dict(sorted(entry.msgstr_plural.items())))
            for entry in catalogue
            if entry.msgid and (entry.msgstr or entry.msgstr_plural)
        }

    source = translations(polib.pofile(str(PO)))
    compiled = translations(polib.mofile(str(PO.with_suffix(".mo"))))

    assert compiled == source, "Run `make messages` to recompile the catalogue."


def test_switching_to_german_shows_german_labels(client, staff_user):
    client.force_login(staff_user)

    response = client.post(reverse("set_language"), {"language": "de", "next": reverse("dashboard")}, follow=True)

    html = response.content.decode()
    assert '<html lang="de">' in html
    assert "<h1>Übersicht</h1>" in html
    assert "Partnerstädte" in html
    assert "Abmelden" in html


def test_browser_language_german_is_honoured_on_the_login_page(client, db):
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="de").content.decode()

    assert "<h1>Anmelden</h1>" in html
