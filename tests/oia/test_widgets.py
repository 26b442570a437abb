"""QuickSelect writes the same select as Django's template, only faster."""

from django import forms
from django_countries import countries

from oia.widgets import QuickSelect

CHOICES = [("", "---------"), *countries, ("x", 'Fish & "chips" <b>')]


class CountryForm(forms.Form):
    template = forms.ChoiceField(choices=CHOICES, required=False)
    quick = forms.ChoiceField(choices=CHOICES, required=False, widget=QuickSelect)


def test_a_quick_select_is_the_select_django_writes_without_the_blank_lines():
    form = CountryForm({"template": "FR", "quick": "FR"})
    expected = "".join(line.strip() for line in str(form["template"]).splitlines())
    assert str(form["quick"]).replace("quick", "template") == expected
    assert '<option value="FR" selected>France</option>' in str(form["quick"])


def test_a_quick_select_escapes_values_and_labels():
    html = str(CountryForm({"quick": "x"})["quick"])
    assert '<option value="x" selected>Fish &amp; &quot;chips&quot; &lt;b&gt;</option>' in html
