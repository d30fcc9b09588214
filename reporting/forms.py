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


def _narrative(label, help_text):
    return forms.CharField(
        label=label,
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=help_text,
    )


class FunderReportForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    period_start = PlausibleDateField(label=_("Period from"), kind=dates.PERIOD)
    period_end = PlausibleDateField(label=_("Period to"), kind=dates.PERIOD)
    introduction = _narrative(_("Introduction"), _("The programme and what this report covers."))
    activities = _narrative(
        _("Activities in the period"), _("What was done: the figures below say how much.")
    )
    difficulties = _narrative(_("Difficulties met"), _("What did not go as planned, and why."))
    outlook = _narrative(_("Outlook"), _("What comes next, and what the programme needs."))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period ends before it starts."))
        return cleaned
