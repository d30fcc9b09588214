"""Demo households for a programme: referrals in every enrolment state, members, pacts.

Everything goes through the services (so the timelines are real) and all randomness comes
from `demo.rng`, so the same seed gives the same families.
"""

from datetime import date, timedelta

from django.utils.timezone import localdate

from common.money import eur
from common.roles import Role
from tenancies.codicefiscale import codice_fiscale_build
from tenancies.demo_evictions import seed_evictions
from tenancies.demo_placements import seed_placements
from tenancies.models import Member, PactCommitment
from tenancies.selectors.enrollment import enrollment_priority_order
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
OUT_OF_ORDER_REASONS = [
    "Alloggio adatto alla composizione del nucleo disponibile subito; le famiglie con "
    "punteggio più alto attendono un alloggio più grande.",
    "Sfratto con accesso dell'ufficiale giudiziario fissato entro il mese: urgenza "
    "concordata con i servizi sociali.",
    "Il proprietario ha accettato il canone concordato solo per questo nucleo.",
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
    seed_placements(rng, programme, today)
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
            note="L'ISEE non riflette il reddito attuale: perdita del lavoro dopo la "
            "dichiarazione, verificata con i servizi sociali.",
        )
    if target in ("eligible", "overridden"):
        return
    # Households with a higher score may be waiting: then the operator writes why this one
    # goes first, as the programme asks.
    ahead = enrollment_priority_order(enrollment=enrollment).ahead
    enrollment_services.enrollment_enrol(
        actor=operator,
        enrollment=enrollment,
        on=min(today, enrollment.referred_on + timedelta(days=rng.randint(14, 40))),
        note=rng.choice(OUT_OF_ORDER_REASONS) if ahead else "Posto disponibile nel fondo.",
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
        if enrolled_on > today - timedelta(days=100):
            # Enrolled too recently for a review to be overdue: a pact signs after enrolment.
            state = "signed"
        else:
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
