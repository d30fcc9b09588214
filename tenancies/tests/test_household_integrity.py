"""The households' integrity checks: each finds a seeded violation and passes clean data."""

from datetime import timedelta

from django.utils.timezone import localdate

from common.integrity import integrity_run
from common.models import AuditEvent
from common.money import eur
from tenancies.models import Enrollment, SupportPact
from tenancies.services import enrollment as services
from tenancies.services import pacts as pact_services

CHECKS = [
    "enrollment_one_active_per_household",
    "pact_only_for_enrolled",
    "enrolled_out_of_order_has_reason",
    "pact_signed_has_snapshot",
]


def found(name):
    return [v.obj for v in integrity_run([name])]


def test_clean_households_pass_every_check(enrolled, operator):
    pact = enrolled.pacts.get()
    pact_services.pact_sign(actor=operator, pact=pact, place="Montichiari", household_signatory="M")
    assert integrity_run(CHECKS) == []


def test_a_second_open_enrolment_is_found(refer, operator):
    household = refer(isee=eur("40000"))
    first = household.enrollments.get()
    services.enrollment_start_assessment(actor=operator, enrollment=first)
    services.enrollment_assess(actor=operator, enrollment=first)
    # Replaced by a new enrolment, the ineligible one is closed.
    services.enrollment_open(actor=operator, household=household)
    assert found("enrollment_one_active_per_household") == []
    # Seeded: an older enrolment still open beside a newer ineligible one (the database
    # constraint covers only the active states).
    newest = household.enrollments.order_by("-pk").first()
    Enrollment.objects.filter(pk=newest.pk).update(status=Enrollment.Status.INELIGIBLE)
    Enrollment.objects.filter(pk=first.pk).update(status=Enrollment.Status.REFERRED)
    assert found("enrollment_one_active_per_household") == [first]


def test_a_pact_signed_before_the_enrolment_is_found(enrolled, operator):
    pact = enrolled.pacts.get()
    pact_services.pact_sign(actor=operator, pact=pact, place="Montichiari", household_signatory="M")
    assert found("pact_only_for_enrolled") == []
    SupportPact.objects.filter(pk=pact.pk).update(signed_on=localdate() - timedelta(days=30))
    assert found("pact_only_for_enrolled") == [pact]


def test_a_pact_signed_after_the_exit_is_found(enrolled, operator):
    pact = enrolled.pacts.get()
    pact_services.pact_sign(actor=operator, pact=pact, place="Montichiari", household_signatory="M")
    enrollment = enrolled.enrollments.get()
    services.enrollment_exit(actor=operator, enrollment=enrollment, reason="autonomy")
    assert found("pact_only_for_enrolled") == []
    Enrollment.objects.filter(pk=enrollment.pk).update(
        enrolled_on=localdate() - timedelta(days=9), exited_on=localdate() - timedelta(days=1)
    )
    assert found("pact_only_for_enrolled") == [pact]


def test_an_out_of_order_enrolment_without_reason_is_found(refer, operator):
    households = [
        refer(reference={"last_name": name, "codice_fiscale": ""}, vulnerability_factors=factors)
        for name, factors in (("Bianchi", ["eviction_notice"]), ("Verdi", ["job_loss"]))
    ]
    enrollments = []
    for household in households:
        enrollment = household.enrollments.get()
        services.enrollment_start_assessment(actor=operator, enrollment=enrollment)
        services.enrollment_assess(actor=operator, enrollment=enrollment)
        enrollments.append(enrollment)
    behind = enrollments[1]
    services.enrollment_enrol(actor=operator, enrollment=behind, note="Urgenza")
    assert found("enrolled_out_of_order_has_reason") == []
    AuditEvent.objects.filter(verb="enrol", target_id=str(behind.pk)).update(note="")
    assert found("enrolled_out_of_order_has_reason") == [behind]


def test_a_signed_pact_without_its_snapshot_is_found(enrolled, operator):
    pact = enrolled.pacts.get()
    pact_services.pact_sign(actor=operator, pact=pact, place="Montichiari", household_signatory="M")
    assert found("pact_signed_has_snapshot") == []
    SupportPact.objects.filter(pk=pact.pk).update(signed_facts=None)
    assert found("pact_signed_has_snapshot") == [pact]
