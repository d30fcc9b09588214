from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common import dates
from common.forms import PlausibleDateField
from common.workflows import StepForm
from fund.forms.ledger import money_field
from fund.models import RecoveryPlan, RecoveryWaiver


class PlanFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("All states")), *RecoveryPlan.Status.choices],
    )


class ScheduleForm(StepForm):
    """Activating or rescheduling a plan: the schedule agreed with the household."""

    instalment_count = forms.IntegerField(
        label=_("Number of monthly instalments"),
        min_value=1,
        max_value=120,
        help_text=_("Fit the instalments to the household's means."),
    )
    first_due_on = PlausibleDateField(
        label=_("First instalment due on"), kind=dates.PLAN_INSTALMENT
    )

    field_order = ["instalment_count", "first_due_on", "note"]

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        self.fields["instalment_count"].initial = getattr(obj, "instalment_count", None) or 12
        self.fields["first_due_on"].initial = timezone.localdate().replace(day=1)


class RepaymentForm(forms.Form):
    amount = money_field(_("Amount repaid (EUR)"))
    paid_on = PlausibleDateField(label=_("Paid on"), kind=dates.PAYMENT)
    note = forms.CharField(label=_("Note"), required=False, max_length=255)


class PactChoiceMixin:
    def set_pacts(self, pacts):
        self.fields["pact"].queryset = pacts


class CommunityHoursForm(PactChoiceMixin, forms.Form):
    date = PlausibleDateField(label=_("Date"), kind=dates.EVENT)
    hours = forms.DecimalField(
        label=_("Hours of activity"),
        min_value=Decimal("0.5"),
        max_digits=5,
        decimal_places=1,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    activity = forms.CharField(label=_("Community activity"), max_length=200)
    pact = forms.ModelChoiceField(
        label=_("The household's support pact"),
        queryset=None,
        required=False,
        empty_label=_("No pact"),
    )


class WaiverProposeForm(PactChoiceMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Reason kind"), choices=RecoveryWaiver.Kind.choices)
    reason = forms.CharField(label=_("Written reason"), widget=forms.Textarea(attrs={"rows": 4}))
    pact = forms.ModelChoiceField(
        label=_("The household's support pact"),
        queryset=None,
        required=False,
        empty_label=_("No pact"),
        help_text=_("Required for a waiver in exchange for community activity."),
    )


class DecisionForm(StepForm):
    """A decision on a waiver: a note, required to turn it down."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.fields["note"].required:
            self.fields["note"].label = _("Decision note")
