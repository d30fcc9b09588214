from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from common.money import money_format
from common.workflows import StepForm


class NoteForm(StepForm):
    """A step's note, required where the transition needs one (cancel, expire, reject…)."""


class ClaimForm(forms.Form):
    """The unpaid months of one lease to claim; choices come from the rent ledger."""

    dues = forms.TypedMultipleChoiceField(
        label=_("Unpaid months"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Only months past the agreement's claim delay, still unpaid and not in another "
            "claim can be chosen."
        ),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, dues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dues"].choices = [
            (
                due.pk,
                _("%(month)s: %(amount)s unpaid")
                % {
                    "month": date_format(due.month, "YEAR_MONTH_FORMAT"),
                    "amount": money_format(due.outstanding),
                },
            )
            for due in dues
        ]
