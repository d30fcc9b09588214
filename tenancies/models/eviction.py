"""Eviction prevention: the court procedure for arrears, followed step by step with its clock."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from djmoney.models.fields import MoneyField
from djmoney.models.validators import MinMoneyValidator

from common.models import AuditedModel, ProgrammeQuerySet
from common.roles import is_programme_operator
from tenancies.legal_clock import DEFAULT_RULES, ClockRules


def _money(label, **kwargs):
    return MoneyField(
        label,
        max_digits=12,
        decimal_places=2,
        default_currency="EUR",
        validators=[MinMoneyValidator(0)],
        **kwargs,
    )


class Cause(models.TextChoices):
    UNEMPLOYMENT = "unemployment", _("Job loss")
    REDUCED_HOURS = "reduced_hours", _("Reduced working hours")
    CONTRACT_NOT_RENEWED = "contract_not_renewed", _("Fixed-term contract not renewed")
    BUSINESS_CLOSED = "business_closed", _("Own business closed")
    ILLNESS = "illness", _("Illness or injury")
    DEATH = "death", _("Death of a household member")
    SEPARATION = "separation", _("Separation or divorce")
    OTHER = "other", _("Other")


class EvictionPolicy(AuditedModel):
    """A programme's numbers for the legal clock; the defaults are the law's (see legal_clock)."""

    programme = models.OneToOneField(
        "common.Programme", on_delete=models.CASCADE, related_name="eviction_policy"
    )
    summons_min_days = models.PositiveSmallIntegerField(
        _("free days between summons and hearing"),
        default=DEFAULT_RULES.summons_min_days,
        help_text=_("c.p.c. art. 660: 20 days."),
    )
    grace_max_days = models.PositiveSmallIntegerField(
        _("longest grace period, in days"),
        default=DEFAULT_RULES.grace_max_days,
        help_text=_("L. 392/1978 art. 55: 90 days."),
    )
    grace_max_days_exceptional = models.PositiveSmallIntegerField(
        _("longest grace period when arrears come from job loss or illness"),
        default=DEFAULT_RULES.grace_max_days_exceptional,
        help_text=_("L. 392/1978 art. 55: 120 days."),
    )
    grace_max_uses = models.PositiveSmallIntegerField(
        _("grace periods allowed in the window"),
        default=DEFAULT_RULES.grace_max_uses,
        help_text=_("L. 392/1978 art. 55: 3 times in 4 years."),
    )
    grace_max_uses_exceptional = models.PositiveSmallIntegerField(
        _("grace periods allowed when arrears come from job loss or illness"),
        default=DEFAULT_RULES.grace_max_uses_exceptional,
        help_text=_("L. 392/1978 art. 55: 4 times in 4 years."),
    )
    grace_window_years = models.PositiveSmallIntegerField(
        _("window for counting grace periods, in years"),
        default=DEFAULT_RULES.grace_window_years,
        validators=[MinValueValidator(1)],
        help_text=_("L. 392/1978 art. 55: 4 years."),
    )
    grace_exceptional_max_arrears_months = models.PositiveSmallIntegerField(
        _("most months of arrears for the wider grace"),
        default=DEFAULT_RULES.grace_exceptional_max_arrears_months,
        help_text=_("L. 392/1978 art. 55: 2 months."),
    )
    new_hearing_within_days = models.PositiveSmallIntegerField(
        _("new hearing at most this many days after the grace period"),
        default=DEFAULT_RULES.new_hearing_within_days,
        help_text=_("L. 392/1978 art. 55: 10 days."),
    )
    precetto_term_days = models.PositiveSmallIntegerField(
        _("days the precetto gives to leave"),
        default=DEFAULT_RULES.precetto_term_days,
        help_text=_("c.p.c. art. 480: 10 days."),
    )
    access_notice_days = models.PositiveSmallIntegerField(
        _("days' notice of the bailiff's access"),
        default=DEFAULT_RULES.access_notice_days,
        help_text=_("c.p.c. art. 608: at least 10 days."),
    )
    precetto_lapse_days = models.PositiveSmallIntegerField(
        _("days after which a precetto without enforcement lapses"),
        default=DEFAULT_RULES.precetto_lapse_days,
        help_text=_("c.p.c. art. 481: 90 days."),
    )
    fund_isee_max = models.DecimalField(
        _("highest ISEE for the fondo morosità incolpevole"),
        max_digits=10,
        decimal_places=2,
        default=DEFAULT_RULES.fund_isee_max,
        help_text=_("D.M. 30 March 2016: 26,000 euros."),
    )
    fund_max_amount = models.DecimalField(
        _("largest contribution of the fondo morosità incolpevole"),
        max_digits=10,
        decimal_places=2,
        default=DEFAULT_RULES.fund_max_amount,
        help_text=_("D.M. 30 March 2016: 12,000 euros."),
    )
    due_soon_days = models.PositiveSmallIntegerField(
        _("days ahead that count as due soon"), default=DEFAULT_RULES.due_soon_days
    )

    class Meta:
        verbose_name = _("eviction policy")
        verbose_name_plural = _("eviction policies")

    def __str__(self):
        return str(self.programme)

    def rules(self) -> ClockRules:
        return ClockRules(
            **{
                name: getattr(self, name)
                for name in ClockRules.__dataclass_fields__
                if hasattr(self, name)
            }
        )


class EvictionCaseQuerySet(ProgrammeQuerySet):
    def open(self):
        return self.exclude(status__in=EvictionCase.CLOSED)


class EvictionCase(FSMModelMixin, AuditedModel):
    """An eviction for arrears on a lease, from the first risk to its outcome."""

    class Status(models.TextChoices):
        AT_RISK = "at_risk", _("At risk")
        SUMMONS_SERVED = "summons_served", _("Summons served")
        MEDIATION = "mediation", _("Mediation")
        SETTLED = "settled", _("Settlement agreed")
        CLOSED_PREVENTED = "closed_prevented", _("Closed: eviction prevented")
        HEARING = "hearing", _("At the validation hearing")
        GRACE_PERIOD = "grace_period", _("Grace period")
        CURED = "cured", _("Cured at the hearing")
        VALIDATED = "validated", _("Eviction validated")
        ENFORCEMENT_SCHEDULED = "enforcement_scheduled", _("Enforcement under way")
        REHOUSED = "rehoused", _("Household rehoused")
        EVICTED = "evicted", _("Evicted")
        WITHDRAWN = "withdrawn", _("Withdrawn by the landlord")

    class Outcome(models.TextChoices):
        PREVENTED_SETTLEMENT = "prevented_settlement", _("Prevented by settlement")
        CURED_AT_HEARING = "cured_at_hearing", _("Cured at the hearing")
        REHOUSED = "rehoused", _("Rehoused")
        EVICTED = "evicted", _("Evicted")
        WITHDRAWN = "withdrawn", _("Withdrawn by the landlord")

    CLOSED = ("closed_prevented", "cured", "rehoused", "evicted", "withdrawn")
    OPEN = (
        "at_risk",
        "summons_served",
        "mediation",
        "settled",
        "hearing",
        "grace_period",
        "validated",
        "enforcement_scheduled",
    )

    programme = models.ForeignKey(
        "common.Programme",
        on_delete=models.PROTECT,
        related_name="eviction_cases",
        verbose_name=_("programme"),
    )
    lease = models.ForeignKey(
        "tenancies.Lease",
        on_delete=models.PROTECT,
        related_name="eviction_cases",
        verbose_name=_("lease"),
    )
    arrears_case = models.OneToOneField(
        "tenancies.ArrearsCase",
        on_delete=models.PROTECT,
        related_name="eviction_case",
        null=True,
        blank=True,
        verbose_name=_("arrears case"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="eviction_cases",
        null=True,
        blank=True,
        verbose_name=_("operator"),
    )
    status = FSMField(
        _("status"), max_length=24, choices=Status.choices, default=Status.AT_RISK, protected=True
    )
    outcome = models.CharField(_("outcome"), max_length=24, choices=Outcome.choices, blank=True)
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    arrears_at_opening = _money(_("arrears when opened"), default=0)
    cause = models.CharField(
        _("cause of the arrears"), max_length=24, choices=Cause.choices, default=Cause.OTHER
    )
    cause_arose_on = models.DateField(_("cause arose on"), null=True, blank=True)
    # the court procedure, as recorded
    summons_served_on = models.DateField(_("summons served on"), null=True, blank=True)
    hearing_on = models.DateField(_("validation hearing on"), null=True, blank=True)
    hearing_held_on = models.DateField(_("hearing held on"), null=True, blank=True)
    grace_granted_on = models.DateField(_("grace period granted on"), null=True, blank=True)
    grace_days = models.PositiveSmallIntegerField(_("grace period, days"), null=True, blank=True)
    grace_ends_on = models.DateField(_("grace period ends on"), null=True, blank=True)
    grace_exceptional = models.BooleanField(
        _("arrears of at most two months from job loss or illness"), default=False
    )
    new_hearing_on = models.DateField(_("new hearing on"), null=True, blank=True)
    convalida_on = models.DateField(_("eviction validated on"), null=True, blank=True)
    execution_from = models.DateField(
        _("enforcement possible from"),
        null=True,
        blank=True,
        help_text=_("The date the judge set for the release (L. 392/1978 art. 56)."),
    )
    precetto_served_on = models.DateField(_("precetto served on"), null=True, blank=True)
    access_notice_served_on = models.DateField(
        _("notice of access served on"), null=True, blank=True
    )
    access_on = models.DateField(_("bailiff's access on"), null=True, blank=True)
    access_postponements = models.PositiveSmallIntegerField(_("accesses postponed"), default=0)
    # prevention
    settled_on = models.DateField(_("settlement signed on"), null=True, blank=True)
    settlement_fund_cover = _money(_("fund cover through a guarantee claim"), null=True, blank=True)
    settlement_household_repays = _money(_("household repays"), null=True, blank=True)
    settlement_instalments = models.PositiveSmallIntegerField(
        _("monthly instalments"), null=True, blank=True
    )
    settlement_terms = models.TextField(_("settlement terms"), blank=True)
    rehousing_note = models.TextField(_("rehousing"), blank=True)

    objects = EvictionCaseQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("eviction prevention case")
        verbose_name_plural = _("eviction prevention cases")
        constraints = [
            models.UniqueConstraint(
                fields=["lease"],
                condition=models.Q(
                    status__in=[
                        "at_risk",
                        "summons_served",
                        "mediation",
                        "settled",
                        "hearing",
                        "grace_period",
                        "validated",
                        "enforcement_scheduled",
                    ]
                ),
                name="evictioncase_one_open_per_lease",
            ),
            models.CheckConstraint(
                condition=models.Q(outcome="")
                | models.Q(
                    status__in=["closed_prevented", "cured", "rehoused", "evicted", "withdrawn"]
                ),
                name="evictioncase_outcome_only_when_closed",
            ),
        ]

    audit_verbs = {
        "opened": _("eviction prevention case opened"),
        "dates_recorded": _("procedure dates recorded"),
        "meeting_recorded": _("mediation meeting recorded"),
        "access_noticed": _("notice of the bailiff's access recorded"),
        "access_postponed": _("bailiff's access postponed"),
        "past_grace_recorded": _("past grace period recorded"),
    }

    def __str__(self):
        return _("Eviction of %(lease)s") % {"lease": self.lease}

    def audit_context(self):
        return self.lease.household

    def get_absolute_url(self):
        return reverse("tenancies:eviction_case", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED

    def _close(self, on, outcome):
        self.closed_on = on
        self.outcome = outcome

    @transition(
        field=status,
        source=Status.AT_RISK,
        target=Status.SUMMONS_SERVED,
        permission=is_programme_operator,
        custom={"label": _("Record the summons")},
    )
    def serve_summons(self, *, served_on, hearing_on):
        self.summons_served_on = served_on
        self.hearing_on = hearing_on

    @transition(
        field=status,
        source=[Status.AT_RISK, Status.SUMMONS_SERVED],
        target=Status.MEDIATION,
        permission=is_programme_operator,
        custom={"label": _("Start mediation with the landlord")},
    )
    def start_mediation(self):
        pass

    @transition(
        field=status,
        source=[Status.AT_RISK, Status.SUMMONS_SERVED, Status.MEDIATION, Status.HEARING],
        target=Status.SETTLED,
        permission=is_programme_operator,
        custom={"label": _("Record the settlement")},
    )
    def settle(self, *, on):
        self.settled_on = on

    @transition(
        field=status,
        source=Status.SETTLED,
        target=Status.CLOSED_PREVENTED,
        permission=is_programme_operator,
        custom={"label": _("Close: eviction prevented"), "needs_note": True},
    )
    def close_prevented(self, *, on):
        self._close(on, self.Outcome.PREVENTED_SETTLEMENT)

    @transition(
        field=status,
        source=[Status.SUMMONS_SERVED, Status.MEDIATION],
        target=Status.HEARING,
        conditions=[lambda case: case.hearing_on is not None],
        permission=is_programme_operator,
        custom={"label": _("Hearing held")},
    )
    def hold_hearing(self, *, on):
        self.hearing_held_on = on

    @transition(
        field=status,
        source=Status.HEARING,
        target=Status.GRACE_PERIOD,
        permission=is_programme_operator,
        custom={"label": _("Grace period granted")},
    )
    def grant_grace(self, *, granted_on, days, ends_on, new_hearing_on, exceptional):
        self.grace_granted_on = granted_on
        self.grace_days = days
        self.grace_ends_on = ends_on
        self.new_hearing_on = new_hearing_on
        self.grace_exceptional = exceptional

    @transition(
        field=status,
        source=[Status.HEARING, Status.GRACE_PERIOD],
        target=Status.CURED,
        permission=is_programme_operator,
        custom={"label": _("Arrears cured at the hearing")},
    )
    def cure(self, *, on):
        self._close(on, self.Outcome.CURED_AT_HEARING)

    @transition(
        field=status,
        source=[Status.HEARING, Status.GRACE_PERIOD],
        target=Status.VALIDATED,
        permission=is_programme_operator,
        custom={"label": _("Eviction validated"), "danger": True},
    )
    def validate(self, *, on, execution_from):
        self.convalida_on = on
        self.execution_from = execution_from

    @transition(
        field=status,
        source=Status.VALIDATED,
        target=Status.ENFORCEMENT_SCHEDULED,
        conditions=[lambda case: case.convalida_on is not None],
        permission=is_programme_operator,
        custom={"label": _("Precetto served"), "danger": True},
    )
    def serve_precetto(self, *, on):
        self.precetto_served_on = on

    @transition(
        field=status,
        source=OPEN,
        target=Status.REHOUSED,
        permission=is_programme_operator,
        custom={"label": _("Household rehoused"), "needs_note": True},
    )
    def rehouse(self, *, on):
        self._close(on, self.Outcome.REHOUSED)

    @transition(
        field=status,
        source=Status.ENFORCEMENT_SCHEDULED,
        target=Status.EVICTED,
        conditions=[lambda case: case.access_on is not None],
        permission=is_programme_operator,
        custom={"label": _("Eviction carried out"), "needs_note": True, "danger": True},
    )
    def evict(self, *, on):
        self._close(on, self.Outcome.EVICTED)

    @transition(
        field=status,
        source=OPEN,
        target=Status.WITHDRAWN,
        permission=is_programme_operator,
        custom={"label": _("Withdrawn by the landlord"), "needs_note": True},
    )
    def withdraw(self, *, on):
        self._close(on, self.Outcome.WITHDRAWN)


class EvictionTask(models.Model):
    """A dated deadline on a case, computed by the legal clock from the recorded dates and
    rewritten whenever they change; only the deadlines still ahead of the case are kept."""

    case = models.ForeignKey(EvictionCase, on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(max_length=24)
    due_on = models.DateField(_("due on"), db_index=True)
    source = models.CharField(_("legal source"), max_length=60)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "kind"], name="evictiontask_one_per_kind"),
        ]

    def __str__(self):
        return f"{self.kind} {date_format(self.due_on, 'SHORT_DATE_FORMAT')}"


class GraceUse(AuditedModel):
    """A termine di grazia the household was granted (in this programme or before it): the
    count in the last four years decides whether the judge may grant another."""

    household = models.ForeignKey(
        "tenancies.Household", on_delete=models.PROTECT, related_name="grace_uses"
    )
    case = models.ForeignKey(
        EvictionCase, on_delete=models.PROTECT, related_name="grace_uses", null=True, blank=True
    )
    granted_on = models.DateField(_("granted on"))
    days = models.PositiveSmallIntegerField(_("days"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=250, blank=True)

    class Meta:
        ordering = ["-granted_on", "-id"]
        verbose_name = _("grace period granted")
        verbose_name_plural = _("grace periods granted")

    def __str__(self):
        return f"{date_format(self.granted_on, 'SHORT_DATE_FORMAT')}"

    def programme_for_audit(self):
        return self.household.programme

    def audit_context(self):
        return self.household


class MediationMeeting(AuditedModel):
    """A meeting with the landlord (and the household) to stop the eviction."""

    class Result(models.TextChoices):
        AGREEMENT = "agreement", _("Agreement reached")
        CONTINUING = "continuing", _("Talks continue")
        FAILED = "failed", _("No agreement")

    case = models.ForeignKey(EvictionCase, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("held on"))
    participants = models.CharField(_("participants"), max_length=250, blank=True)
    result = models.CharField(_("outcome"), max_length=16, choices=Result.choices)
    note = models.TextField(_("what was agreed or said"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("mediation meeting")
        verbose_name_plural = _("mediation meetings")

    def __str__(self):
        return f"{date_format(self.held_on, 'SHORT_DATE_FORMAT')} {self.get_result_display()}"

    def programme_for_audit(self):
        return self.case.programme

    def audit_context(self):
        return self.case.lease.household


def _is_case_operator(instance, user) -> bool:
    return is_programme_operator(instance.case, user)


class FundApplication(FSMModelMixin, AuditedModel):
    """An application to a public fund (fondo morosità incolpevole) for the arrears."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")
        RECEIVED = "received", _("Money received")

    case = models.ForeignKey(EvictionCase, on_delete=models.PROTECT, related_name="applications")
    fund_name = models.CharField(
        _("fund"), max_length=120, default="Fondo inquilini morosi incolpevoli"
    )
    applied_on = models.DateField(_("applied on"))
    amount_requested = _money(_("amount requested"))
    amount_granted = _money(_("amount granted"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    status = FSMField(
        _("status"), max_length=12, choices=Status.choices, default=Status.APPLIED, protected=True
    )
    payment = models.OneToOneField(
        "tenancies.Payment",
        on_delete=models.PROTECT,
        related_name="fund_application",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["-applied_on", "-id"]
        verbose_name = _("public fund application")
        verbose_name_plural = _("public fund applications")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_requested__gt=Decimal("0")),
                name="fundapplication_amount_positive",
            ),
        ]

    def __str__(self):
        return f"{self.fund_name} {date_format(self.applied_on, 'SHORT_DATE_FORMAT')}"

    def programme_for_audit(self):
        return self.case.programme

    def audit_context(self):
        return self.case.lease.household

    @transition(
        field=status,
        source=Status.APPLIED,
        target=Status.GRANTED,
        permission=_is_case_operator,
        custom={"label": _("Application granted")},
    )
    def grant(self, *, on, amount):
        self.decided_on = on
        self.amount_granted = amount

    @transition(
        field=status,
        source=Status.APPLIED,
        target=Status.REFUSED,
        permission=_is_case_operator,
        custom={"label": _("Application refused"), "needs_note": True},
    )
    def refuse(self, *, on):
        self.decided_on = on

    @transition(
        field=status,
        source=Status.GRANTED,
        target=Status.RECEIVED,
        permission=_is_case_operator,
        custom={"label": _("Money received")},
    )
    def receive(self, *, payment):
        self.payment = payment


class CalendarToken(models.Model):
    """The secret in an operator's calendar-feed address; only its SHA-256 is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_tokens"
    )
    programme = models.ForeignKey("common.Programme", on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "programme"], name="calendartoken_one_per_user_programme"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.programme}"
