"""Reads about enrolments: the current one, its assessments, the waiting list by priority."""

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


def enrollment_get(*, household, pk) -> Enrollment:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(household.enrollments.all(), pk=pk)


def assessments_for(*, enrollment) -> list[Assessment]:
    """The enrolment's assessments, newest first, each rule with its label."""
    assessments = list(enrollment.assessments.select_related("assessed_by", "overridden_by"))
    for assessment in assessments:
        assessment.rules = [
            {**r, "label": RULE_LABELS.get(r["code"], r["code"])} for r in assessment.results
        ]
    return assessments


def waiting_list(*, user, programme, today: date | None = None) -> list[Enrollment]:
    """Eligible households not yet enrolled, highest priority first (then oldest referral);
    each carries `.priority` with its components."""
    today = today or localdate()
    policy = policy_for_programme(programme=programme)
    enrollments = list(
        Enrollment.objects.in_programme(programme)
        .visible_to(user, HOUSEHOLD_ROLES)
        .filter(status=Enrollment.Status.ELIGIBLE)
        .select_related("household", "household__operator")
        .prefetch_related(Prefetch("household__members", queryset=Member.objects.all()))
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
