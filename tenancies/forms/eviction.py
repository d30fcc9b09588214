from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common import dates
from common.forms import EuroField, PlausibleDateField, dated
from common.workflows import StepForm
from tenancies import legal_clock
from tenancies.models import EvictionCase, EvictionPolicy, Lease, MediationMeeting, Placement
from tenancies.models.eviction import Cause
from tenancies.selectors.eviction import leases_open_to_eviction, rehousing_placements_for


def _note(required=False, label=None):
    return forms.CharField(
        label=label or (_("Note") if not required else _("Note (required)")),
        required=required,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _date(label, required=True, today=False, kind=dates.COURT):
    """A date of the procedure: court dates unless `kind` says otherwise (common.dates)."""
    field = PlausibleDateField(label=label, required=required, kind=kind)
    if today:
        field.initial = timezone.localdate
    return field


def _euro(label, required=True):
    """An amount in euros: one number box, as everywhere else. djmoney's form field adds a
    currency box: a post without it (or with an empty one) was a 500, not a form error."""
    return EuroField(label=label, required=required)


class CaseOpenForm(forms.Form):
    lease = forms.ModelChoiceField(label=_("Lease"), queryset=Lease.objects.none())
    cause = forms.ChoiceField(label=_("Cause of the arrears"), choices=Cause.choices)
    cause_arose_on = _date(_("Cause arose on"), required=False, kind=dates.EVENT)
    lease_signed_on = _date(_("Lease signed on"), required=False, kind=dates.EVENT)
    served_on = _date(_("Summons served on"), required=False)
    hearing_on = _date(_("Validation hearing on"), required=False)
    note = _note()

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        # The leases the open service accepts: active, of an enrolled household, no open case.
        self.fields["lease"].queryset = (
            leases_open_to_eviction(programme=programme)
            .select_related("household", "dwelling")
            .order_by("household__name")
        )


class FromArrearsForm(forms.Form):
    cause = forms.ChoiceField(label=_("Cause of the arrears"), choices=Cause.choices)
    cause_arose_on = _date(_("Cause arose on"), required=False, kind=dates.EVENT)
    lease_signed_on = _date(_("Lease signed on"), required=False, kind=dates.EVENT)
    note = _note()


class EvictionStepForm(StepForm):
    """A step of the case (tenancies.workflows): the fields its service takes, the note last."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields([name for name in self.fields if name != "note"] + ["note"])


class SummonsForm(EvictionStepForm):
    served_on = _date(_("Summons served on"), today=True)
    hearing_on = _date(_("Validation hearing on"))


class DatedForm(EvictionStepForm):
    on = _date(_("Date"), today=True)


class GraceForm(EvictionStepForm):
    granted_on = _date(_("Granted at the hearing of"), today=True)
    days = forms.IntegerField(label=_("Days granted"), min_value=1, max_value=365, initial=90)
    new_hearing_on = _date(_("New hearing on"))
    interest = _euro(_("Legal interest set by the judge"), required=False)
    costs = _euro(_("Costs set by the judge"), required=False)


class CureForm(EvictionStepForm):
    """L. 392/1978 art. 55: the amounts the judge set; left empty, those recorded with the
    grace period count."""

    on = _date(_("Date"), today=True)
    interest = _euro(_("Legal interest set by the judge"), required=False)
    costs = _euro(_("Costs set by the judge"), required=False)


class AdjournForm(EvictionStepForm):
    on = _date(_("Hearing held on"), today=True)
    adjourned_to = _date(_("Adjourned to"))


class ValidateForm(EvictionStepForm):
    on = _date(_("Validated on"), today=True)
    execution_from = _date(_("Release set for"), required=False)


class JudgmentReleaseForm(EvictionStepForm):
    on = _date(_("Judgment of"), today=True)
    execution_from = _date(_("Release set for"), required=False)


class PrecettoOppositionDecisionForm(EvictionStepForm):
    on = _date(_("Decided on"), today=True)
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=EvictionCase.OppositionOutcome.choices,
        widget=forms.RadioSelect,
    )


class RehouseForm(EvictionStepForm):
    """The household's placement that rehoused it: accepted (moving in) or lived in."""

    on = _date(_("Date"), today=True, kind=dates.EVENT)
    placement = forms.ModelChoiceField(
        label=_("Placement that rehoused the household"), queryset=Placement.objects.none()
    )

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        if obj is not None:
            self.fields["placement"].queryset = rehousing_placements_for(case=obj)


class SettlementForm(EvictionStepForm):
    on = _date(_("Signed on"), today=True, kind=dates.EVENT)
    fund_cover = _euro(_("Part the fund is to cover"), required=False)
    household_repays = _euro(_("Part the household repays"), required=False)
    instalments = forms.IntegerField(
        label=_("Monthly instalments"), min_value=1, max_value=60, required=False
    )
    terms = forms.CharField(
        label=_("Terms agreed (the landlord withdraws the summons)"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MeetingForm(forms.ModelForm):
    class Meta:
        model = MediationMeeting
        fields = ["held_on", "participants", "result", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"held_on": dated(dates.EVENT)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate()


class AccessNoticeForm(forms.Form):
    notice_served_on = _date(_("Notice served on"), today=True)
    access_on = _date(_("Access on"))
    note = _note()


class AccessPostponeForm(forms.Form):
    access_on = _date(_("New access on"))
    note = _note(required=True)


class PastGraceForm(forms.Form):
    granted_on = _date(_("Granted on"))
    days = forms.IntegerField(label=_("Days"), min_value=1, max_value=365, required=False)
    note = forms.CharField(label=_("Where (court, lease)"), max_length=250, required=False)


class FundApplicationForm(forms.Form):
    fund_name = forms.CharField(
        label=_("Fund"), max_length=120, initial="Fondo inquilini morosi incolpevoli"
    )
    applied_on = _date(_("Applied on"), today=True, kind=dates.EVENT)
    amount_requested = _euro(_("Amount requested"))


class FundDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("granted", _("Granted")), ("refused", _("Refused"))],
        widget=forms.RadioSelect,
    )
    on = _date(_("Decided on"), today=True, kind=dates.EVENT)
    amount = _euro(_("Amount granted"), required=False)
    note = _note()


class FundReceiptForm(forms.Form):
    on = _date(_("Received on"), today=True, kind=dates.PAYMENT)
    bank_reference = forms.CharField(label=_("Bank reference"), max_length=80, required=False)


class CourtPaperForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File (PDF, JPEG or PNG)"))


class PolicyForm(forms.ModelForm):
    class Meta:
        model = EvictionPolicy
        fields = [
            "summons_min_days",
            "grace_max_days",
            "grace_max_days_exceptional",
            "grace_max_uses",
            "grace_max_uses_exceptional",
            "grace_window_years",
            "grace_exceptional_max_arrears_months",
            "new_hearing_within_days",
            "precetto_term_days",
            "access_notice_days",
            "precetto_lapse_days",
            "fund_isee_max",
            "fund_max_amount",
            "due_soon_days",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Settings cannot break the law: a number the law fixes is shown, not edited, and always
        # submitted as the law's (which also repairs a row saved before this check existed).
        # Ceilings stay editable; the model's clean() refuses anything above them.
        for number in legal_clock.LAW_NUMBERS:
            if number.room == legal_clock.FIXED and number.name in self.fields:
                self.fields[number.name].disabled = True
                self.initial[number.name] = number.value
