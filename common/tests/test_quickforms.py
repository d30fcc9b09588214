"""The quick renderer writes exactly what Django's templates write, for every widget it
handles, bound or not, valid or not, in Italian and English."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils import translation
from django.utils.safestring import mark_safe

from common import dates
from common.forms import PlausibleDateField
from common.quickforms import QuickFormRenderer
from fund.forms.ledger import LedgerFilterForm, PeriodForm


class Everything(forms.Form):
    text = forms.CharField(label="Nome <e> “virgolette”", max_length=20, help_text="aiuto")
    number = forms.IntegerField(label=mark_safe("<b>Numero</b>"), required=False, min_value=1)
    day = PlausibleDateField(label="Giorno", required=False, kind=dates.PERIOD)
    email = forms.EmailField(required=False, widget=forms.EmailInput(attrs={"autofocus": True}))
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)
    secret = forms.CharField(required=False, widget=forms.PasswordInput(render_value=True))
    choice = forms.ChoiceField(
        choices=[("", "—"), ("a", "A & B"), ("Gruppo", [("c", "C"), ("d", 'D "quoted"')])],
        required=False,
    )
    many = forms.MultipleChoiceField(choices=[(1, "uno"), (2, "due")], required=False)
    off = forms.CharField(required=False, widget=forms.TextInput(attrs={"disabled": False}))
    note = forms.CharField(required=False, widget=forms.Textarea)
    flag = forms.BooleanField(required=False)


def _rendered(form_class, data, renderer):
    form = form_class(data, renderer=renderer)
    if data is not None:
        form.is_valid()
    parts = []
    for field in form:
        parts += [field.label_tag(), str(field), field.label_tag(label_suffix="")]
    return parts


@pytest.mark.parametrize("language", ["it", "en"])
@pytest.mark.parametrize(
    "form_class,data",
    [
        (Everything, None),
        (
            Everything,
            {
                "text": "<script>x</script>\"'",
                "number": "0",
                "day": "not a day",
                "email": "a@b.it",
                "hidden": "&amp;",
                "secret": "s",
                "choice": "d",
                "many": ["1", "2"],
                "off": "x",
                "note": "<n>",
                "flag": "on",
            },
        ),
        (LedgerFilterForm, None),
        (
            LedgerFilterForm,
            {"kind": "payout", "account": "bank", "q": "a<b", "start": "2026-01-01"},
        ),
        (PeriodForm, {"start": "2026-02-01", "end": "2026-01-01"}),
    ],
)
def test_same_html_as_django(language, form_class, data):
    with translation.override(language):
        expected = _rendered(form_class, data, DjangoTemplates())
        assert _rendered(form_class, data, QuickFormRenderer()) == expected
