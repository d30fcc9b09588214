"""Writes about a household's enrolment: assessment against the programme's rules, the
operator's override, enrolment and exit. Every step is a locked, audited transition."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.timezone import localdate
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_fsm import can_proceed

from common.audit import audit_record
from common.exceptions import DomainError
from common.fsm import transition_run
from tenancies.models import Assessment, Enrollment, Household
from tenancies.models.enrollment import (
    enrollment_assessment_allows,
    enrollment_is_latest,
    enrollment_was_assessed,
)
from tenancies.rules import eligibility_check
from tenancies.selectors.enrollment import enrollment_priority_order
from tenancies.services.households import policy_for_programme


def _locked_household(enrollment: Enrollment) -> Household:
    # The household is the parent: lock it first, as every service touching it does.
    return Household.objects.select_for_update().get(pk=enrollment.household_id)


def enrollment_open(*, actor, household: Household, referred_on: date | None = None) -> Enrollment:
    """Open a new enrolment for a household whose previous one is closed (exited/ineligible)."""
    with transaction.atomic():
        household = Household.objects.select_for_update().get(pk=household.pk)
        if household.enrollments.active().exists():
            raise DomainError(_("The household already has an open enrolment."))
        enrollment = Enrollment(household=household, referred_on=referred_on or localdate())
        enrollment.full_clean(exclude=["status"])
        enrollment.save()
        audit_record(
            actor=actor,
            programme=household.programme,
            target=enrollment,
            verb="referred",
            to_state=enrollment.status,
            context=household,
        )
        return enrollment


def enrollment_start_assessment(*, actor, enrollment: Enrollment, note: str = "") -> Enrollment:
    """Move a referred household to assessment."""
    with transaction.atomic():
        _locked_household(enrollment)
        return transition_run(
            queryset=Enrollment.objects.all(),
            pk=enrollment.pk,
            transition="start_assessment",
            actor=actor,
            note=note,
        )


def enrollment_assess(
    *, actor, enrollment: Enrollment, note: str = "", today: date | None = None
) -> Assessment:
    """Check the household against the programme's rules, record each outcome, and move the
    enrolment to eligible or ineligible accordingly."""
    today = today or localdate()
    with transaction.atomic():
        household = _locked_household(enrollment)
        current = Enrollment.objects.get(pk=enrollment.pk)
        if current.status != Enrollment.Status.ASSESSING:
            raise DomainError(_("Only an enrolment being assessed can be checked."))
        policy = policy_for_programme(programme=household.programme)
        results = eligibility_check(household=household, policy=policy, today=today)
        passed = all(r.passed for r in results)
        assessment = Assessment(
            enrollment=current,
            assessed_by=actor,
            results=[r.as_dict() for r in results],
            passed=passed,
        )
        assessment.full_clean()
        assessment.save()
        transition_run(
            queryset=Enrollment.objects.all(),
            pk=enrollment.pk,
            transition="assess",
            actor=actor,
            note=note,
            passed=passed,
            data={"failed": [r.code for r in results if not r.passed], "assessment": assessment.pk},
        )
        return assessment


def enrollment_override(*, actor, enrollment: Enrollment, note: str) -> Enrollment:
    """Declare an ineligible household eligible anyway; the written reason (the note) is
    mandatory and recorded on the assessment and on the timeline."""
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Write the reason for the override."), field="note")
    with transaction.atomic():
        _locked_household(enrollment)
        current = Enrollment.objects.get(pk=enrollment.pk)
        if not enrollment_was_assessed(current):
            raise DomainError(_("There is no assessment to override."))
        if not enrollment_is_latest(current):
            raise DomainError(_("A newer enrolment of the household replaced this one."))
        assessment = (
            Assessment.objects.select_for_update()
            .filter(enrollment_id=enrollment.pk)
            .order_by("-assessed_at", "-pk")
            .first()
        )
        result = transition_run(
            queryset=Enrollment.objects.all(),
            pk=enrollment.pk,
            transition="override",
            actor=actor,
            note=note,
            data={
                "assessment": assessment.pk,
                "failed": [r["code"] for r in assessment.failed_rules],
            },
        )
        assessment.override_reason = note
        assessment.overridden_by = actor
        assessment.overridden_at = timezone.now()
        assessment.full_clean()
        assessment.save(update_fields=["override_reason", "overridden_by", "overridden_at"])
        return result


def enrollment_reassess(*, actor, enrollment: Enrollment, note: str = "") -> Enrollment:
    """Send an assessed household back to assessment (new ISEE, new facts)."""
    with transaction.atomic():
        _locked_household(enrollment)
        return transition_run(
            queryset=Enrollment.objects.all(),
            pk=enrollment.pk,
            transition="reassess",
            actor=actor,
            note=note,
        )


def enrollment_enrol(
    *, actor, enrollment: Enrollment, note: str = "", on: date | None = None
) -> Enrollment:
    """Enrol an eligible household (its last assessment passed or was overridden). Enrolling it
    while households with a higher priority score wait in the programme needs a written reason
    (the note); the event records whom it passed over and their scores."""
    note = (note or "").strip()
    with transaction.atomic():
        _locked_household(enrollment)
        current = Enrollment.objects.select_related("household__programme").get(pk=enrollment.pk)
        if not enrollment_assessment_allows(current):
            raise DomainError(
                _("The household did not pass the eligibility rules and no override was given.")
            )
        order = enrollment_priority_order(enrollment=current)
        if order.ahead and can_proceed(current.enrol) and not note:
            raise DomainError(
                ngettext(
                    "%(count)d household with a higher priority score is waiting: write why "
                    "this one is enrolled first.",
                    "%(count)d households with a higher priority score are waiting: write why "
                    "this one is enrolled first.",
                    len(order.ahead),
                )
                % {"count": len(order.ahead)},
                field="note",
            )
        return transition_run(
            queryset=Enrollment.objects.all(),
            pk=enrollment.pk,
            transition="enrol",
            actor=actor,
            note=note,
            update_fields=("enrolled_on",),
            on=on or localdate(),
            data={"score": order.score, "skipped": order.skipped_facts()},
        )


def enrollment_exit(
    *, actor, enrollment: Enrollment, reason: str, note: str = "", on: date | None = None
) -> Enrollment:
    """Close an enrolment with its exit reason."""
    if reason not in Enrollment.ExitReason.values:
        raise DomainError(_("Choose the reason for leaving the programme."), field="reason")
    with transaction.atomic():
        _locked_household(enrollment)
        return transition_run(
            queryset=Enrollment.objects.all(),
            pk=enrollment.pk,
            transition="exit",
            actor=actor,
            note=note,
            update_fields=("exited_on", "exit_reason"),
            on=on or localdate(),
            reason=reason,
            data={"exit_reason": reason},
        )
