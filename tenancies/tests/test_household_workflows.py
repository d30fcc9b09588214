"""Enrolment and support pacts on the step registry: the pages offer what the services do, and
enrolling out of priority order needs a written reason that stays on the record."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.timezone import localdate

from common.audit import verb_label
from common.exceptions import DomainError
from common.models import AuditEvent
from common.money import eur
from common.roles import Role
from common.tests.two_factor import login_verified
from common.workflows import next_steps
from tenancies.models import Enrollment, SupportPact
from tenancies.services import enrollment as services
from tenancies.services import pacts as pact_services


def step_url(workflow, obj, step):
    return reverse("common:step", args=[workflow, obj.pk, step])


def eligible(refer, operator, **overrides):
    """A household assessed eligible, waiting; returns its enrolment."""
    household = refer(**overrides)
    enrollment = household.enrollments.get()
    services.enrollment_start_assessment(actor=operator, enrollment=enrollment)
    services.enrollment_assess(actor=operator, enrollment=enrollment)
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.ELIGIBLE
    return enrollment


def urgent(refer, operator, last_name="Bianchi"):
    """An eligible household with an eviction notice: 6 points more than a plain one."""
    return eligible(
        refer,
        operator,
        reference={"last_name": last_name, "codice_fiscale": ""},
        vulnerability_factors=["eviction_notice"],
    )


def plain(refer, operator, last_name="Verdi"):
    return eligible(refer, operator, reference={"last_name": last_name, "codice_fiscale": ""})


def enrol_event(enrollment):
    return AuditEvent.objects.get(verb="enrol", target_id=str(enrollment.pk))


# --- the enrolment workflow through the generic step view ---------------------------------


def test_household_page_offers_the_enrolment_steps_and_they_run(refer, operator, client_of):
    household = refer()
    enrollment = household.enrollments.get()
    client = client_of(operator)
    page = client.get(household.get_absolute_url()).content.decode()
    assert step_url("enrollment", enrollment, "start_assessment") in page
    assert step_url("enrollment", enrollment, "enrol") not in page
    for step in ("start_assessment", "assess"):
        response = client.post(step_url("enrollment", enrollment, step), {"note": ""})
        assert response.status_code == 302
    response = client.post(
        step_url("enrollment", enrollment, "enrol"), {"on": localdate().isoformat()}
    )
    assert response.status_code == 302
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.ENROLLED
    page = client.get(household.get_absolute_url()).content.decode()
    assert step_url("enrollment", enrollment, "exit") in page


def test_a_replaced_ineligible_enrolment_cannot_be_reopened(refer, operator):
    """An old ineligible enrolment, replaced by a new one, stays closed: overriding it would
    give the household two open enrolments."""
    household = refer(isee=eur("40000"))
    old = household.enrollments.get()
    services.enrollment_start_assessment(actor=operator, enrollment=old)
    services.enrollment_assess(actor=operator, enrollment=old)
    old.refresh_from_db()
    assert [s["name"] for s in next_steps(old, operator)] == ["override", "reassess"]
    services.enrollment_open(actor=operator, household=household)
    old.refresh_from_db()
    assert next_steps(old, operator) == []
    with pytest.raises(DomainError):
        services.enrollment_override(actor=operator, enrollment=old, note="Reddito crollato")
    with pytest.raises(DomainError):
        services.enrollment_reassess(actor=operator, enrollment=old)
    old.refresh_from_db()
    assert old.status == Enrollment.Status.INELIGIBLE


@pytest.mark.parametrize(
    ("role", "elsewhere", "expected"),
    [
        (None, False, 302),
        (Role.FUND_ADMIN, False, 403),
        (Role.LANDLORD, False, 403),
        (Role.MONITOR, False, 403),
        (Role.CARETAKER, False, 403),
        (Role.OPERATOR, True, 404),
        (Role.OPERATOR, False, 200),
    ],
)
def test_steps_only_for_the_programme_s_operators(
    enrolled, operator, member, other_programme, client, role, elsewhere, expected
):
    enrollment = enrolled.enrollments.get()
    pact = enrolled.pacts.get()
    if role == Role.OPERATOR and not elsewhere:
        login_verified(client, operator)
    elif role is not None:
        programme = other_programme if elsewhere else None
        kwargs = {"programme": programme} if programme else {}
        login_verified(client, member(role, username=f"{role}-{elsewhere}", **kwargs))
    for url in (step_url("enrollment", enrollment, "exit"), step_url("pact", pact, "sign")):
        assert client.get(url).status_code == expected, url


# --- the pact workflow ---------------------------------------------------------------------


def test_pact_page_offers_signing_then_the_review_outcomes(enrolled, operator, client_of):
    pact = enrolled.pacts.get()
    client = client_of(operator)
    page = client.get(pact.get_absolute_url()).content.decode()
    assert step_url("pact", pact, "sign") in page
    assert step_url("pact", pact, "start_review") not in page
    pact_services.pact_sign(
        actor=operator, pact=pact, place="Montichiari", household_signatory="Mario Rossi"
    )
    client.post(step_url("pact", pact, "start_review"), {"note": ""})
    page = client.get(pact.get_absolute_url()).content.decode()
    for step in ("resume", "complete", "declare_broken"):
        assert step_url("pact", pact, step) in page
    review = {"held_on": localdate().isoformat(), "outcome": "not_kept"}
    response = client.post(step_url("pact", pact, "declare_broken"), review)
    assert response.status_code == 200 and response.context["form"].errors["note"]
    pact.refresh_from_db()
    assert pact.status == SupportPact.Status.UNDER_REVIEW
    response = client.post(
        step_url("pact", pact, "declare_broken"), {**review, "note": "Nessun impegno rispettato"}
    )
    assert response.status_code == 302
    pact.refresh_from_db()
    assert pact.status == SupportPact.Status.BROKEN
    assert pact.reviews.get().note == "Nessun impegno rispettato"


def test_a_pact_is_signed_only_with_an_enrolled_household_and_not_before(refer, operator):
    enrollment = eligible(refer, operator)
    household = enrollment.household
    pact = pact_services.pact_create(
        actor=operator,
        household=household,
        goal="Autonomia abitativa",
        starts_on=localdate(),
        ends_on=localdate() + timedelta(days=365),
    )
    for party in ("household", "programme"):
        pact_services.commitment_add(actor=operator, pact=pact, party=party, description="x")
    assert next_steps(pact, operator) == []
    with pytest.raises(DomainError):
        pact_services.pact_sign(actor=operator, pact=pact, place="Brescia", household_signatory="M")
    services.enrollment_enrol(actor=operator, enrollment=enrollment)
    assert [s["name"] for s in next_steps(pact, operator)] == ["sign"]
    with pytest.raises(DomainError) as error:
        pact_services.pact_sign(
            actor=operator,
            pact=pact,
            place="Brescia",
            household_signatory="M",
            on=localdate() - timedelta(days=1),
        )
    assert error.value.field == "on"
    pact_services.pact_sign(actor=operator, pact=pact, place="Brescia", household_signatory="M")
    pact.refresh_from_db()
    assert pact.status == SupportPact.Status.SIGNED


# --- enrolling out of priority order -------------------------------------------------------


def test_enrolling_in_priority_order_needs_no_reason(refer, operator):
    first = urgent(refer, operator)
    plain(refer, operator)
    services.enrollment_enrol(actor=operator, enrollment=first)
    first.refresh_from_db()
    assert first.status == Enrollment.Status.ENROLLED
    event = enrol_event(first)
    assert event.data["skipped"] == [] and event.data["score"] == 6


def test_enrolling_ahead_of_higher_scores_needs_a_reason_that_is_audited(refer, operator):
    ahead = urgent(refer, operator)
    behind = plain(refer, operator)
    with pytest.raises(DomainError) as error:
        services.enrollment_enrol(actor=operator, enrollment=behind, note="  ")
    assert error.value.field == "note"
    behind.refresh_from_db()
    assert behind.status == Enrollment.Status.ELIGIBLE
    assert not AuditEvent.objects.filter(verb="enrol").exists()
    services.enrollment_enrol(
        actor=operator, enrollment=behind, note="Alloggio piccolo: adatto solo a questo nucleo"
    )
    behind.refresh_from_db()
    assert behind.status == Enrollment.Status.ENROLLED
    event = enrol_event(behind)
    assert event.actor == operator
    assert event.note == "Alloggio piccolo: adatto solo a questo nucleo"
    assert event.data["score"] == 0
    assert event.data["skipped"] == [
        {"enrollment": ahead.pk, "household": ahead.household_id, "score": 6}
    ]


def test_an_equal_score_is_not_ahead(refer, operator):
    plain(refer, operator, last_name="Verdi")
    later = plain(refer, operator, last_name="Neri")
    services.enrollment_enrol(actor=operator, enrollment=later)
    later.refresh_from_db()
    assert later.status == Enrollment.Status.ENROLLED
    assert enrol_event(later).data["skipped"] == []


def test_another_programme_s_waiting_list_does_not_count(refer, operator, member, other_programme):
    elsewhere = member("operator", programme=other_programme, username="altrove")
    other = eligible(
        refer,
        elsewhere,
        actor=elsewhere,
        programme=other_programme,
        reference={"last_name": "Bianchi", "codice_fiscale": ""},
        vulnerability_factors=["eviction_notice"],
    )
    here = plain(refer, operator)
    services.enrollment_enrol(actor=operator, enrollment=here)
    assert enrol_event(here).data["skipped"] == []
    assert other.household.programme == other_programme


def test_the_confirm_page_names_who_waits_ahead_and_asks_why(refer, operator, client_of):
    ahead = urgent(refer, operator)
    behind = plain(refer, operator)
    client = client_of(operator)
    url = step_url("enrollment", behind, "enrol")
    page = client.get(url)
    html = page.content.decode()
    assert page.context["ahead_count"] == 1
    assert ahead.household.name in html and "<strong>6</strong>" in html
    assert "1 nucleo con punteggio di priorità più alto è in attesa" in html
    on = localdate().isoformat()
    response = client.post(url, {"on": on, "note": ""})
    assert response.status_code == 200 and response.context["form"].errors["note"]
    behind.refresh_from_db()
    assert behind.status == Enrollment.Status.ELIGIBLE
    response = client.post(url, {"on": on, "note": "Urgenza sanitaria certificata"})
    assert response.status_code == 302
    assert enrol_event(behind).note == "Urgenza sanitaria certificata"
    # In order, the page says so and the note stays optional.
    page = client.get(step_url("enrollment", ahead, "enrol"))
    assert page.context["ahead_count"] == 0
    assert not page.context["form"].fields["note"].required


# --- timeline verbs ------------------------------------------------------------------------


def test_every_household_verb_reads_in_italian(enrolled, operator, programme):
    from tenancies.services.households import policy_for_programme, policy_update

    policy_update(actor=operator, policy=policy_for_programme(programme=programme), weight_minor=4)
    pact = enrolled.pacts.get()
    pact_services.pact_sign(
        actor=operator, pact=pact, place="Montichiari", household_signatory="Mario Rossi"
    )
    pact_services.pact_start_review(actor=operator, pact=pact)
    pact_services.pact_resume(
        actor=operator, pact=pact, held_on=localdate(), outcome="on_track", note="Bene"
    )
    services.enrollment_exit(
        actor=operator, enrollment=enrolled.enrollments.get(), reason="autonomy", note="Casa"
    )
    events = list(AuditEvent.objects.select_related("target_type"))
    verbs = {e.verb for e in events}
    assert {"referred", "enrol", "exit", "sign", "resume", "policy_updated"} <= verbs
    with translation.override("it"):
        for event in events:
            label = event.verb_label
            assert label != event.verb.replace("_", " "), event.verb
            with translation.override("en"):
                english = event.verb_label
            assert label != english, event.verb


def test_a_landlord_agreement_s_resume_does_not_read_as_a_pact_s():
    from housing.models import LandlordAgreement

    with translation.override("en"):
        assert verb_label(SupportPact, "resume") == "pact continues after review"
        assert verb_label(LandlordAgreement, "resume") != "pact continues after review"
