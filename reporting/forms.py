"""Forms of the reporting pages. They validate input; the services write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common import dates
from common.forms import DecimalNumberField, PlausibleDateField
from reporting.indicators import indicator_choices


class TargetForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Indicator"), choices=())
    value = DecimalNumberField(
        label=_("Target value"), min_value=0, max_digits=14, decimal_places=2
    )
    period_start = PlausibleDateField(label=_("Period from"), kind=dates.PERIOD)
    period_end = PlausibleDateField(label=_("Period to"), kind=dates.PERIOD)
    source = forms.CharField(
        label=_("Source document"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Where the target comes from: the funded project, the agreement, its page."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = indicator_choices()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period ends before it starts."))
        return cleaned


class PeriodForm(forms.Form):
    start = PlausibleDateField(label=_("From"), kind=dates.PERIOD)
    end = PlausibleDateField(label=_("To"), kind=dates.PERIOD)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The period ends before it starts."))
        return cleaned
