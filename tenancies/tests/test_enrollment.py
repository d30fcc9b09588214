from datetime import timedelta

import pytest
from django.utils.timezone import localdate

from common.exceptions import DomainError
from common.models import AuditEvent
from common.money import eur
from tenancies.models import Enrollment
from tenancies.rules import priority_score
from tenancies.selectors.enrollment import waiting_list
from tenancies.selectors.timeline import household_timeline
from tenancies.services import enrollment as services
from tenancies.services.households import policy_for_programme, policy_update
from tenancies.tests.factories import MemberFactory


def assessed(household, operator):
    enrollment = household.enrollments.get()
    services.enrollment_start_assessment(actor=operator, enrollment=enrollment)
    assessment = services.enrollment_assess(actor=operator, enrollment=enrollment)
    enrollment.refresh_from_db()
    return enrollment, assessment


def test_a_household_within_every_rule_becomes_eligible_and_can_be_enrolled(refer, operator):
    enrollment, assessment = assessed(refer(), operator)
    assert assessment.passed
    assert {r["code"] for r in assessment.results} == {
        "isee",
        "isee_valid",
        "residence",
        "vulnerability",
    }
    assert enrollment.status == Enrollment.Status.ELIGIBLE
    services.enrollment_enrol(actor=operator, enrollment=enrollment)
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.ENROLLED
    assert enrollment.enrolled_on == localdate()


def test_the_assessment_records_which_rule_failed(refer, operator):
    enrollment, assessment = assessed(refer(municipality="Brescia"), operator)
    assert enrollment.status == Enrollment.Status.INELIGIBLE
    assert [r["code"] for r in assessment.failed_rules] == ["residence"]


def test_an_ineligible_household_cannot_be_enrolled_without_an_override(refer, operator):
    enrollment, _assessment = assessed(refer(isee=eur("40000")), operator)
    with pytest.raises(DomainError):
        services.enrollment_enrol(actor=operator, enrollment=enrollment)
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.INELIGIBLE


def test_an_override_needs_a_written_reason(refer, operator):
    enrollment, _assessment = assessed(refer(isee=eur("40000")), operator)
    with pytest.raises(DomainError) as error:
        services.enrollment_override(actor=operator, enrollment=enrollment, note="  ")
    assert error.value.field == "note"
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.INELIGIBLE


def test_an_override_is_recorded_with_actor_and_reason_then_enrolment_works(refer, operator):
    household = refer(isee=eur("40000"))
    enrollment, assessment = assessed(household, operator)
    services.enrollment_override(
        actor=operator, enrollment=enrollment, note="ISEE 2024 non aggiornato dopo licenziamento"
    )
    assessment.refresh_from_db()
    assert assessment.overridden_by == operator
    assert "licenziamento" in assessment.override_reason
    services.enrollment_enrol(actor=operator, enrollment=enrollment, note="Posto disponibile")
    events = household_timeline(household=household)
    verbs = [e.verb for e in events]
    assert verbs[:2] == ["enrol", "override"]
    override = next(e for e in events if e.verb == "override")
    assert override.actor == operator
    assert "licenziamento" in override.note
    assert override.from_state == "ineligible" and override.to_state == "eligible"


def test_someone_who_is_not_an_operator_of_the_programme_cannot_move_the_enrolment(
    refer, member, other_programme
):
    outsider = member("operator", programme=other_programme, username="other-op")
    enrollment = refer().enrollments.get()
    with pytest.raises(DomainError):
        services.enrollment_start_assessment(actor=outsider, enrollment=enrollment)
    assert not AuditEvent.objects.filter(verb="start_assessment").exists()


def test_exit_needs_a_reason_and_allows_a_new_enrolment(refer, operator):
    household = refer()
    enrollment, _ = assessed(household, operator)
    services.enrollment_enrol(actor=operator, enrollment=enrollment)
    with pytest.raises(DomainError):
        services.enrollment_exit(actor=operator, enrollment=enrollment, reason="")
    with pytest.raises(DomainError):
        services.enrollment_open(actor=operator, household=household)
    services.enrollment_exit(actor=operator, enrollment=enrollment, reason="autonomy")
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.EXITED
    assert enrollment.exit_reason == "autonomy"
    again = services.enrollment_open(actor=operator, household=household)
    assert again.status == Enrollment.Status.REFERRED


def test_an_expired_isee_fails_its_rule(refer, operator):
    _enrollment, assessment = assessed(
        refer(isee_expires_on=localdate() - timedelta(days=1)), operator
    )
    assert [r["code"] for r in assessment.failed_rules] == ["isee_valid"]


def test_rules_are_programme_settings(refer, operator, programme):
    policy = policy_for_programme(programme=programme)
    policy_update(actor=operator, policy=policy, municipalities=["Brescia"])
    _enrollment, assessment = assessed(refer(municipality="Brescia"), operator)
    assert assessment.passed
    assert AuditEvent.objects.filter(verb="policy_updated", actor=operator).exists()


def test_priority_shows_each_component_and_orders_the_waiting_list(refer, operator, programme):
    plain = refer()
    urgent = refer(
        reference={"last_name": "Bianchi", "codice_fiscale": ""},
        vulnerability_factors=["eviction_notice"],
        arrears_not_at_fault=True,
    )
    MemberFactory(
        household=urgent,
        relation="child",
        first_name="Luca",
        last_name="Bianchi",
        birth_date=localdate() - timedelta(days=365 * 6),
    )
    for household in (plain, urgent):
        enrollment, _ = assessed(household, operator)
    policy = policy_for_programme(programme=programme)
    score = priority_score(
        household=urgent, members=urgent.members.all(), policy=policy, today=localdate()
    )
    assert score.total == policy.weight_minor + policy.weight_eviction + (
        policy.weight_arrears_not_at_fault
    )
    assert [c.points for c in score.shown] == [3, 6, 5]
    ordered = waiting_list(user=operator, programme=programme)
    assert [e.household for e in ordered] == [urgent, plain]
