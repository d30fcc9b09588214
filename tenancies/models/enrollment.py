from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, FSMField, FSMModelMixin, transition
from djmoney.models.fields import MoneyField

from common import dates
from common.models import AuditedModel, ProgrammeQuerySet
from common.roles import is_programme_operator


class EligibilityPolicy(AuditedModel):
    """The programme's eligibility rules and priority weights: settings, not code."""

    programme = models.OneToOneField(
        "common.Programme",
        on_delete=models.CASCADE,
        related_name="eligibility_policy",
        verbose_name=_("programme"),
    )
    isee_ceiling = MoneyField(
        _("ISEE ceiling"),
        max_digits=12,
        decimal_places=2,
        default_currency="EUR",
        default=26000,
        help_text=_("Households with a higher ISEE are not eligible."),
    )
    require_valid_isee = models.BooleanField(
        _("ISEE must be in force"), default=True, help_text=_("An expired ISEE fails the rule.")
    )
    municipalities = models.JSONField(
        _("municipalities of residence"),
        default=list,
        blank=True,
        help_text=_("One per line. Empty means the programme's municipalities."),
    )
    require_vulnerability = models.BooleanField(
        _("at least one vulnerability factor required"), default=True
    )
    weight_minor = models.PositiveSmallIntegerField(_("points per minor"), default=3)
    weight_over_70 = models.PositiveSmallIntegerField(_("points per person over 70"), default=3)
    weight_disability = models.PositiveSmallIntegerField(
        _("points per person with a disability"), default=4
    )
    weight_eviction = models.PositiveSmallIntegerField(
        _("points for an eviction notice already served"), default=6
    )
    weight_arrears_not_at_fault = models.PositiveSmallIntegerField(
        _("points for arrears not caused by the household's fault"), default=5
    )

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("eligibility policy")
        verbose_name_plural = _("eligibility policies")

    def __str__(self):
        return str(_("Eligibility rules of %(programme)s") % {"programme": self.programme})

    def effective_municipalities(self) -> list[str]:
        return list(self.municipalities or self.programme.municipalities)


class EnrollmentQuerySet(ProgrammeQuerySet):
    programme_path = "household__programme"

    def active(self):
        return self.filter(status__in=Enrollment.ACTIVE_STATES)


def enrollment_is_latest(enrollment) -> bool:
    """Condition: no newer enrolment of the household was opened. An old enrolment that a new
    one replaced stays closed: reopening it would give the household two open enrolments."""
    return not Enrollment.objects.filter(
        household_id=enrollment.household_id, pk__gt=enrollment.pk
    ).exists()


def enrollment_was_assessed(enrollment) -> bool:
    """Condition for an override: there is an assessment to override."""
    return enrollment.assessments.exists()


def enrollment_assessment_allows(enrollment) -> bool:
    """Condition for enrolling: the last assessment passed, or an operator overrode it."""
    assessment = enrollment.assessments.order_by("-assessed_at", "-pk").first()
    return assessment is not None and (assessment.passed or assessment.overridden_by_id is not None)


class Enrollment(FSMModelMixin, AuditedModel):
    """A household's path through the programme, from referral to exit. One active at a time."""

    class Status(models.TextChoices):
        REFERRED = "referred", _("Referred")
        ASSESSING = "assessing", _("Being assessed")
        ELIGIBLE = "eligible", _("Eligible, waiting")
        INELIGIBLE = "ineligible", _("Not eligible")
        ENROLLED = "enrolled", _("Enrolled")
        EXITED = "exited", _("Exited")

    class ExitReason(models.TextChoices):
        AUTONOMY = "autonomy", _("Housing autonomy reached")
        MOVED_AWAY = "moved_away", _("Moved away")
        WITHDREW = "withdrew", _("Withdrew")
        PACT_BROKEN = "pact_broken", _("Pact broken")
        OTHER = "other", _("Other")

    ACTIVE_STATES = (Status.REFERRED, Status.ASSESSING, Status.ELIGIBLE, Status.ENROLLED)
    # States in which the household may draft a pact or be offered a place.
    SUPPORTED_STATES = (Status.ELIGIBLE, Status.ENROLLED)

    # How the enrolment's transitions read on a timeline: their names ("exit", "enrol") are
    # too common to register project-wide, where another model's verb would read as ours.
    audit_verbs = {
        "start_assessment": _("assessment started"),
        "assess": _("eligibility checked"),
        "override": _("eligibility overridden"),
        "reassess": _("sent back to assessment"),
        "enrol": _("enrolled"),
        "exit": _("left the programme"),
    }

    household = models.ForeignKey(
        "tenancies.Household",
        on_delete=models.PROTECT,
        related_name="enrollments",
        verbose_name=_("household"),
    )
    status = FSMField(
        _("status"), default=Status.REFERRED, choices=Status.choices, protected=True, max_length=20
    )
    plausible_dates = {
        "referred_on": dates.EVENT,
        "enrolled_on": dates.EVENT,
        "exited_on": dates.EVENT,
    }
    referred_on = models.DateField(_("referred on"))
    enrolled_on = models.DateField(_("enrolled on"), null=True, blank=True)
    exited_on = models.DateField(_("exited on"), null=True, blank=True)
    exit_reason = models.CharField(
        _("exit reason"), max_length=20, choices=ExitReason.choices, blank=True
    )

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        ordering = ["-referred_on", "-pk"]
        indexes = [
            # Each household's current enrolment (household list, caseload): the newest first.
            models.Index(
                fields=["household", "-referred_on", "-id"], name="enrollment_current_idx"
            ),
        ]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=models.Q(status__in=["referred", "assessing", "eligible", "enrolled"]),
                name="enrollment_one_active_per_household",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="exited") | ~models.Q(exit_reason=""),
                name="enrollment_exit_has_reason",
            ),
        ]

    def __str__(self):
        return str(_("Enrolment of %(household)s") % {"household": self.household})

    def programme_for_audit(self):
        return self.household.programme

    def audit_context(self):
        return self.household

    def get_absolute_url(self):
        return reverse("tenancies:household_detail", args=[self.household_id])

    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATES

    @transition(
        field=status,
        source=Status.REFERRED,
        target=Status.ASSESSING,
        permission=is_programme_operator,
        custom={"label": _("Start the assessment")},
    )
    def start_assessment(self):
        pass

    @transition(
        field=status,
        source=Status.ASSESSING,
        target=RETURN_VALUE(Status.ELIGIBLE, Status.INELIGIBLE),
        permission=is_programme_operator,
        custom={"label": _("Check eligibility")},
    )
    def assess(self, passed: bool):
        return self.Status.ELIGIBLE if passed else self.Status.INELIGIBLE

    @transition(
        field=status,
        source=Status.INELIGIBLE,
        target=Status.ELIGIBLE,
        conditions=[enrollment_is_latest, enrollment_was_assessed],
        permission=is_programme_operator,
        custom={"label": _("Override: declare eligible"), "needs_note": True, "danger": True},
    )
    def override(self):
        pass

    @transition(
        field=status,
        source=[Status.ELIGIBLE, Status.INELIGIBLE],
        target=Status.ASSESSING,
        conditions=[enrollment_is_latest],
        permission=is_programme_operator,
        custom={"label": _("Assess again")},
    )
    def reassess(self):
        pass

    @transition(
        field=status,
        source=Status.ELIGIBLE,
        target=Status.ENROLLED,
        conditions=[enrollment_assessment_allows],
        permission=is_programme_operator,
        custom={"label": _("Enrol")},
    )
    def enrol(self, on):
        self.enrolled_on = on

    @transition(
        field=status,
        source=Status.ENROLLED,
        target=Status.EXITED,
        permission=is_programme_operator,
        custom={"label": _("Close: exit the programme"), "needs_note": True, "danger": True},
    )
    def exit(self, on, reason):
        self.exited_on = on
        self.exit_reason = reason


class Assessment(AuditedModel):
    """One eligibility check: each rule with its outcome, and the operator's override if any."""

    enrollment = models.ForeignKey(
        Enrollment,
        on_delete=models.CASCADE,
        related_name="assessments",
        verbose_name=_("enrolment"),
    )
    assessed_at = models.DateTimeField(_("assessed at"), auto_now_add=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assessed by"),
    )
    results = models.JSONField(_("rule results"), default=list)
    passed = models.BooleanField(_("all rules passed"))
    override_reason = models.TextField(_("override reason"), blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("overridden by"),
    )
    overridden_at = models.DateTimeField(_("overridden at"), null=True, blank=True)

    class Meta:
        ordering = ["-assessed_at", "-pk"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self):
        return str(_("Assessment of %(household)s") % {"household": self.enrollment.household})

    def clean(self):
        super().clean()
        if self.overridden_by_id and not self.override_reason.strip():
            raise ValidationError({"override_reason": _("Write why the rules are overridden.")})

    def programme_for_audit(self):
        return self.enrollment.household.programme

    def audit_context(self):
        return self.enrollment.household

    @property
    def failed_rules(self) -> list[dict]:
        return [r for r in self.results if not r["passed"]]
