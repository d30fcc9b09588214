import secrets
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common import dates
from common.forms import EuroField, PlausibleDateField, dated
from tenancies.forms.households import NoteForm
from tenancies.models import Lease, Payment, Placement
from tenancies.selectors.placements import lease_placement_choices


def placement_choice_label(placement: Placement) -> str:
    """A household told apart from its namesakes: name, the last characters of the reference
    person's codice fiscale (else the household's number), municipality; then the unit."""
    household = placement.household
    codes = [m.codice_fiscale for m in household.members.all() if m.codice_fiscale]
    short = f"…{codes[0][-5:]}" if codes else f"n. {household.pk}"
    return _("%(name)s (%(id)s, %(municipality)s) — %(unit)s") % {
        "name": household.name,
        "id": short,
        "municipality": household.municipality,
        "unit": placement,
    }


class PlacementChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return placement_choice_label(obj)


class LeaseTermsForm(forms.ModelForm):
    """The terms of a lease: what an operator types, and may correct while it is a draft."""

    rent = EuroField(label=_("Monthly rent"))
    service_charges = EuroField(label=_("Monthly service charges"), initial=0)
    deposit = EuroField(label=_("Deposit"), initial=0)

    class Meta:
        model = Lease
        fields = list(Lease.EDITABLE_FIELDS)
        field_classes = {
            "start_date": dated(dates.LEASE_START),
            "end_date": dated(dates.LEASE_END),
            "registration_date": dated(dates.EVENT),
        }


class LeaseForm(LeaseTermsForm):
    """A new lease follows an enrolled household's accepted or active placement: the dwelling,
    its place and the landlord come from there."""

    placement = PlacementChoiceField(
        label=_("Household and placement"),
        queryset=Placement.objects.none(),
        help_text=_("Only enrolled households with an accepted or active placement."),
    )
    field_order = ["placement"]

    class Meta(LeaseTermsForm.Meta):
        pass

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["placement"].queryset = lease_placement_choices(programme=programme)


class PaymentForm(forms.ModelForm):
    """The operator's payment: never a guarantee fund payout (the fund records those when it
    pays a claim), and a one-time token so the same form sent twice books once."""

    amount = EuroField(label=_("Amount"), min_value=Decimal("0.01"))
    idempotency_key = forms.CharField(
        label=_("Form token"),
        widget=forms.HiddenInput,
        max_length=64,
        error_messages={"required": _("The form is incomplete: open it again.")},
    )

    class Meta:
        model = Payment
        fields = ["amount", "paid_on", "method", "payer", "imputation", "bank_reference", "note"]
        field_classes = {"paid_on": dated(dates.PAYMENT)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = timezone.localdate()
        self.fields["method"].initial = Payment.Method.BANK_TRANSFER
        self.fields["payer"].initial = Payment.Payer.HOUSEHOLD
        self.fields["method"].choices = [
            choice
            for choice in self.fields["method"].choices
            if choice[0] != Payment.Method.FUND_PAYOUT
        ]
        self.fields["payer"].choices = [
            choice for choice in self.fields["payer"].choices if choice[0] != Payment.Payer.FUND
        ]
        self.fields["idempotency_key"].initial = secrets.token_urlsafe(24)


class DatedNoteForm(NoteForm):
    on = PlausibleDateField(label=_("Date"), kind=dates.EVENT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class ContactForm(NoteForm):
    """The contact step of an arrears case: what was said, and what happens next."""

    note = forms.CharField(label=_("What was said"), widget=forms.Textarea(attrs={"rows": 3}))
    next_action = forms.CharField(label=_("Next action"), max_length=200, required=False)
    next_action_due = PlausibleDateField(label=_("By"), required=False, kind=dates.DEADLINE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].label = _("What was said")  # required, and not a "reason"
        self.fields["note"].required = True


class PlanForm(NoteForm):
    """The plan step of an arrears case: the instalments add up to what is overdue today."""

    instalments = forms.IntegerField(
        label=_("Number of monthly instalments"), min_value=1, max_value=36, initial=6
    )
    first_due = PlausibleDateField(label=_("First instalment due on"), kind=dates.PLAN_INSTALMENT)
    field_order = ["instalments", "first_due", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_due"].initial = timezone.localdate()
