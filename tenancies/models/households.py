from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localdate
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField

from common import dates
from common.models import AuditedModel, ProgrammeQuerySet
from tenancies.codicefiscale import codice_fiscale_birth_date_matches, validate_codice_fiscale


class ReferralSource(models.TextChoices):
    SOCIAL_SERVICES = "social_services", _("Municipal social services")
    PARISH = "parish", _("Parish / Caritas")
    COMMUNITY_POINT = "community_point", _("Punto di Comunità")
    ASSOCIATION = "association", _("Association or cooperative")
    SELF = "self", _("Self-referral")


class IncomeSource(models.TextChoices):
    EMPLOYMENT = "employment", _("Employment")
    SELF_EMPLOYMENT = "self_employment", _("Self-employment")
    PENSION = "pension", _("Pension")
    UNEMPLOYMENT_BENEFIT = "unemployment", _("Unemployment benefit (NASpI)")
    INCLUSION_ALLOWANCE = "inclusion", _("Assegno di inclusione")
    DISABILITY_ALLOWANCE = "disability", _("Disability allowance")
    CHILD_ALLOWANCE = "child", _("Assegno unico per i figli")
    MAINTENANCE = "maintenance", _("Maintenance from a former partner")
    NONE = "none", _("No income")


class VulnerabilityFactor(models.TextChoices):
    JOB_LOSS = "job_loss", _("Job loss")
    REDUCED_HOURS = "reduced_hours", _("Reduced working hours")
    ILLNESS = "illness", _("Illness or injury")
    SEPARATION = "separation", _("Separation or divorce")
    DEATH = "death", _("Death of a household member")
    EVICTION_NOTICE = "eviction_notice", _("Eviction notice served")
    BUSINESS_CLOSED = "business_closed", _("Own business closed")


class HouseholdQuerySet(ProgrammeQuerySet):
    pass


class Household(AuditedModel):
    """A nucleo familiare referred to the programme: its reference person is one of its members."""

    programme = models.ForeignKey(
        "common.Programme",
        on_delete=models.PROTECT,
        related_name="households",
        verbose_name=_("programme"),
    )
    name = models.CharField(
        _("name"), max_length=200, help_text=_("The reference person's surname and name.")
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("current address"), max_length=250, blank=True)
    municipality = models.CharField(_("municipality of residence"), max_length=100)
    isee = MoneyField(
        _("ISEE value"),
        max_digits=12,
        decimal_places=2,
        default_currency="EUR",
        null=True,
        blank=True,
    )
    plausible_dates = {"isee_expires_on": dates.DEADLINE, "consent_given_on": dates.CONSENT}
    isee_expires_on = models.DateField(_("ISEE expires on"), null=True, blank=True)
    income_sources = models.JSONField(_("income sources"), default=list, blank=True)
    vulnerability_factors = models.JSONField(_("vulnerability factors"), default=list, blank=True)
    arrears_not_at_fault = models.BooleanField(
        _("arrears not caused by the household's fault"),
        default=False,
        help_text=_("Morosità incolpevole: arrears due to job loss, illness, separation…"),
    )
    citizenship = models.CharField(_("citizenship"), max_length=100, blank=True)
    languages = models.CharField(_("languages spoken"), max_length=200, blank=True)
    needs_mediation = models.BooleanField(_("needs cultural mediation"), default=False)
    referral_source = models.CharField(
        _("referred by"), max_length=30, choices=ReferralSource.choices
    )
    referral_note = models.TextField(_("referral note"), blank=True)
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="caseload",
        null=True,
        blank=True,
        verbose_name=_("assigned operator"),
    )
    consent_given_on = models.DateField(_("consent to data processing given on"))
    consent_version = models.CharField(_("consent form version"), max_length=20)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    pseudonymised_at = models.DateTimeField(
        _("pseudonymised at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "When its personal data was replaced by pseudonyms after the retention period."
        ),
    )

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("household")
        verbose_name_plural = _("households")
        indexes = [
            # The household list: a programme's households by name, a page at a time.
            models.Index(fields=["programme", "name", "id"], name="household_list_idx"),
        ]

    def __str__(self):
        return self.name

    def audit_context(self):
        return self

    def get_absolute_url(self):
        return reverse("tenancies:household_detail", args=[self.pk])

    def is_supported(self) -> bool:
        """Eligible or enrolled: the household may draft a pact and be offered a place."""
        from tenancies.models.enrollment import Enrollment

        return self.enrollments.filter(status__in=Enrollment.SUPPORTED_STATES).exists()

    def isee_expired(self, today: date | None = None) -> bool:
        return self.isee_expires_on is not None and self.isee_expires_on < (today or localdate())

    def get_income_sources_display(self) -> list[str]:
        labels = dict(IncomeSource.choices)
        return [str(labels.get(code, code)) for code in self.income_sources]

    def get_vulnerability_factors_display(self) -> list[str]:
        labels = dict(VulnerabilityFactor.choices)
        return [str(labels.get(code, code)) for code in self.vulnerability_factors]


class MemberQuerySet(ProgrammeQuerySet):
    programme_path = "household__programme"


class Member(AuditedModel):
    """A person in a household."""

    class Relation(models.TextChoices):
        REFERENCE = "reference", _("Reference person")
        PARTNER = "partner", _("Spouse or partner")
        CHILD = "child", _("Son or daughter")
        PARENT = "parent", _("Parent")
        SIBLING = "sibling", _("Brother or sister")
        OTHER = "other", _("Other relative or cohabitant")

    class Employment(models.TextChoices):
        EMPLOYED = "employed", _("Employed")
        PRECARIOUS = "precarious", _("Temporary or part-time work")
        SELF_EMPLOYED = "self_employed", _("Self-employed")
        UNEMPLOYED = "unemployed", _("Unemployed")
        STUDENT = "student", _("Student")
        RETIRED = "retired", _("Retired")
        HOME = "home", _("Homemaker or carer")
        NOT_APPLICABLE = "n_a", _("Not applicable (child)")

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="members", verbose_name=_("household")
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("surname"), max_length=100)
    codice_fiscale = models.CharField(
        _("codice fiscale"), max_length=16, blank=True, validators=[validate_codice_fiscale]
    )
    plausible_dates = {"birth_date": dates.BIRTH}
    birth_date = models.DateField(_("birth date"))
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    has_disability = models.BooleanField(_("disability (L. 104/1992)"), default=False)
    employment = models.CharField(
        _("employment"), max_length=20, choices=Employment.choices, blank=True
    )

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["household", "birth_date", "pk"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=models.Q(relation="reference"),
                name="member_one_reference_per_household",
            ),
            # One person, one household, in every programme: the codice fiscale names a person
            # (stored upper-case without spaces, see clean()).
            models.UniqueConstraint(
                fields=["codice_fiscale"],
                condition=~models.Q(codice_fiscale=""),
                name="member_codice_fiscale_unique",
            ),
        ]
        indexes = [
            # The possible duplicates of a household's members (same birth date and a
            # similar name: selectors.households._duplicate_match), on the household's page
            # and at referral.
            models.Index(fields=["birth_date"], name="member_birth_date_idx"),
        ]

    def __str__(self):
        return f"{self.last_name} {self.first_name}"

    def clean(self):
        super().clean()
        if self.codice_fiscale:
            self.codice_fiscale = self.codice_fiscale.replace(" ", "").upper()
        if self.birth_date and self.birth_date > localdate():
            raise ValidationError({"birth_date": _("The birth date cannot be in the future.")})
        if (
            self.codice_fiscale
            and self.birth_date
            and len(self.codice_fiscale) == 16
            and not codice_fiscale_birth_date_matches(self.codice_fiscale, self.birth_date)
        ):
            raise ValidationError(
                {
                    "codice_fiscale": _(
                        "The codice fiscale does not match the birth date %(date)s."
                    )
                    % {"date": date_format(self.birth_date, "SHORT_DATE_FORMAT")}
                }
            )

    def programme_for_audit(self):
        return self.household.programme

    def audit_context(self):
        return self.household

    def age(self, today: date | None = None) -> int:
        today = today or localdate()
        before_birthday = (today.month, today.day) < (self.birth_date.month, self.birth_date.day)
        return today.year - self.birth_date.year - before_birthday

    def is_minor(self, today: date | None = None) -> bool:
        return self.age(today) < 18
