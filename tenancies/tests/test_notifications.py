"""Operators hear of what concerns their families: the caretaker's alerts about the flats they
live in, and the arrears cases the monthly run opens for them."""

from datetime import date

import pytest
from django.core import mail
from django.utils.timezone import localdate

from common.notifications.models import Notification
from housing.models import CaretakerNote
from housing.services.caretaking import caretaker_note_create
from housing.tests.factories import CondominiumFactory, DwellingFactory
from tenancies.models import ArrearsCase
from tenancies.services.leases import lease_activate
from tenancies.services.monthly import run_monthly
from tenancies.tests.lease_factories import LeaseFactory, PlacementFactory, active_agreement_for

pytestmark = pytest.mark.django_db


def _recipients(kind):
    return sorted(
        Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True)
    )


@pytest.fixture
def condominium_world(programme, member):
    follower = member("operator", username="segue.la.famiglia")
    colleague = member("operator", username="collega")
    caretaker = member("caretaker", username="custode")
    condominium = CondominiumFactory(programme=programme, caretaker=caretaker)
    flat = DwellingFactory(programme=programme, condominium=condominium)
    other_flat = DwellingFactory(programme=programme, condominium=condominium)
    PlacementFactory(household__programme=programme, household__operator=follower, dwelling=flat)
    return {
        "follower": follower,
        "colleague": colleague,
        "caretaker": caretaker,
        "condominium": condominium,
        "flat": flat,
        "other_flat": other_flat,
    }


def _alert(world, dwelling=None, kind=CaretakerNote.Kind.ALERT):
    return caretaker_note_create(
        actor=world["caretaker"],
        condominium=world["condominium"],
        dwelling=dwelling,
        text="La signora del secondo piano non risponde da due giorni",
        happened_on=localdate(),
        kind=kind,
    )


def test_an_alert_about_a_flat_reaches_its_familys_operator_only(
    condominium_world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _alert(condominium_world, dwelling=condominium_world["flat"])
    assert _recipients("caretaker_alert") == ["segue.la.famiglia"]
    [message] = mail.outbox
    assert message.subject.startswith("Segnalazione del custode a Condominio solidale")
    assert "non risponde" not in message.body  # what was written is read in the application


def test_an_alert_about_the_building_reaches_the_operators_of_its_families(condominium_world):
    _alert(condominium_world)
    assert _recipients("caretaker_alert") == ["segue.la.famiglia"]


def test_an_alert_nobody_follows_reaches_the_programmes_operators(condominium_world):
    _alert(condominium_world, dwelling=condominium_world["other_flat"])
    assert _recipients("caretaker_alert") == ["collega", "segue.la.famiglia"]


def test_a_note_is_not_an_alert(condominium_world):
    _alert(condominium_world, dwelling=condominium_world["flat"], kind=CaretakerNote.Kind.NOTE)
    assert not Notification.objects.exists()


def _lease(programme, operator, owner):
    lease = LeaseFactory(
        household__programme=programme, household__operator=owner, start_date=date(2026, 1, 1)
    )
    active_agreement_for(lease.landlord, valid_from=date(2025, 1, 1))
    lease_activate(actor=operator, lease=lease, today=date(2026, 1, 1))
    return lease


def test_the_monthly_run_tells_each_owner_of_their_new_cases_once(
    programme, other_programme, operator, member, django_capture_on_commit_callbacks
):
    colleague = member("operator", username="collega")
    elsewhere = member("operator", username="altrove", programme=other_programme)
    for owner in (operator, operator, colleague, None):
        _lease(programme, operator, owner)
    with django_capture_on_commit_callbacks(execute=True):
        run_monthly(month=date(2026, 2, 1), today=date(2026, 2, 26))
    assert ArrearsCase.objects.count() == 4
    rows = {
        (n.recipient.username, n.title)
        for n in Notification.objects.filter(kind="arrears_opened").select_related("recipient")
    }
    assert rows == {
        ("operatore", "2 casi di morosità aperti per i tuoi nuclei"),
        ("collega", "1 caso di morosità aperto per i tuoi nuclei"),
        # the family with no operator: every operator of the programme hears of it
        ("operatore", "1 caso di morosità aperto per un nucleo senza operatore"),
        ("collega", "1 caso di morosità aperto per un nucleo senza operatore"),
    }
    assert elsewhere.notifications.count() == 0
    assert len(mail.outbox) == 4

    run_monthly(month=date(2026, 2, 1), today=date(2026, 2, 26))  # again: nothing new
    assert Notification.objects.filter(kind="arrears_opened").count() == 4
