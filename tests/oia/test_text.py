"""Control characters: refused by every form and serializer of the apps,
removed from what goes out (spreadsheets, the report)."""

import importlib
import pkgutil

import pytest
from django import forms
from django.core.exceptions import ValidationError
from rest_framework import serializers

from oia.api.serializers import RefusesControlCharacters as SerializerRefuses
from oia.forms import RefusesControlCharacters as FormRefuses
from oia.spreadsheets import cell_text, sheet_title
from oia.text import ControlCharacterValidator, without_control_characters

APPS = ["oia", "partners", "delegations", "networks", "budget", "reports"]
NOT_IMPORTED = (".migrations", ".settings", ".wsgi", ".asgi")


def classes_of_the_apps(base):
    for app in APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
            if any(part in info.name for part in NOT_IMPORTED):
                continue
            module = importlib.import_module(info.name)
            for value in vars(module).values():
                if isinstance(value, type) and issubclass(value, base) and value.__module__ == module.__name__:
                    yield value


def test_every_form_of_the_apps_refuses_control_characters():
    found = list(classes_of_the_apps(forms.BaseForm))

    assert len(found) > 40
    assert [form for form in found if not issubclass(form, FormRefuses)] == []


def test_every_serializer_of_the_api_refuses_control_characters():
    found = list(classes_of_the_apps(serializers.BaseSerializer))

    assert len(found) > 30
    assert [serializer for serializer in found if not issubclass(serializer, SerializerRefuses)] == []


@pytest.mark.parametrize(
    "text", ["Lyon\x0bMétropole", "Kra\x00ków", "Lyon\x7f", "Lyon\x85", "Lyon\ud800", "Lyon\uffff"]
)
def test_control_characters_are_refused_on_one_line_and_in_a_text_area(text):
    for validator in (ControlCharacterValidator(), ControlCharacterValidator(multiline=True)):
        with pytest.raises(ValidationError) as refused:
            validator(text)
        assert "invisible control characters" in refused.value.messages[0]


def test_line_breaks_and_tabs_are_fine_in_a_text_area_only():
    ControlCharacterValidator(multiline=True)("Met the mayor.\r\n\tNext: the schools.")

    with pytest.raises(ValidationError) as refused:
        ControlCharacterValidator()("Lyon\tMétropole")
    assert refused.value.messages == ["Write this on one line, without line breaks or tabs."]


def test_accents_and_other_scripts_are_not_control_characters():
    ControlCharacterValidator()("Łódź – Eskişehir – 横浜 – Αθήνα – Café ☕")


def test_cleaning_keeps_line_breaks_and_tabs_and_keeps_words_apart():
    assert without_control_characters("Lyon\x0bMétropole\x07\r\nRhône\tFrance") == "Lyon Métropole\nRhône\tFrance"
    assert cell_text(None) == ""
    assert cell_text("=1+1\x01") == "=1+1"


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("Travel / Events [2026]: *?", "Travel Events 2026"),
        ("Partner\x0bcities\n", "Partner cities"),
        ("'Quoted'", "Quoted"),
        ("A" * 40, "A" * 31),
        ("/?*", "Sheet"),
        ("History", "History 1"),
    ],
)
def test_sheet_titles_are_names_excel_accepts(name, title):
    assert sheet_title(name) == title
