from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.forms import DATE, EuroField
from housing.models import Dwelling, Landlord
from tenancies.forms.households import NoteForm
from tenancies.models import Household, Lease, Payment


class LeaseForm(forms.ModelForm):
    rent = EuroField(label=_("Monthly rent"))
    service_charges = EuroField(label=_("Monthly service charges"), initial=0)
    deposit = EuroField(label=_("Deposit"), initial=0)

    class Meta:
        model = Lease
        fields = [
            "household",
            "landlord",
            "dwelling",
            "lease_type",
            "start_date",
            "end_date",
            "rent",
            "service_charges",
            "due_day",
            "deposit",
            "registration_number",
            "registration_date",
        ]
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "registration_date": DATE,
        }

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = Household.objects.in_programme(programme).order_by(
            "name"
        )
        self.fields["landlord"].queryset = Landlord.objects.in_programme(programme)
        self.fields["dwelling"].queryset = Dwelling.objects.in_programme(programme).select_related(
            "landlord"
        )


class PaymentForm(forms.ModelForm):
    amount = EuroField(label=_("Amount"), min_value=Decimal("0.01"))

    class Meta:
        model = Payment
        fields = ["amount", "paid_on", "method", "payer", "bank_reference", "note"]
        widgets = {"paid_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = timezone.localdate()
        self.fields["method"].initial = Payment.Method.BANK_TRANSFER
        self.fields["payer"].initial = Payment.Payer.HOUSEHOLD


class DatedNoteForm(NoteForm):
    on = forms.DateField(label=_("Date"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class ContactForm(forms.Form):
    note = forms.CharField(label=_("What was said"), widget=forms.Textarea(attrs={"rows": 3}))
    next_action = forms.CharField(label=_("Next action"), max_length=200, required=False)
    next_action_due = forms.DateField(label=_("By"), required=False, widget=DATE)


class PlanForm(forms.Form):
    instalments = forms.IntegerField(
        label=_("Number of monthly instalments"), min_value=1, max_value=36, initial=6
    )
    first_due = forms.DateField(label=_("First instalment due on"), widget=DATE)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
