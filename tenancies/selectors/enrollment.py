"""Reads about enrolments: the current one, its assessments, the waiting list by priority."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch
from django.utils.timezone import localdate

from tenancies.models import Assessment, Enrollment, Member
from tenancies.rules import RULE_LABELS, priority_score
from tenancies.selectors.households import HOUSEHOLD_ROLES
from tenancies.services.households import policy_for_programme


def enrollment_current(*, household) -> Enrollment | None:
    """The household's open enrolment, else its most recent one."""
    enrollments = list(household.enrollments.order_by("-referred_on", "-pk"))
    for enrollment in enrollments:
        if enrollment.is_active():
            return enrollment
    return enrollments[0] if enrollments else None


def assessments_for(*, enrollment) -> list[Assessment]:
    """The enrolment's assessments, newest first, each rule with its label."""
    assessments = list(enrollment.assessments.select_related("assessed_by", "overridden_by"))
    for assessment in assessments:
        assessment.rules = [
            {**r, "label": RULE_LABELS.get(r["code"], r["code"])} for r in assessment.results
        ]
    return assessments


def _by_priority(enrollments, *, programme, today: date) -> list[Enrollment]:
    """The enrolments, each with `.priority`, highest score first (then oldest referral)."""
    policy = policy_for_programme(programme=programme)
    enrollments = list(
        enrollments.select_related("household", "household__operator").prefetch_related(
            Prefetch("household__members", queryset=Member.objects.all())
        )
    )
    for enrollment in enrollments:
        household = enrollment.household
        enrollment.priority = priority_score(
            household=household,
            members=household.members.all(),
            policy=policy,
            today=today,
        )
    enrollments.sort(key=lambda e: (-e.priority.total, e.referred_on, e.pk))
    return enrollments


def waiting_list(*, user, programme, today: date | None = None) -> list[Enrollment]:
    """Eligible households not yet enrolled, highest priority first (then oldest referral);
    each carries `.priority` with its components."""
    eligible = (
        Enrollment.objects.in_programme(programme)
        .visible_to(user, HOUSEHOLD_ROLES)
        .filter(status=Enrollment.Status.ELIGIBLE)
    )
    return _by_priority(eligible, programme=programme, today=today or localdate())


@dataclass(frozen=True)
class PriorityOrder:
    """Where an enrolment stands on its programme's waiting list: its score, and the eligible
    households waiting with a strictly higher one (highest first), each with `.priority`."""

    score: int
    ahead: list[Enrollment]

    @property
    def in_order(self) -> bool:
        return not self.ahead

    def skipped_facts(self) -> list[dict]:
        """The households passed over, as the audit event records them."""
        return [
            {"enrollment": e.pk, "household": e.household_id, "score": e.priority.total}
            for e in self.ahead
        ]


def enrollment_priority_order(*, enrollment, today: date | None = None) -> PriorityOrder:
    """Who waits ahead of `enrollment`: eligible households of the same programme with a higher
    priority score. A tie is not "ahead": the score is the rule, referral date only a tie-break
    for the list's order. The whole programme counts, not only the user's caseload."""
    today = today or localdate()
    household = enrollment.household
    programme = household.programme
    own = priority_score(
        household=household,
        members=list(household.members.all()),
        policy=policy_for_programme(programme=programme),
        today=today,
    ).total
    eligible = (
        Enrollment.objects.in_programme(programme)
        .filter(status=Enrollment.Status.ELIGIBLE)
        .exclude(pk=enrollment.pk)
        .exclude(household_id=household.pk)
    )
    ranked = _by_priority(eligible, programme=programme, today=today)
    return PriorityOrder(score=own, ahead=[e for e in ranked if e.priority.total > own])


def enrollment_priority_order_once(enrollment) -> PriorityOrder:
    """`enrollment_priority_order`, computed once per object: the enrol step's form and its
    confirm page both ask within one request."""
    order = getattr(enrollment, "_priority_order", None)
    if order is None:
        order = enrollment._priority_order = enrollment_priority_order(enrollment=enrollment)
    return order
