"""Forms in the GOV.UK pattern (templates/partials/form*.html, oia.forms): a
summary at the top linking to each wrong field, the message between the label
and the input, help text never styled as an error, and no "---------" radio."""

import re

from django import forms
from django.template.loader import render_to_string

from oia.forms import Form, ModelForm
from partners.models import Club

BLANK = [("", "---------"), ("bus", "By bus"), ("train", "By train")]


class TripForm(Form):
    title = forms.CharField(label="Title", help_text="As on the invitation.")
    travel = forms.ChoiceField(label="Travel", choices=BLANK, widget=forms.RadioSelect)
    return_travel = forms.ChoiceField(label="Return", choices=BLANK, widget=forms.RadioSelect, required=False)

    def clean(self):
        raise forms.ValidationError("The trip overlaps another one.")


def rendered(form) -> str:
    return render_to_string("partials/form.html", {"form": form})


def test_the_summary_links_each_message_to_its_field_and_lists_the_form_s_own_errors():
    html = rendered(TripForm({"title": "", "travel": ""}))

    summary = html[html.index('class="error-summary"') : html.index("</ul>")]
    assert 'role="alert"' in summary
    assert "There is a problem" in summary
    assert "<li>The trip overlaps another one.</li>" in summary
    assert '<a href="#id_title">Title: This field is required.</a>' in summary
    assert '<a href="#id_travel_0">Travel: This field is required.</a>' in summary, "a radio group: its first button"


def test_the_message_stands_between_the_label_and_the_input_which_it_describes():
    html = rendered(TripForm({"title": ""}))

    label = html.index('<label for="id_title">')
    message = html.index('<p class="field-error" id="id_title_error">')
    field = html.index('<input type="text" name="title"')
    assert label < message < field
    tag = re.search(r'<input type="text" name="title"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in tag
    assert 'aria-describedby="id_title_helptext id_title_error"' in tag


def test_help_text_is_never_marked_as_an_error():
    html = rendered(TripForm({"title": ""}))

    assert '<small id="id_title_helptext">As on the invitation.</small>' in html
    assert html.index('id="id_title_helptext"') < html.index('id="id_title_error"')


def test_a_radio_group_with_errors_is_described_by_its_message():
    html = rendered(TripForm({"title": "x"}))

    assert 'aria-describedby="id_travel_error"' in html
    assert re.search(r'<input type="radio" name="travel" value="bus"[^>]*aria-invalid="true"', html)


def test_a_required_radio_choice_has_no_blank_button_and_an_optional_one_says_not_set():
    form = TripForm()
    html = rendered(form)

    assert "---------" not in html
    assert [value for value, _label in form.fields["travel"].choices] == ["bus", "train"]
    assert form.fields["return_travel"].choices[0] == ("", "Not set")
    assert '<input type="radio" name="return_travel" value="" id="id_return_travel_0"' in html


class ClubChoiceForm(ModelForm):
    class Meta:
        model = Club
        fields = ["name"]

    club = forms.ModelChoiceField(queryset=Club.objects.none(), widget=forms.RadioSelect, required=False)
    other = forms.ModelChoiceField(queryset=Club.objects.none(), widget=forms.RadioSelect)


def test_a_record_chosen_by_radio_buttons_has_no_dashes_either():
    form = ClubChoiceForm()

    assert form.fields["club"].empty_label == "Not set"
    assert form.fields["other"].empty_label is None


def test_a_form_without_errors_has_no_summary():
    assert "error-summary" not in rendered(TripForm())
