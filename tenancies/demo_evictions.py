"""Demo eviction-prevention cases (called by tenancies.demo.seed)."""

from datetime import timedelta
from decimal import Decimal

from django.utils.timezone import localdate

from common.money import eur

# --- eviction prevention: one case in every state, dates coherent with today -------------------

EVICTION_PLAN = [
    # state, days since the summons was served (None: no summons yet), hearing from today
    ("at_risk", None, None),
    ("summons_served", 10, 15),
    ("mediation", 20, 6),
    ("settled", 25, 3),
    ("closed_prevented", 80, -55),
    ("hearing", 35, -2),
    ("grace_period", 60, -35),
    ("cured", 120, -95),
    ("validated", 80, -50),
    ("enforcement_scheduled", 150, -120),
    ("rehoused", 110, -80),
    ("evicted", 250, -220),
    ("withdrawn", 40, -10),
    ("opposed", 70, -40),
    ("dismissed", 200, -170),
]


def seed_evictions(demo) -> None:
    """Leases with arrears and an eviction case in every state of the procedure."""
    from housing.selectors import agreement_active_for
    from tenancies.demo_leases import lease_placement_for
    from tenancies.models import Enrollment, Household, Lease
    from tenancies.rent.arrears import add_months
    from tenancies.services import eviction as eviction_services
    from tenancies.services.arrears import (
        arrears_case_contact,
        arrears_case_escalate,
        arrears_case_open,
    )
    from tenancies.services.leases import lease_activate, lease_create
    from tenancies.services.payments import payment_record

    rng = demo.rng
    programme = demo.programme
    today = localdate()
    # Enrolled households only, each in a flat its placement holds (tenancies.demo_leases): a
    # lease follows a placement and a flat has one lease in force at a time.
    households = iter(
        Household.objects.in_programme(programme)
        .filter(
            leases__isnull=True,
            operator__isnull=False,
            enrollments__status=Enrollment.Status.ENROLLED,
        )
        .order_by("pk")
    )
    for index, (state, served_ago, hearing_in) in enumerate(EVICTION_PLAN):
        start = today - timedelta(days=rng.randint(400, 700))
        for household in households:
            operator = household.operator
            placement = lease_placement_for(household, operator=operator, start=start)
            if placement is not None:
                break
        else:
            return
        dwelling = placement.dwelling
        agreement = agreement_active_for(landlord=dwelling.landlord, on=today)
        # A lease of four years where the agreement accepts one; a transitional lease lasts
        # 18 months at most (Lease.clean), a students' one a year.
        long_types = [t for t in agreement.lease_types if t in ("free_4_4", "concordato_3_2")]
        lease_type = (long_types or agreement.lease_types)[0]
        months = 48 if long_types else {"transitorio": 18}.get(lease_type, 12)
        end = add_months(start, months)
        lease = lease_create(
            actor=operator,
            placement=placement,
            lease_type=lease_type,
            start_date=start,
            end_date=end,
            rent=eur(min(agreement.max_monthly_rent.amount, 450 + 10 * rng.randint(0, 10))),
            service_charges=eur(40),
            due_day=5,
            registration_number=f"TN{rng.randint(100000, 999999)}" if index % 4 else "",
        )
        lease_activate(actor=operator, lease=lease, today=today)
        # The household paid until three or four months before the summons.
        unpaid_months = 3 + index % 2
        paid_months = max(1, (today - start).days // 30 - unpaid_months - (served_ago or 0) // 30)
        payment_record(
            actor=operator,
            lease=lease,
            amount=lease.monthly_due * paid_months,
            paid_on=start + timedelta(days=30 * paid_months - 20),
            method="bank_transfer",
            payer="household",
        )
        lease = Lease.objects.get(pk=lease.pk)
        cause = rng.choice(["unemployment", "reduced_hours", "illness", "separation"])
        arose = start + timedelta(days=rng.randint(60, 200))
        opened_on = today - timedelta(days=(served_ago or 5))
        arrears = None
        if served_ago is None:
            arrears = arrears_case_open(
                actor=operator, lease=lease, on=opened_on, origin="operator"
            )
            arrears_case_contact(actor=operator, case=arrears, note="Colloquio con il nucleo.")
            arrears_case_escalate(
                actor=operator,
                case=arrears,
                note="Il proprietario annuncia l'intimazione di sfratto.",
                on=opened_on,
            )
        case = eviction_services.eviction_case_open(
            actor=operator,
            lease=lease,
            on=opened_on,
            cause=cause,
            cause_arose_on=arose,
            lease_signed_on=start - timedelta(days=rng.randint(5, 30)),
            arrears_case=arrears,
            served_on=today - timedelta(days=served_ago) if served_ago else None,
            hearing_on=today + timedelta(days=hearing_in) if served_ago else None,
            note="Il nucleo si presenta allo sportello con l'intimazione." if served_ago else "",
        )
        _walk_eviction(demo, case, state, operator, today, eviction_services, eviction_services)


def _walk_eviction(demo, case, state, operator, today, services, actions):
    def ago(days):
        return today - timedelta(days=days)

    if state in ("at_risk", "summons_served"):
        return
    if state == "withdrawn":
        services.eviction_close(
            actor=operator,
            case=case,
            transition="withdraw",
            on=ago(12),
            note="Il proprietario ha rinunciato dopo il pagamento di due mensilità.",
        )
        return
    if state in ("mediation", "settled", "closed_prevented"):
        case = services.eviction_mediation_start(actor=operator, case=case)
        first = {"mediation": 3, "settled": 6, "closed_prevented": 70}[state]
        actions.eviction_meeting_record(
            actor=operator,
            case=case,
            held_on=ago(first),
            result="continuing" if state == "mediation" else "agreement",
            participants="Proprietario, nucleo, operatore",
            note="Il proprietario è disposto a rinunciare se rientra metà della morosità.",
        )
        if state == "mediation":
            return
        arrears = case.arrears_at_opening
        if arrears.amount <= 0:  # paid up by the day the case opened: settle two months' rent
            arrears = case.lease.monthly_due * 2
        case = actions.eviction_settlement_record(
            actor=operator,
            case=case,
            on=ago(first - 2),
            fund_cover=arrears * Decimal("0.5"),
            household_repays=arrears - arrears * Decimal("0.5"),
            instalments=6,
            terms="Il fondo copre metà della morosità; il nucleo restituisce il resto in sei "
            "rate; il proprietario rinuncia all'intimazione.",
        )
        if state == "closed_prevented":
            services.eviction_close(
                actor=operator,
                case=case,
                transition="close_prevented",
                on=ago(50),
                note="Rinuncia all'intimazione depositata in udienza.",
            )
        return
    case = services.eviction_hearing_hold(actor=operator, case=case, on=case.hearing_on)
    if state == "hearing":
        return
    if state in ("grace_period", "cured"):
        granted = case.hearing_on
        days = 90 if state == "grace_period" else 60
        case = services.eviction_grace_grant(
            actor=operator,
            case=case,
            granted_on=granted,
            days=days,
            new_hearing_on=granted + timedelta(days=days + 7),
            note="Il giudice concede il termine per sanare la morosità.",
        )
        application = actions.fund_application_create(
            actor=operator,
            case=case,
            applied_on=granted + timedelta(days=3),
            amount_requested=case.arrears_at_opening,
        )
        if state == "grace_period":
            return
        application = actions.fund_application_decide(
            actor=operator,
            application=application,
            granted=True,
            on=granted + timedelta(days=30),
            amount=case.arrears_at_opening,
        )
        received = granted + timedelta(days=50)
        actions.fund_application_receive(actor=operator, application=application, on=received)
        # The household pays the rest, the interest and the costs before the new hearing: only
        # payment in full cures (L. 392/1978 art. 55).
        rest = case.cure_balance(on=case.new_hearing_on).owed
        if rest > 0:
            from tenancies.services.payments import payment_record

            payment_record(
                actor=operator,
                lease=case.lease,
                amount=eur(rest),
                paid_on=case.new_hearing_on - timedelta(days=2),
                method="bank_transfer",
                payer="household",
            )
        services.eviction_cure(
            actor=operator,
            case=case,
            on=case.new_hearing_on,
            note="Morosità sanata con il contributo del fondo morosità incolpevole.",
        )
        return
    if state in ("opposed", "dismissed"):
        case = services.eviction_oppose(
            actor=operator,
            case=case,
            on=case.hearing_on,
            note="L'inquilino contesta l'importo: il giudice muta il rito.",
        )
        if state == "dismissed":
            services.eviction_judgment_dismiss(
                actor=operator,
                case=case,
                on=case.hearing_on + timedelta(days=120),
                note="Il giudice accerta che i canoni erano stati pagati.",
            )
        return
    case = services.eviction_validate(
        actor=operator,
        case=case,
        on=case.hearing_on,
        execution_from=case.hearing_on + timedelta(days=60),
        note="Sfratto convalidato: l'inquilino non si è opposto.",
    )
    if state == "validated":
        return
    if state == "rehoused":
        placement = _rehousing_placement(demo, case, operator, today)
        if placement is None:
            return
        services.eviction_rehouse(
            actor=operator,
            case=case,
            on=ago(10),
            note="Il nucleo si trasferisce in un alloggio del programma.",
            placement=placement,
        )
        return
    case = services.eviction_precetto_serve(
        actor=operator, case=case, on=case.hearing_on + timedelta(days=80)
    )
    notice = case.precetto_served_on + timedelta(days=20)
    if state == "enforcement_scheduled":
        notice = ago(15)
    case = actions.eviction_access_notice(
        actor=operator, case=case, notice_served_on=notice, access_on=notice + timedelta(days=19)
    )
    if state == "enforcement_scheduled":
        return
    case = actions.eviction_access_postpone(
        actor=operator,
        case=case,
        access_on=case.access_on + timedelta(days=50),
        note="Primo accesso rinviato: presenza di minori, si cerca una soluzione.",
    )
    services.eviction_evict(
        actor=operator,
        case=case,
        on=case.access_on,
        note="Rilascio eseguito con la forza pubblica; il nucleo è ospite di parenti.",
    )


def _rehousing_placement(demo, case, operator, today):
    """The household is offered a free flat of the programme and accepts it: the placement
    that rehouses it (the first flat the placement service takes)."""
    from common.exceptions import DomainError
    from housing.models import Dwelling
    from tenancies.models import Lease, Placement
    from tenancies.services.placements import placement_accept, placement_propose

    flats = (
        Dwelling.objects.in_programme(case.programme)
        .filter(cohousing__isnull=True)
        .exclude(pk__in=Lease.objects.values("dwelling_id"))
        .exclude(
            pk__in=Placement.objects.filter(status__in=Placement.OPEN_STATES).values("dwelling_id")
        )
        .order_by("pk")
    )
    for flat in flats:
        try:
            placement = placement_propose(
                actor=operator,
                household=case.lease.household,
                dwelling=flat,
                proposed_on=today - timedelta(days=20),
                notes="Alloggio del programma per evitare l'esecuzione dello sfratto.",
            )
        except DomainError:
            continue
        return placement_accept(actor=operator, placement=placement)
    return None
