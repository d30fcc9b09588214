from datetime import date

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


DOCUMENT_ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"

# One optional file per kind of document, so a phone's file picker asks for each by name.
CLAIM_DOCUMENT_FIELDS = {
    "document_payment_demand": "payment_demand",
    "document_lease": "lease",
    "document_rent_ledger": "rent_ledger",
    "document_other": "other",
}


def _document_field(label):
    return forms.FileField(
        label=label,
        required=False,
        help_text=_("PDF, JPEG or PNG."),
        widget=forms.ClearableFileInput(attrs={"accept": DOCUMENT_ACCEPT}),
    )


class LandlordClaimForm(ClaimForm):
    """The landlord's claim: the unpaid months and the documents it rests on."""

    document_payment_demand = _document_field(_("Payment demand"))
    document_lease = _document_field(_("Lease"))
    document_rent_ledger = _document_field(_("Statement of unpaid rent"))
    document_other = _document_field(_("Other document"))

    def documents(self) -> list[tuple[str, object]]:
        """(kind, upload) for each file given."""
        return [
            (kind, self.cleaned_data[name])
            for name, kind in CLAIM_DOCUMENT_FIELDS.items()
            if self.cleaned_data.get(name)
        ]


class ClaimDocumentForm(forms.Form):
    """One more document for a pending claim (what the fund asked for)."""

    kind = forms.ChoiceField(label=_("Type of document"))
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG or PNG."),
        widget=forms.ClearableFileInput(attrs={"accept": DOCUMENT_ACCEPT}),
    )

    def __init__(self, *args, **kwargs):
        from fund.models import ClaimDocument

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ClaimDocument.Kind.choices


class UnpaidReportForm(forms.Form):
    """The months a landlord says were not paid, and what they want the operators to know."""

    months = forms.TypedMultipleChoiceField(
        label=_("Unpaid months"),
        coerce=date.fromisoformat,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("Note for the operators"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, months, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["months"].choices = [
            (month.isoformat(), date_format(month, "YEAR_MONTH_FORMAT")) for month in months
        ]
