from django import forms
from django.core.exceptions import ValidationError
from django.utils.timezone import localdate
from django.utils.translation import gettext_lazy as _

from common import dates
from common.forms import PlausibleDateField, dated
from common.money import eur
from common.roles import Role
from common.selectors import users_in_programme
from common.workflows import StepForm
from tenancies.codicefiscale import codice_fiscale_clean
from tenancies.models import (
    EligibilityPolicy,
    Enrollment,
    Household,
    HouseholdDocument,
    IncomeSource,
    Member,
    PactCommitment,
    PactReview,
    SupportPact,
    VulnerabilityFactor,
)
from tenancies.selectors.enrollment import enrollment_priority_order_once


class CodiceFiscaleField(forms.CharField):
    """A codice fiscale, upper-cased and checked (length, form, check character)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("label", _("codice fiscale"))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return codice_fiscale_clean(value) if value else ""


class HouseholdForm(forms.ModelForm):
    isee = forms.DecimalField(
        label=_("ISEE value (€)"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    income_sources = forms.MultipleChoiceField(
        label=_("income sources"),
        choices=IncomeSource.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    vulnerability_factors = forms.MultipleChoiceField(
        label=_("vulnerability factors"),
        choices=VulnerabilityFactor.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Household
        fields = [
            "municipality",
            "address",
            "phone",
            "email",
            "isee",
            "isee_expires_on",
            "income_sources",
            "vulnerability_factors",
            "arrears_not_at_fault",
            "citizenship",
            "languages",
            "needs_mediation",
            "referral_source",
            "referral_note",
            "operator",
            "consent_given_on",
            "consent_version",
        ]
        widgets = {"referral_note": forms.Textarea(attrs={"rows": 3})}
        field_classes = {
            "isee_expires_on": dated(dates.DEADLINE),
            "consent_given_on": dated(dates.CONSENT),
        }

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operator"].queryset = users_in_programme(
            programme=programme, roles=[Role.OPERATOR]
        )
        self.fields["operator"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.fields["consent_given_on"].help_text = _(
            "The date the reference person signed the privacy consent."
        )
        if self.instance.pk and self.instance.isee is not None:
            self.initial["isee"] = self.instance.isee.amount

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["isee"] = eur(data["isee"]) if data.get("isee") is not None else None
        return {name: data[name] for name in self.Meta.fields}


class MemberForm(forms.ModelForm):
    codice_fiscale = CodiceFiscaleField(required=False)

    class Meta:
        model = Member
        fields = [
            "last_name",
            "first_name",
            "codice_fiscale",
            "birth_date",
            "relation",
            "has_disability",
            "employment",
        ]
        field_classes = {"birth_date": dated(dates.BIRTH)}

    def _get_validation_exclusions(self):
        # Whether another member has the codice fiscale is the service's to say: it names the
        # other household when the user may see it, which the bare constraint message cannot.
        return super()._get_validation_exclusions() | {"codice_fiscale"}


class ReferralForm(HouseholdForm):
    """A new household: the reference person first, then the household's situation."""

    ref_last_name = forms.CharField(label=_("Reference person's surname"), max_length=100)
    ref_first_name = forms.CharField(label=_("Reference person's first name"), max_length=100)
    ref_codice_fiscale = CodiceFiscaleField(label=_("Reference person's codice fiscale"))
    ref_birth_date = PlausibleDateField(label=_("Reference person's birth date"), kind=dates.BIRTH)
    ref_employment = forms.ChoiceField(
        label=_("Reference person's employment"),
        choices=[("", "—"), *Member.Employment.choices],
        required=False,
    )
    ref_has_disability = forms.BooleanField(
        label=_("Reference person has a disability (L. 104/1992)"), required=False
    )
    confirm_not_duplicate = forms.BooleanField(
        label=_("I checked: this is not the same household"), required=False
    )

    field_order = [
        "ref_last_name",
        "ref_first_name",
        "ref_codice_fiscale",
        "ref_birth_date",
        "ref_employment",
        "ref_has_disability",
    ]

    def clean(self):
        data = super().clean()
        cf, born = data.get("ref_codice_fiscale"), data.get("ref_birth_date")
        if cf and born:
            probe = Member(codice_fiscale=cf, birth_date=born)
            try:
                probe.clean()
            except ValidationError as error:
                self.add_error("ref_codice_fiscale", error.message_dict["codice_fiscale"])
        return data

    def reference_fields(self) -> dict:
        d = self.cleaned_data
        return {
            "last_name": d["ref_last_name"].strip(),
            "first_name": d["ref_first_name"].strip(),
            "codice_fiscale": d["ref_codice_fiscale"],
            "birth_date": d["ref_birth_date"],
            "employment": d["ref_employment"],
            "has_disability": d["ref_has_disability"],
        }


class PolicyForm(forms.ModelForm):
    isee_ceiling = forms.DecimalField(
        label=_("ISEE ceiling (€)"), min_value=0, max_digits=12, decimal_places=2
    )
    municipalities = forms.CharField(
        label=_("municipalities of residence"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line. Empty means the programme's municipalities."),
    )

    class Meta:
        model = EligibilityPolicy
        fields = [
            "isee_ceiling",
            "require_valid_isee",
            "municipalities",
            "require_vulnerability",
            "weight_minor",
            "weight_over_70",
            "weight_disability",
            "weight_eviction",
            "weight_arrears_not_at_fault",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["isee_ceiling"] = self.instance.isee_ceiling.amount
        self.initial["municipalities"] = "\n".join(self.instance.municipalities)

    def clean_municipalities(self):
        lines = self.cleaned_data["municipalities"].splitlines()
        return [line.strip() for line in lines if line.strip()]

    def service_fields(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["isee_ceiling"] = eur(data["isee_ceiling"])
        return data


class NoteForm(StepForm):
    """A step's note, required where the transition needs one."""


class DatedStepForm(StepForm):
    """A step that happens on a day (today unless said otherwise)."""

    on = PlausibleDateField(label=_("Date"), kind=dates.EVENT)
    field_order = ["on", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = localdate()


class EnrolForm(DatedStepForm):
    """Enrolling; ahead of households with a higher priority score, the note is the reason."""

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        self.fields["on"].label = _("Enrolled on")
        if obj is not None and enrollment_priority_order_once(obj).ahead:
            self.fields["note"].required = True
            self.fields["note"].label = _("Why this household goes first (required)")


class ExitForm(DatedStepForm):
    reason = forms.ChoiceField(label=_("Exit reason"), choices=Enrollment.ExitReason.choices)
    field_order = ["reason", "on", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].label = _("Left on")


class PactForm(forms.ModelForm):
    class Meta:
        model = SupportPact
        fields = ["goal", "starts_on", "ends_on", "review_every_months"]
        widgets = {"goal": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"starts_on": dated(dates.DEADLINE), "ends_on": dated(dates.DEADLINE)}

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] <= data["starts_on"]:
            self.add_error("ends_on", _("The pact must end after it starts."))
        return data


class CommitmentForm(forms.ModelForm):
    class Meta:
        model = PactCommitment
        fields = ["party", "description", "due_on", "hours"]
        field_classes = {"due_on": dated(dates.DEADLINE)}


class SignForm(StepForm):
    place = forms.CharField(label=_("Place of signature"), max_length=100)
    household_signatory = forms.CharField(label=_("Signing for the household"), max_length=200)
    on = PlausibleDateField(label=_("Date of signature"), kind=dates.EVENT)
    field_order = ["place", "household_signatory", "on", "note"]

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        self.fields["on"].initial = localdate()
        if obj is not None:
            household = obj.household
            reference = household.members.filter(relation=Member.Relation.REFERENCE).first()
            self.fields["place"].initial = household.municipality
            self.fields["household_signatory"].initial = (
                str(reference) if reference else household.name
            )


class PactReviewForm(StepForm):
    """A review meeting and its outcome; the note is what was said, always written."""

    held_on = PlausibleDateField(label=_("held on"), kind=dates.EVENT)
    outcome = forms.ChoiceField(label=_("outcome"), choices=PactReview.Outcome.choices)
    field_order = ["held_on", "outcome", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = localdate()
        self.fields["note"].required = True
        self.fields["note"].label = _("How the commitments went")


class DocumentForm(forms.ModelForm):
    upload = forms.FileField(label=_("File"), help_text=_("PDF, JPEG or PNG, at most 5 MB."))

    class Meta:
        model = HouseholdDocument
        fields = ["kind", "title", "valid_until"]
        field_classes = {"valid_until": dated(dates.DEADLINE)}
