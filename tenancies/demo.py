"""Demo households for a programme: referrals in every enrolment state, members, pacts.

Everything goes through the services (so the timelines are real) and all randomness comes
from `demo.rng`, so the same seed gives the same families.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.utils.timezone import localdate

from common.money import eur
from common.roles import Role
from tenancies.codicefiscale import codice_fiscale_build
from tenancies.models import Member, PactCommitment
from tenancies.services import enrollment as enrollment_services
from tenancies.services import pacts as pact_services
from tenancies.services.households import household_refer, member_add

# (citizenship, language, place code for the codice fiscale, surnames, male names, female names)
ORIGINS = [
    (
        "italiana",
        "italiano",
        ["B157", "F471", "A794", "F205", "F839"],
        [
            "Rossi",
            "Bonetti",
            "Ferrari",
            "Zanardi",
            "Bertoldi",
            "Gatti",
            "Lombardi",
            "Bianchi",
            "Pedercini",
            "Esposito",
            "Romano",
            "Colombo",
            "Treccani",
            "Ghidini",
            "Scalvini",
        ],
        ["Marco", "Luca", "Giuseppe", "Andrea", "Francesco", "Paolo", "Stefano", "Davide"],
        ["Giulia", "Sara", "Francesca", "Chiara", "Anna", "Elena", "Silvia", "Federica"],
    ),
    (
        "marocchina",
        "arabo, francese",
        ["Z330"],
        ["El Amrani", "Benali", "Haddad", "Bouzid", "Tahiri", "Alaoui"],
        ["Youssef", "Mohamed", "Hamza", "Karim", "Rachid"],
        ["Fatima", "Khadija", "Salma", "Nadia", "Amina"],
    ),
    (
        "rumena",
        "rumeno",
        ["Z129"],
        ["Popescu", "Ionescu", "Dumitru", "Stan", "Radu"],
        ["Andrei", "Ion", "Mihai", "Florin"],
        ["Elena", "Ioana", "Maria", "Andreea"],
    ),
    (
        "albanese",
        "albanese",
        ["Z100"],
        ["Hoxha", "Kola", "Shehu", "Leka"],
        ["Arben", "Ermal", "Gentian"],
        ["Elira", "Anila", "Blerina"],
    ),
    (
        "senegalese",
        "wolof, francese",
        ["Z343"],
        ["Diop", "Ndiaye", "Fall", "Sarr"],
        ["Mamadou", "Cheikh", "Ousmane"],
        ["Awa", "Fatou", "Aminata"],
    ),
    (
        "pakistana",
        "urdu",
        ["Z236"],
        ["Khan", "Ahmed", "Hussain", "Iqbal"],
        ["Imran", "Bilal", "Asif"],
        ["Ayesha", "Sana", "Nazia"],
    ),
    (
        "ucraina",
        "ucraino, russo",
        ["Z138"],
        ["Kovalenko", "Shevchenko", "Bondarenko"],
        ["Oleksandr", "Dmytro"],
        ["Olena", "Iryna", "Natalia"],
    ),
]

STREETS = [
    "Via Roma",
    "Via Mazzini",
    "Via Garibaldi",
    "Via XX Settembre",
    "Via Brescia",
    "Via Trento",
    "Viale Europa",
    "Via San Pietro",
    "Via dei Mille",
    "Via Verdi",
]
HOUSEHOLD_COMMITMENTS = [
    ("Cercare lavoro attivamente: almeno 5 candidature al mese", None),
    ("Frequentare il corso di educazione finanziaria", None),
    ("Ore di attività nella comunità (Punto di Comunità, doposcuola)", 20),
    ("Pagare regolarmente la quota di canone concordata", None),
    ("Partecipare agli incontri mensili con l'operatore", None),
    ("Iscrivere i figli al centro estivo comunale", None),
]
PROGRAMME_COMMITMENTS = [
    "Ricerca di un alloggio in affitto concordato",
    "Garanzia del fondo sul canone nei confronti del proprietario",
    "Mediazione con il proprietario in caso di difficoltà",
    "Orientamento ai servizi per il lavoro",
    "Mediazione culturale durante i colloqui",
]
# Share of households per final state, in order of the path.
PLAN = [
    ("referred", 8),
    ("assessing", 8),
    ("eligible", 16),
    ("ineligible", 6),
    ("overridden", 4),
    ("enrolled", 50),
    ("exited", 8),
]
PACT_STATES = ["draft", "signed", "signed", "overdue", "under_review", "completed", "broken"]


def _birth(rng, today: date, min_age: int, max_age: int) -> date:
    return today - timedelta(days=rng.randint(min_age * 365 + 10, max_age * 365 + 300))


def _cf(first, last, birth, female, place):
    return codice_fiscale_build(
        first_name=first, last_name=last, birth_date=birth, female=female, place_code=place
    )


def seed(demo):
    rng = demo.rng
    programme = demo.programme
    operators = demo.users.get(Role.OPERATOR, [])
    if not operators:
        return
    today = localdate()
    municipalities = programme.municipalities or ["Bergamo"]
    first_programme = programme.slug == "genera-azioni"
    total = 80 if first_programme else 24
    weights = [share for _state, share in PLAN]
    states = [s for s, _w in PLAN for _ in range(round(total * _w / sum(weights)))]
    states = (states + ["enrolled"] * total)[:total]
    rng.shuffle(states)
    used_codes = set()
    pact_index = 0
    for index, target in enumerate(states):
        origin = ORIGINS[0] if rng.random() < 0.55 else rng.choice(ORIGINS[1:])
        citizenship, language, places, surnames, males, females = origin
        last = rng.choice(surnames)
        female = rng.random() < 0.5
        ref_birth = _birth(rng, today, 24, 62)
        first = rng.choice(females if female else males)
        place = rng.choice(places)
        code = _cf(first, last, ref_birth, female, place)
        if code in used_codes:
            ref_birth -= timedelta(days=1)
            code = _cf(first, last, ref_birth, female, place)
        used_codes.add(code)
        operator = operators[index % len(operators)]
        ineligible = target == "ineligible" or target == "overridden"
        factors = rng.sample(
            ["job_loss", "reduced_hours", "illness", "separation", "eviction_notice", "death"],
            k=rng.choice([1, 1, 2]),
        )
        household = household_refer(
            actor=operator,
            programme=programme,
            referred_on=today - timedelta(days=rng.randint(20, 400)),
            reference={
                "first_name": first,
                "last_name": last,
                "codice_fiscale": code,
                "birth_date": ref_birth,
                "has_disability": rng.random() < 0.08,
                "employment": rng.choice(
                    ["unemployed", "precarious", "employed", "home", "self_employed"]
                ),
            },
            municipality=rng.choice(municipalities)
            if not (ineligible and rng.random() < 0.5)
            else "Brescia",
            address=f"{rng.choice(STREETS)} {rng.randint(1, 120)}",
            phone=f"3{rng.randint(20, 49)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
            isee=eur(rng.randint(2500, 17000) if not ineligible else rng.randint(27000, 38000)),
            isee_expires_on=today + timedelta(days=rng.randint(15, 330)),
            income_sources=rng.sample(
                ["employment", "unemployment", "inclusion", "child", "pension", "maintenance"],
                k=rng.choice([1, 2]),
            ),
            vulnerability_factors=factors,
            arrears_not_at_fault=rng.random() < 0.35,
            citizenship=citizenship,
            languages=language,
            needs_mediation=citizenship != "italiana" and rng.random() < 0.5,
            referral_source=rng.choice(
                ["social_services", "social_services", "parish", "community_point", "self"]
            ),
            operator=operator,
            consent_given_on=today - timedelta(days=rng.randint(20, 400)),
            consent_version="2025.1",
        )
        _add_members(rng, household, operator, origin, last, female, ref_birth, today, used_codes)
        _walk(rng, household, operator, target, today)
        if target == "enrolled":
            _pact(rng, household, operator, PACT_STATES[pact_index % len(PACT_STATES)], today)
            pact_index += 1
    _placements(rng, programme, today)
    seed_evictions(demo)


def _add_members(rng, household, operator, origin, last, ref_female, ref_birth, today, codes):
    _citizenship, _language, places, _surnames, males, females = origin
    people = []
    if rng.random() < 0.6:
        partner_birth = ref_birth + timedelta(days=rng.randint(-1500, 1500))
        people.append(("partner", not ref_female, partner_birth, rng.choice(places)))
    for _ in range(rng.choice([0, 1, 1, 2, 2, 3])):
        people.append(("child", rng.random() < 0.5, _birth(rng, today, 0, 17), "B157"))
    if rng.random() < 0.12:
        people.append(
            ("parent", rng.random() < 0.6, _birth(rng, today, 70, 84), rng.choice(places))
        )
    for relation, female, birth, place in people:
        first = rng.choice(females if female else males)
        code = _cf(first, last, birth, female, place)
        if code in codes:
            continue
        codes.add(code)
        member_add(
            actor=operator,
            household=household,
            first_name=first,
            last_name=last,
            codice_fiscale=code,
            birth_date=birth,
            relation=relation,
            has_disability=rng.random() < 0.07,
            employment=Member.Employment.NOT_APPLICABLE
            if relation == "child"
            else rng.choice(["employed", "unemployed", "precarious", "retired", "home"]),
        )


def _walk(rng, household, operator, target, today):
    enrollment = household.enrollments.get()
    if target == "referred":
        return
    enrollment_services.enrollment_start_assessment(
        actor=operator, enrollment=enrollment, note="Primo colloquio svolto."
    )
    if target == "assessing":
        return
    enrollment_services.enrollment_assess(actor=operator, enrollment=enrollment)
    enrollment.refresh_from_db()
    if target == "ineligible":
        return
    if enrollment.status == "ineligible":
        enrollment_services.enrollment_override(
            actor=operator,
            enrollment=enrollment,
            reason="L'ISEE non riflette il reddito attuale: perdita del lavoro dopo la "
            "dichiarazione, verificata con i servizi sociali.",
        )
    if target in ("eligible", "overridden"):
        return
    enrollment_services.enrollment_enrol(
        actor=operator,
        enrollment=enrollment,
        on=min(today, enrollment.referred_on + timedelta(days=rng.randint(14, 40))),
        note="Posto disponibile nel fondo di garanzia.",
    )
    if target == "exited":
        enrollment_services.enrollment_exit(
            actor=operator,
            enrollment=enrollment,
            reason=rng.choice(["autonomy", "autonomy", "moved_away", "withdrew"]),
            note="Chiusura concordata con il nucleo.",
        )


def _pact(rng, household, operator, state, today):
    enrolled_on = household.enrollments.get().enrolled_on
    signed_on = max(
        enrolled_on, today - timedelta(days=rng.randint(10, 60) if state != "overdue" else 130)
    )
    if state == "overdue":
        signed_on = min(signed_on, today - timedelta(days=100))
    pact = pact_services.pact_create(
        actor=operator,
        household=household,
        goal=rng.choice(
            [
                "Raggiungere l'autonomia abitativa entro un anno.",
                "Stabilizzare il reddito e mantenere l'alloggio attuale.",
                "Trovare un alloggio adeguato alla famiglia e rientrare dalla morosità.",
            ]
        ),
        starts_on=signed_on,
        ends_on=signed_on + timedelta(days=365),
        review_every_months=3,
    )
    for text, hours in rng.sample(HOUSEHOLD_COMMITMENTS, k=2):
        pact_services.commitment_add(
            actor=operator,
            pact=pact,
            party=PactCommitment.Party.HOUSEHOLD,
            description=text,
            hours=hours,
            due_on=signed_on + timedelta(days=rng.choice([90, 180, 365])),
        )
    for text in rng.sample(PROGRAMME_COMMITMENTS, k=2):
        pact_services.commitment_add(
            actor=operator, pact=pact, party=PactCommitment.Party.PROGRAMME, description=text
        )
    if state == "draft":
        return
    reference = household.members.get(relation=Member.Relation.REFERENCE)
    pact_services.pact_sign(
        actor=operator,
        pact=pact,
        place=household.municipality,
        household_signatory=f"{reference.first_name} {reference.last_name}",
        on=signed_on,
    )
    if state in ("signed", "overdue"):
        return
    pact_services.pact_start_review(actor=operator, pact=pact)
    if state == "under_review":
        return
    pact_services.pact_review_record(
        actor=operator,
        pact=pact,
        held_on=today - timedelta(days=2),
        outcome="on_track" if state == "completed" else "not_kept",
        note="Obiettivi raggiunti, alloggio stabile."
        if state == "completed"
        else "Impegni non rispettati nonostante i solleciti.",
        decision="complete" if state == "completed" else "broken",
    )


# Placements: most enrolled households live in a flat, a condominium flat or a cohousing
# place; a few proposals are pending, declined or ended. Cohousing first, in turn with flats.
PLACEMENT_PLAN = ["active"] * 6 + ["proposed", "accepted", "declined", "ended"]
PLACEMENT_KINDS = ["cohousing", "condominium", "dwelling"]


def _placements(rng, programme, today):
    from common.exceptions import DomainError
    from tenancies.models import Enrollment, Household, Placement
    from tenancies.selectors.placements import household_needs, placement_matches, places_free
    from tenancies.services import placements as services

    households = Household.objects.filter(
        programme=programme, enrollments__status=Enrollment.Status.ENROLLED
    ).order_by("pk")
    for index, household in enumerate(households):
        outcome = PLACEMENT_PLAN[index % len(PLACEMENT_PLAN)]
        wanted = PLACEMENT_KINDS[index % len(PLACEMENT_KINDS)]
        needs = household_needs(household=household)
        fits = placement_matches(household=household, **needs)
        fits = [v for v in fits if v.kind == wanted] or fits
        if not fits:
            continue
        vacancy = fits[0]
        operator = household.operator
        proposed_on = today - timedelta(days=rng.randint(40, 300))
        try:
            placement = services.placement_propose(
                actor=operator,
                household=household,
                dwelling=vacancy.dwelling,
                place_number=places_free(dwelling=vacancy.dwelling)[0],
                proposed_on=proposed_on,
                notes=rng.choice(["", "Vicino alla scuola dei figli.", "Piano terra, ascensore."]),
            )
            if outcome == "proposed":
                continue
            if outcome == "declined":
                services.placement_decline(
                    actor=operator,
                    placement=placement,
                    note=rng.choice(
                        [
                            "Troppo lontano dal lavoro.",
                            "Il nucleo ha trovato una soluzione in famiglia.",
                        ]
                    ),
                )
                continue
            services.placement_accept(actor=operator, placement=placement)
            if outcome == "accepted":
                continue
            starts_on = proposed_on + timedelta(days=rng.randint(7, 30))
            services.placement_activate(actor=operator, placement=placement, on=starts_on)
            if outcome == "ended":
                services.placement_end(
                    actor=operator,
                    placement=placement,
                    on=min(today, starts_on + timedelta(days=rng.randint(20, 120))),
                    reason=rng.choice([Placement.EndReason.AUTONOMY, Placement.EndReason.LEFT]),
                    note="Il nucleo ha lasciato l'alloggio.",
                )
        except DomainError:
            continue


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
]


def seed_evictions(demo) -> None:
    """Leases with arrears and an eviction case in every state of the procedure."""
    from housing.models import Dwelling
    from housing.selectors import agreement_active_for
    from tenancies.models import Household, Lease
    from tenancies.services import eviction as eviction_services
    from tenancies.services import eviction_actions
    from tenancies.services.arrears import (
        arrears_case_contact,
        arrears_case_escalate,
        arrears_case_open,
    )
    from tenancies.services.leases import lease_activate
    from tenancies.services.payments import payment_record

    rng = demo.rng
    programme = demo.programme
    today = localdate()
    households = list(
        Household.objects.in_programme(programme)
        .filter(leases__isnull=True, operator__isnull=False)
        .order_by("pk")
    )
    dwellings = [
        (dwelling, agreement)
        for dwelling in Dwelling.objects.in_programme(programme).select_related("landlord")
        for agreement in [agreement_active_for(landlord=dwelling.landlord, on=today)]
        if agreement is not None
    ]
    if not dwellings:
        return
    for index, (state, served_ago, hearing_in) in enumerate(EVICTION_PLAN):
        if index >= len(households):
            return
        household = households[index]
        operator = household.operator
        dwelling, agreement = dwellings[index % len(dwellings)]
        start = today - timedelta(days=rng.randint(400, 700))
        # Built here rather than with lease_create, which on this branch trips over the
        # protected status field in full_clean; lease_activate below is the real service.
        lease = Lease.objects.create(
            programme=programme,
            created_by=operator,
            household=household,
            landlord=dwelling.landlord,
            dwelling=dwelling,
            lease_type=agreement.lease_types[0],
            start_date=start,
            end_date=start + timedelta(days=4 * 365),
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
            arrears_case=arrears,
            served_on=today - timedelta(days=served_ago) if served_ago else None,
            hearing_on=today + timedelta(days=hearing_in) if served_ago else None,
            note="Il nucleo si presenta allo sportello con l'intimazione." if served_ago else "",
        )
        _walk_eviction(demo, case, state, operator, today, eviction_services, eviction_actions)


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
        services.eviction_cure(
            actor=operator,
            case=case,
            on=case.new_hearing_on,
            note="Morosità sanata con il contributo del fondo morosità incolpevole.",
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
        services.eviction_close(
            actor=operator,
            case=case,
            transition="rehouse",
            on=ago(10),
            note="Il nucleo si trasferisce in un posto in coabitazione del programma.",
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
