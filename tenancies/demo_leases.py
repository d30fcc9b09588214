"""Demo leases with a year of rent history and arrears cases in every state.

Enrolled households rent dwellings of landlords with an active agreement. Each household
follows a payment habit (punctual, late, struggling); the monthly run then opens cases where
rent is late past the threshold, and a few cases are walked through their states. Everything
goes through the services; all randomness comes from `demo.rng`.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from common.exceptions import DomainError
from common.money import eur
from common.roles import Role
from housing.models import Dwelling, LandlordAgreement
from tenancies.models import ArrearsCase, Enrollment, Household, Payment, Placement
from tenancies.rent.arrears import add_months, month_start
from tenancies.selectors.placements import places_free
from tenancies.selectors.rent import lease_balance, lease_overdue_dues
from tenancies.services.arrears import (
    arrears_case_contact,
    arrears_case_escalate,
    arrears_case_mark_claimed,
    arrears_plan_agree,
    arrears_report_by_landlord,
)
from tenancies.services.leases import lease_activate, lease_create
from tenancies.services.monthly import run_monthly
from tenancies.services.payments import payment_record
from tenancies.services.placements import placement_accept, placement_activate, placement_propose

HABITS = ["punctual"] * 4 + ["late"] * 2 + ["struggling"] * 4


def _agreements(programme) -> dict:
    return {
        agreement.landlord_id: agreement
        for agreement in LandlordAgreement.objects.filter(
            landlord__programme=programme, status=LandlordAgreement.Status.ACTIVE
        )
    }


def lease_placement_for(household, *, operator, start, notes=""):
    """The placement a demo lease of `household` from `start` follows: its accepted or active
    placement in a flat of a landlord with an active agreement, or else a new one (proposed,
    accepted, moved in on `start`) in such a flat that no placement or lease holds. None when
    the household lives elsewhere, has a proposal pending, or no flat is free.

    The eviction demo uses it too, so every demo lease follows a placement."""
    programme = household.programme
    agreements = _agreements(programme)
    flats = Placement.objects.filter(
        dwelling__cohousing__isnull=True, dwelling__landlord_id__in=list(agreements)
    )
    placement = flats.filter(household=household).holding_a_place().order_by("-pk").first()
    if placement is not None:
        return placement
    if household.placements.filter(status__in=Placement.OPEN_STATES).exists():
        return None  # lives in a cohousing place, or a proposal is pending
    candidates = (
        Dwelling.objects.in_programme(programme)
        .filter(available=True, cohousing__isnull=True, landlord_id__in=list(agreements))
        .order_by("pk")
    )
    for dwelling in candidates:
        if not places_free(dwelling=dwelling, on=start):
            continue
        try:
            placement = placement_propose(
                actor=operator,
                household=household,
                dwelling=dwelling,
                proposed_on=start - timedelta(days=20),
                notes=notes or "Alloggio trovato sul mercato privato grazie alla garanzia.",
            )
            placement_accept(actor=operator, placement=placement)
            return placement_activate(actor=operator, placement=placement, on=start)
        except DomainError:
            continue
    return None


def seed(demo):
    rng = demo.rng
    programme = demo.programme
    operator = demo.user(Role.OPERATOR)
    today = timezone.localdate()
    # Households whose lease the eviction demo already made keep it. A household rents the flat
    # it was placed in (cohousing places have no lease of their own here); the others find a
    # flat on the private market thanks to the guarantee, and are placed there first: a lease
    # always follows a placement, and a flat has one lease in force at a time.
    households = list(
        Household.objects.in_programme(programme)
        .filter(enrollments__status=Enrollment.Status.ENROLLED)
        .exclude(leases__isnull=False)
        .order_by("pk")
    )
    agreements = _agreements(programme)
    leases = []
    for household in households:
        start = month_start(today - timedelta(days=rng.randint(120, 400)))
        placement = lease_placement_for(household, operator=operator, start=start)
        if placement is None:
            continue
        dwelling = placement.dwelling
        agreement = agreements[dwelling.landlord_id]
        lease_type = rng.choice(agreement.lease_types)
        months = {"transitorio": 18, "studenti": 12, "concordato_3_2": 36}.get(lease_type, 48)
        try:
            lease = lease_create(
                actor=operator,
                placement=placement,
                lease_type=lease_type,
                start_date=start,
                end_date=add_months(start, months),
                rent=min(dwelling.rent, agreement.max_monthly_rent),
                service_charges=dwelling.service_charges,
                due_day=rng.choice([1, 5, 5, 10]),
                deposit=eur(min(dwelling.rent, agreement.max_monthly_rent).amount * 2),
                registration_number=f"TK{rng.randint(100000, 999999)}",
                registration_date=start,
            )
            lease_activate(actor=operator, lease=lease, today=today)
        except DomainError:
            continue  # a lease that doesn't fit its agreement stays a draft
        leases.append((lease, rng.choice(HABITS)))

    for lease, habit in leases:
        _pay_history(rng, lease, habit, operator, today)
    run_monthly(month=month_start(today), today=today)
    _walk_cases(rng, programme, operator, today, demo)
    run_monthly(month=month_start(today), today=today)  # detects the broken plan


def _pay_history(rng, lease, habit, operator, today):
    """One payment per month due, as the household's habit has it."""
    for due in lease.dues.order_by("month"):
        amount = due.amount.amount
        if habit == "punctual":
            delay, share = rng.randint(-3, 3), Decimal(1)
        elif habit == "late":
            delay, share = rng.randint(5, 30), Decimal(1)
        else:
            if rng.random() < 0.35:
                continue  # a month skipped
            delay, share = rng.randint(10, 45), Decimal(rng.choice(["0.5", "0.7", "1"]))
        paid_on = due.due_date + timedelta(days=delay)
        if paid_on > today - timedelta(days=1):
            continue
        payment_record(
            actor=operator,
            lease=lease,
            amount=(amount * share).quantize(Decimal("0.01")),
            paid_on=paid_on,
            method=rng.choice([Payment.Method.BANK_TRANSFER] * 4 + [Payment.Method.CASH]),
            payer=Payment.Payer.HOUSEHOLD,
        )


def _walk_cases(rng, programme, operator, today, demo):
    """Move some of the cases the monthly run opened into each later state."""
    cases = list(
        ArrearsCase.objects.in_programme(programme)
        .filter(status=ArrearsCase.Status.OPENED)
        .order_by("pk")
    )
    steps = ["plan", "escalated", "broken", "contacted", "cured", "claimed", "landlord", "opened"]
    for case, step in zip(cases, steps * 3, strict=False):
        if step == "landlord":
            landlords = demo.users.get(Role.LANDLORD, [])
            if landlords:
                arrears_report_by_landlord(
                    actor=landlords[0],
                    lease=case.lease,
                    months=[month_start(today - timedelta(days=40))],
                )
            continue
        if step == "opened":
            continue
        arrears_case_contact(
            actor=operator,
            case=case,
            note=rng.choice(
                [
                    "Telefonata: riduzione dell'orario di lavoro, si impegna a recuperare.",
                    "Colloquio al Punto di Comunità con la referente del nucleo.",
                    "Visita domiciliare: spese mediche impreviste.",
                ]
            ),
            next_action="Verificare il prossimo pagamento",
            next_action_due=today + timedelta(days=rng.randint(-5, 10)),
        )
        if step == "plan":
            arrears_plan_agree(
                actor=operator,
                case=case,
                instalments=rng.randint(3, 8),
                first_due=today + timedelta(days=10),
                today=today,
                note="Piano concordato con il nucleo e il proprietario.",
            )
        elif step == "broken":
            # Agreed the day after the first unpaid month fell due; its first instalment was
            # never paid, so the monthly run at the end finds the plan broken.
            agreed = lease_overdue_dues(lease=case.lease, today=today)[0].due_date
            agreed += timedelta(days=1)
            arrears_plan_agree(
                actor=operator,
                case=case,
                instalments=4,
                first_due=agreed,
                today=agreed,
                note="Piano concordato, prima rata non versata.",
            )
        elif step == "claimed":
            arrears_case_mark_claimed(
                actor=operator, case=case, note="Il proprietario ha chiesto l'escussione."
            )
        elif step == "escalated":
            arrears_case_escalate(
                actor=operator, case=case, note="Notificata intimazione di sfratto."
            )
        elif step == "cured":
            overdue = lease_balance(lease=case.lease, today=today).overdue
            payment_record(
                actor=operator,
                lease=case.lease,
                amount=overdue,
                paid_on=today,
                method=Payment.Method.PUBLIC_CONTRIBUTION,
                payer=Payment.Payer.MUNICIPALITY,
                note="Contributo comunale per morosità incolpevole",
            )
