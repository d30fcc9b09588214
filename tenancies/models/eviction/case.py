"""The eviction case: the court procedure for arrears on a lease, step by step, and its dated
deadlines."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from common import dates
from common.models import AuditedModel, ProgrammeQuerySet
from common.roles import is_programme_operator
from tenancies import legal_procedure
from tenancies.models.eviction.fields import money

# The placements that can have rehoused a household: accepted (moving in) or lived in.
REHOUSING_PLACEMENT_STATES = ("accepted", "active")


class Cause(models.TextChoices):
    UNEMPLOYMENT = "unemployment", _("Job loss")
    REDUCED_HOURS = "reduced_hours", _("Reduced working hours")
    CONTRACT_NOT_RENEWED = "contract_not_renewed", _("Fixed-term contract not renewed")
    BUSINESS_CLOSED = "business_closed", _("Own business closed")
    ILLNESS = "illness", _("Illness or injury")
    DEATH = "death", _("Death of a household member")
    SEPARATION = "separation", _("Separation or divorce")
    # L. 392/1978 art. 55 co. 3: "gravi, comprovate condizioni di difficoltà".
    HARDSHIP = "hardship", _("Serious, proven hardship")
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
        OPPOSED = "opposed", _("Opposed: ordinary proceedings")
        GRACE_PERIOD = "grace_period", _("Grace period")
        CURED = "cured", _("Cured at the hearing")
        VALIDATED = "validated", _("Eviction validated")
        ENFORCEMENT_SCHEDULED = "enforcement_scheduled", _("Enforcement under way")
        REHOUSED = "rehoused", _("Household rehoused")
        EVICTED = "evicted", _("Evicted")
        WITHDRAWN = "withdrawn", _("Withdrawn by the landlord")
        DISMISSED = "dismissed", _("Claim rejected by the judge")

    class Outcome(models.TextChoices):
        PREVENTED_SETTLEMENT = "prevented_settlement", _("Prevented by settlement")
        CURED_AT_HEARING = "cured_at_hearing", _("Cured at the hearing")
        REHOUSED = "rehoused", _("Rehoused")
        EVICTED = "evicted", _("Evicted")
        WITHDRAWN = "withdrawn", _("Withdrawn by the landlord")
        DISMISSED = "dismissed", _("Claim rejected by the judge")

    class OppositionOutcome(models.TextChoices):
        REJECTED = "rejected", _("Opposition rejected: the precetto stands")
        UPHELD = "upheld", _("Opposition upheld: the precetto is void")

    CLOSED = ("closed_prevented", "cured", "rehoused", "evicted", "withdrawn", "dismissed")
    OPEN = (
        "at_risk",
        "summons_served",
        "mediation",
        "settled",
        "hearing",
        "opposed",
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
    plausible_dates = {
        "opened_on": dates.EVENT,
        "closed_on": dates.EVENT,
        "cause_arose_on": dates.EVENT,
        "lease_signed_on": dates.EVENT,
        "summons_served_on": dates.COURT,
        "hearing_on": dates.COURT,
        "hearing_held_on": dates.COURT,
        "opposed_on": dates.COURT,
        "judgment_on": dates.COURT,
        "grace_granted_on": dates.COURT,
        "grace_ends_on": dates.COURT,
        "new_hearing_on": dates.COURT,
        "convalida_on": dates.COURT,
        "execution_from": dates.COURT,
        "precetto_served_on": dates.COURT,
        "access_notice_served_on": dates.COURT,
        "access_on": dates.COURT,
        "precetto_opposed_on": dates.COURT,
        "precetto_opposition_decided_on": dates.COURT,
        "settled_on": dates.EVENT,
    }
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    arrears_at_opening = money(_("arrears when opened"), default=0)
    cause = models.CharField(
        _("cause of the arrears"), max_length=24, choices=Cause.choices, default=Cause.OTHER
    )
    cause_arose_on = models.DateField(_("cause arose on"), null=True, blank=True)
    # The Lease has a start date but no signing date, and art. 55 co. 3 asks for the signing:
    # the case records it as one of its facts.
    lease_signed_on = models.DateField(
        _("lease signed on"),
        null=True,
        blank=True,
        help_text=_(
            "The wider grace needs hardship arisen after the lease was signed "
            "(L. 392/1978 art. 55)."
        ),
    )
    # the court procedure, as recorded
    summons_served_on = models.DateField(_("summons served on"), null=True, blank=True)
    hearing_on = models.DateField(_("validation hearing on"), null=True, blank=True)
    hearing_held_on = models.DateField(_("hearing held on"), null=True, blank=True)
    hearing_adjournments = models.PositiveSmallIntegerField(_("hearings adjourned"), default=0)
    cure_interest = money(_("legal interest set by the judge"), null=True, blank=True)
    cure_costs = money(_("costs set by the judge"), null=True, blank=True)
    opposed_on = models.DateField(_("opposed at the hearing of"), null=True, blank=True)
    judgment_on = models.DateField(_("judgment on"), null=True, blank=True)
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
    precetto_opposed_on = models.DateField(
        _("opposition to the precetto filed on"), null=True, blank=True
    )
    precetto_opposition_decided_on = models.DateField(
        _("opposition to the precetto decided on"), null=True, blank=True
    )
    precetto_opposition_outcome = models.CharField(
        _("outcome of the opposition to the precetto"),
        max_length=12,
        choices=OppositionOutcome.choices,
        blank=True,
    )
    precetto_renewals = models.PositiveSmallIntegerField(_("precetti renewed"), default=0)
    # prevention
    settled_on = models.DateField(_("settlement signed on"), null=True, blank=True)
    settlement_fund_cover = money(_("fund cover through a guarantee claim"), null=True, blank=True)
    settlement_household_repays = money(_("household repays"), null=True, blank=True)
    settlement_instalments = models.PositiveSmallIntegerField(
        _("monthly instalments"), null=True, blank=True
    )
    settlement_terms = models.TextField(_("settlement terms"), blank=True)
    rehousing_note = models.TextField(_("rehousing"), blank=True)
    rehousing_placement = models.ForeignKey(
        "tenancies.Placement",
        on_delete=models.PROTECT,
        related_name="rehousing_eviction_cases",
        null=True,
        blank=True,
        verbose_name=_("placement that rehoused the household"),
    )

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
                        "opposed",
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
                    status__in=[
                        "closed_prevented",
                        "cured",
                        "rehoused",
                        "evicted",
                        "withdrawn",
                        "dismissed",
                    ]
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
        """c.p.c. artt. 480, 482, 608 and L. 392/1978 art. 56: the notice of access is offered
        once the precetto's 10 days have run and the release date has come, while the precetto
        is alive (neither lapsed nor void)."""
        if self.status != self.Status.ENFORCEMENT_SCHEDULED or self.precetto_served_on is None:
            return False
        today = timezone.localdate()
        return (
            not self.precetto_void
            and not self.precetto_lapsed(today)
            and today >= self.access_notice_earliest()
        )

    @property
    def takes_access_postponement(self) -> bool:
        return self.status == self.Status.ENFORCEMENT_SCHEDULED and self.access_on is not None

    # --- the facts the conditions read -----------------------------------------------------

    def rules(self):
        from tenancies.selectors.eviction import eviction_rules

        return eviction_rules(programme_id=self.programme_id)

    def grace_right_left(self) -> bool:
        """L. 392/1978 art. 55 co. 4: the household has not used up its sanatorie (today)."""
        from tenancies.selectors.eviction import eviction_grace_allowance

        allowance, _exceptional = eviction_grace_allowance(case=self, on=timezone.localdate())
        return allowance.allowed

    def hearing_day_reached(self) -> bool:
        """The hearing's outcome is recorded on its day or later (after a rinvio, the new day)."""
        return self.hearing_on is not None and timezone.localdate() >= self.hearing_on

    def cure_day(self):
        """The day the page judges a cure on: today, or the new hearing after a grace period
        once it has passed (rent falling due after it is a new matter, not the sanatoria's)."""
        today = timezone.localdate()
        if self.status == self.Status.GRACE_PERIOD and self.new_hearing_on is not None:
            return min(today, self.new_hearing_on)
        return today

    def cure_balance(self, *, on=None, interest=None, costs=None):
        """L. 392/1978 art. 55 co. 1: what curing takes on `on` (today), from the rent ledger
        and the interest and costs the judge set (those recorded unless given)."""
        from tenancies.selectors.eviction import eviction_cure_balance

        return eviction_cure_balance(
            case=self,
            on=on or self.cure_day(),
            interest=self.cure_interest if interest is None else interest,
            costs=self.cure_costs if costs is None else costs,
        )

    @property
    def has_release_title(self) -> bool:
        """The convalida, or the judgment after an opposition, orders the release."""
        return self.convalida_on is not None or self.judgment_on is not None

    @property
    def precetto_opposition_pending(self) -> bool:
        return self.precetto_opposed_on is not None and self.precetto_opposition_decided_on is None

    @property
    def precetto_void(self) -> bool:
        return self.precetto_opposition_outcome == self.OppositionOutcome.UPHELD

    def precetto_lapse_day(self):
        """c.p.c. art. 481: the day the precetto lapses, moved by an opposition (None while it
        is pending)."""
        if self.precetto_served_on is None:
            return None
        return legal_procedure.precetto_lapse_day(
            served_on=self.precetto_served_on,
            opposed_on=self.precetto_opposed_on,
            opposition_decided_on=self.precetto_opposition_decided_on,
            rules=self.rules(),
        )

    def precetto_lapsed(self, today) -> bool:
        return self.precetto_served_on is not None and legal_procedure.precetto_has_lapsed(
            served_on=self.precetto_served_on,
            notice_served_on=self.access_notice_served_on,
            today=today,
            opposed_on=self.precetto_opposed_on,
            opposition_decided_on=self.precetto_opposition_decided_on,
            rules=self.rules(),
        )

    def access_notice_earliest(self):
        return legal_procedure.access_notice_earliest(
            precetto_served_on=self.precetto_served_on,
            execution_from=self.execution_from,
            rules=self.rules(),
        )

    # --- the conditions of the steps -------------------------------------------------------

    def _may_grant_grace(self) -> bool:
        return self.hearing_day_reached() and self.grace_right_left()

    def _may_cure(self) -> bool:
        """Art. 55 co. 1: cured only when the ledger shows everything paid; at the first
        hearing only while the household has a sanatoria left (co. 4)."""
        at_first_hearing = self.status == self.Status.HEARING
        if at_first_hearing and not (self.hearing_day_reached() and self.grace_right_left()):
            return False
        return self.cure_balance().cured

    def _may_validate(self) -> bool:
        """Art. 55 co. 2: after a grace period, only at the new hearing and only if the tenant
        has not paid."""
        if self.status == self.Status.GRACE_PERIOD:
            return (
                legal_procedure.validation_after_grace_allowed(
                    new_hearing_on=self.new_hearing_on, on=timezone.localdate()
                )
                and not self.cure_balance().cured
            )
        return self.hearing_day_reached()

    def _may_adjourn(self) -> bool:
        if self.status == self.Status.GRACE_PERIOD:
            return legal_procedure.validation_after_grace_allowed(
                new_hearing_on=self.new_hearing_on, on=timezone.localdate()
            )
        return self.hearing_day_reached()

    def _may_oppose_precetto(self) -> bool:
        """One opposition per precetto, before enforcement starts (the notice of access)."""
        return (
            self.precetto_served_on is not None
            and self.precetto_opposed_on is None
            and self.access_notice_served_on is None
        )

    def _may_renew_precetto(self) -> bool:
        """A new precetto once the old one lapsed (art. 481) or was declared void."""
        return self.precetto_served_on is not None and (
            self.precetto_void or self.precetto_lapsed(timezone.localdate())
        )

    def _may_evict(self) -> bool:
        return self.access_on is not None and timezone.localdate() >= self.access_on

    def _has_rehousing_placement(self) -> bool:
        # Another home than the one the eviction takes away.
        return (
            self.lease.household.placements.filter(status__in=REHOUSING_PLACEMENT_STATES)
            .exclude(pk=self.lease.placement_id)
            .exists()
        )

    def _close(self, on, outcome):
        self.closed_on = on
        self.outcome = outcome

    # --- the steps -------------------------------------------------------------------------

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
        source=[
            Status.AT_RISK,
            Status.SUMMONS_SERVED,
            Status.MEDIATION,
            Status.HEARING,
            Status.OPPOSED,
        ],
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
        source=[Status.HEARING, Status.GRACE_PERIOD],
        target=None,
        conditions=[_may_adjourn],
        permission=is_programme_operator,
        custom={"label": _("Hearing adjourned (rinvio)")},
    )
    def adjourn(self, *, to):
        if self.status == self.Status.GRACE_PERIOD:
            self.new_hearing_on = to
        else:
            self.hearing_on = to
        self.hearing_adjournments += 1

    @transition(
        field=status,
        source=Status.HEARING,
        target=Status.GRACE_PERIOD,
        conditions=[_may_grant_grace],
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
        conditions=[_may_cure],
        permission=is_programme_operator,
        custom={"label": _("Arrears cured at the hearing")},
    )
    def cure(self, *, on):
        self._close(on, self.Outcome.CURED_AT_HEARING)

    @transition(
        field=status,
        source=[Status.HEARING, Status.GRACE_PERIOD],
        target=Status.VALIDATED,
        conditions=[_may_validate],
        permission=is_programme_operator,
        custom={"label": _("Eviction validated"), "danger": True},
    )
    def validate(self, *, on, execution_from):
        self.convalida_on = on
        self.execution_from = execution_from

    @transition(
        field=status,
        source=Status.HEARING,
        target=Status.OPPOSED,
        conditions=[hearing_day_reached],
        permission=is_programme_operator,
        custom={"label": _("Tenant opposed: ordinary proceedings")},
    )
    def oppose(self, *, on):
        self.opposed_on = on

    @transition(
        field=status,
        source=Status.OPPOSED,
        target=Status.VALIDATED,
        permission=is_programme_operator,
        custom={"label": _("Judgment: release ordered"), "danger": True},
    )
    def judgment_release(self, *, on, execution_from):
        self.judgment_on = on
        self.execution_from = execution_from

    @transition(
        field=status,
        source=Status.OPPOSED,
        target=Status.DISMISSED,
        permission=is_programme_operator,
        custom={"label": _("Judgment: eviction claim rejected"), "needs_note": True},
    )
    def judgment_dismiss(self, *, on):
        self.judgment_on = on
        self._close(on, self.Outcome.DISMISSED)

    @transition(
        field=status,
        source=Status.VALIDATED,
        target=Status.ENFORCEMENT_SCHEDULED,
        conditions=[lambda case: case.has_release_title],
        permission=is_programme_operator,
        custom={"label": _("Precetto served"), "danger": True},
    )
    def serve_precetto(self, *, on):
        self.precetto_served_on = on

    @transition(
        field=status,
        source=Status.ENFORCEMENT_SCHEDULED,
        target=None,
        conditions=[_may_oppose_precetto],
        permission=is_programme_operator,
        custom={"label": _("Opposition to the precetto filed")},
    )
    def oppose_precetto(self, *, on):
        self.precetto_opposed_on = on

    @transition(
        field=status,
        source=Status.ENFORCEMENT_SCHEDULED,
        target=None,
        conditions=[lambda case: case.precetto_opposition_pending],
        permission=is_programme_operator,
        custom={"label": _("Opposition to the precetto decided")},
    )
    def decide_precetto_opposition(self, *, on, outcome):
        self.precetto_opposition_decided_on = on
        self.precetto_opposition_outcome = outcome

    @transition(
        field=status,
        source=Status.ENFORCEMENT_SCHEDULED,
        target=None,
        conditions=[_may_renew_precetto],
        permission=is_programme_operator,
        custom={"label": _("New precetto served"), "danger": True},
    )
    def renew_precetto(self, *, on):
        self.precetto_served_on = on
        self.precetto_opposed_on = None
        self.precetto_opposition_decided_on = None
        self.precetto_opposition_outcome = ""
        self.access_notice_served_on = None
        self.access_on = None
        self.access_postponements = 0
        self.precetto_renewals += 1

    @transition(
        field=status,
        source=OPEN,
        target=Status.REHOUSED,
        conditions=[_has_rehousing_placement],
        permission=is_programme_operator,
        custom={"label": _("Household rehoused"), "needs_note": True},
    )
    def rehouse(self, *, on, placement):
        self.rehousing_placement = placement
        self._close(on, self.Outcome.REHOUSED)

    @transition(
        field=status,
        source=Status.ENFORCEMENT_SCHEDULED,
        target=Status.EVICTED,
        conditions=[_may_evict],
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
    # The plain count when art. 155 c.p.c. moved the deadline off a Sunday, holiday or
    # Saturday: the page shows both dates and why.
    nominal_on = models.DateField(_("by the plain count"), null=True, blank=True)
    source = models.CharField(_("legal source"), max_length=60)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "kind"], name="evictiontask_one_per_kind"),
        ]

    def __str__(self):
        return f"{self.kind} {date_format(self.due_on, 'SHORT_DATE_FORMAT')}"

    @property
    def moved_because(self):
        """Why the deadline is not on its plain count: the holiday's name, Sunday, Saturday."""
        from tenancies.legal_calendar import non_working_reason

        return non_working_reason(self.nominal_on) if self.nominal_on else ""
