"""The eviction case: the court procedure for arrears on a lease, step by step, and its dated
deadlines."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from common.models import AuditedModel, ProgrammeQuerySet
from common.roles import is_programme_operator
from tenancies.models.eviction.fields import money


class Cause(models.TextChoices):
    UNEMPLOYMENT = "unemployment", _("Job loss")
    REDUCED_HOURS = "reduced_hours", _("Reduced working hours")
    CONTRACT_NOT_RENEWED = "contract_not_renewed", _("Fixed-term contract not renewed")
    BUSINESS_CLOSED = "business_closed", _("Own business closed")
    ILLNESS = "illness", _("Illness or injury")
    DEATH = "death", _("Death of a household member")
    SEPARATION = "separation", _("Separation or divorce")
    OTHER = "other", _("Other")


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
    arrears_at_opening = money(_("arrears when opened"), default=0)
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
    settlement_fund_cover = money(_("fund cover through a guarantee claim"), null=True, blank=True)
    settlement_household_repays = money(_("household repays"), null=True, blank=True)
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

    # What the case page offers besides its steps; the services refuse on the same conditions.
    @property
    def takes_actions(self) -> bool:
        """Meetings, fund applications and past grace periods are recorded on open cases."""
        return not self.is_closed

    @property
    def takes_access_notice(self) -> bool:
        """The bailiff's access is noticed once the precetto is served (c.p.c. art. 608)."""
        return self.status == self.Status.ENFORCEMENT_SCHEDULED

    @property
    def takes_access_postponement(self) -> bool:
        return self.takes_access_notice and self.access_on is not None

    def grace_right_left(self) -> bool:
        """L. 392/1978 art. 55: the household has not used up its grace periods (as of today)."""
        from tenancies.selectors.eviction import eviction_grace_allowance

        allowance, _exceptional = eviction_grace_allowance(case=self, on=timezone.localdate())
        return allowance.allowed

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
        conditions=[grace_right_left],
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
