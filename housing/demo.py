"""Demo housing stock for a programme: landlords, agreements in every state, dwellings,
social condominiums and cohousing. Everything goes through the services, so the timelines
have their events; randomness comes only from `demo.rng` (market rents from their own generator
seeded by the programme, so adding them changed nothing else), dates are relative to today."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.text import slugify
from stdnum import iban as stdnum_iban
from stdnum import luhn
from stdnum.it import codicefiscale

from common.money import eur
from common.roles import Role
from housing import services
from housing.models import CaretakerNote, Landlord, LeaseType


def _market_rent(rng, rent, today) -> dict:
    """A market rent 10–35 % above the agreed one, from the last OMI half-year published, or
    none yet for about one flat in six."""
    if rng.random() < 0.15:
        return {}
    half_year_end = date(today.year - 1, 12, 31) if today.month > 6 else date(today.year - 1, 6, 30)
    half = "2°" if half_year_end.month == 12 else "1°"
    uplift = Decimal(100 + rng.randint(10, 35)) / 100
    return {
        "market_rent": eur((rent.amount * uplift).quantize(Decimal("1"))),
        "market_rent_source": f"OMI — Agenzia delle Entrate, {half} semestre {half_year_end.year}",
        "market_rent_on": half_year_end + timedelta(days=rng.randint(30, 120)),
    }


FIRST_NAMES = ["Giuseppe", "Maria", "Luigi", "Anna", "Franco", "Rosa", "Mario", "Elena"]
LAST_NAMES = [
    "Bettoni",
    "Zani",
    "Pasini",
    "Tononi",
    "Bodei",
    "Girelli",
    "Mor",
    "Ghidini",
    "Scalvini",
    "Treccani",
]
AGENCIES = ["Casa Più", "Immobiliare del Garda", "Abitare Bassa", "Tecnocasa Chiese"]
STREETS = [
    "Via Roma",
    "Via Garibaldi",
    "Via Mazzini",
    "Corso Vittorio Emanuele",
    "Via Brescia",
    "Via Mantova",
    "Via San Pietro",
    "Via XX Settembre",
    "Via Matteotti",
    "Via dei Mille",
]
CONDOMINIUMS = [
    "Condominio solidale Borgosotto",
    "Casa comune San Giovanni",
    "Corte sociale Santa Maria",
    "Condominio solidale Chiese",
]
LETTERS = "ABCDEFGHILMNOPRSTUVZ"
MONTHS = "ABCDEHLMPRST"


def _tax_code_person(rng) -> str:
    body = (
        "".join(rng.choice(LETTERS) for _ in range(6))
        + f"{rng.randint(40, 99):02d}"
        + rng.choice(MONTHS)
        + f"{rng.randint(1, 28):02d}"
        + rng.choice("BCDEFGHL")
        + f"{rng.randint(100, 999)}"
    )
    return body + codicefiscale.calc_check_digit(body)


def _partita_iva(rng) -> str:
    body = f"{rng.randint(1000000, 9999999)}{rng.randint(1, 100):03d}"
    return body + luhn.calc_check_digit(body)


def _iban(rng) -> str:
    bban = (
        rng.choice("ABCDEFGHIJKLMNOPRSTUVWXYZ")
        + f"{rng.randint(1000, 9999):05d}"
        + f"{rng.randint(10000, 99999):05d}"
        + f"{rng.randint(0, 10**12 - 1):012d}"
    )
    number = "IT00" + bban
    return "IT" + stdnum_iban.calc_check_digits(number) + bban


def _money(rng, low, high, step=10):
    return eur(Decimal(rng.randrange(low, high + 1, step)))


def seed(demo):
    rng = demo.rng
    programme = demo.programme
    operator = demo.user(Role.OPERATOR)
    municipalities = list(programme.municipalities) or ["Montichiari"]
    small = len(municipalities) == 1
    today = timezone.localdate()

    # Landlords: two per municipality, an agency every third one.
    landlords = []
    per_municipality = 3 if small else 2
    for index in range(len(municipalities) * per_municipality):
        municipality = municipalities[index % len(municipalities)]
        is_agency = index % 3 == 0
        if is_agency:
            fields = {
                "kind": Landlord.Kind.AGENCY,
                "name": f"{AGENCIES[index // 3 % len(AGENCIES)]} {municipality}",
                "contact_person": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                "tax_code": _partita_iva(rng),
            }
        else:
            fields = {
                "kind": Landlord.Kind.PERSON,
                "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                "tax_code": _tax_code_person(rng),
            }
        slug = slugify(fields["name"]).replace("-", ".")
        landlords.append(
            services.landlord_create(
                actor=operator,
                programme=programme,
                iban=_iban(rng),
                address=f"{rng.choice(STREETS)} {rng.randint(1, 120)}",
                municipality=municipality,
                email=f"{slug}@example.org",
                phone=f"030 {rng.randint(1000000, 9999999)}",
                **fields,
            )
        )

    # Each landlord login acts for one landlord, so the landlord pages have something to show.
    for index, user in enumerate(demo.users.get(Role.LANDLORD, [])):
        services.landlord_link_user(actor=operator, landlord=landlords[index], user=user)

    # Agreements in every state: most active, some draft, suspended, terminated.
    plan = ["active", "active", "draft", "active", "suspended", "active", "terminated"]
    for index, landlord in enumerate(landlords):
        state = plan[index % len(plan)]
        signed = today - timedelta(days=rng.randint(30, 500))
        agreement = services.agreement_create(
            actor=operator,
            landlord=landlord,
            cover_months=rng.choice([6, 9, 12]),
            cap_per_lease=_money(rng, 3000, 8000, 500),
            max_monthly_rent=_money(rng, 550, 800, 50),
            lease_types=rng.sample(LeaseType.values, k=rng.randint(1, 3)),
            signed_on=None if state == "draft" else signed,
            valid_from=None if state == "draft" else signed,
            valid_until=None if state == "draft" else signed + timedelta(days=3 * 365),
            notes="" if state != "draft" else "In attesa della firma del proprietario.",
        )
        if state == "draft":
            continue
        services.agreement_activate(
            actor=operator, agreement=agreement, note="Convenzione firmata."
        )
        if state == "suspended":
            services.agreement_suspend(
                actor=operator, agreement=agreement, note="Verifica dei requisiti dell'alloggio."
            )
        if state == "terminated":
            services.agreement_terminate(
                actor=operator, agreement=agreement, note="Il proprietario ha venduto l'immobile."
            )

    # Social condominiums: the custode looks after the first two.
    caretakers = demo.users.get(Role.CARETAKER, [])
    condominiums = []
    for index, name in enumerate(CONDOMINIUMS[: 1 if small else 4]):
        condominiums.append(
            services.condominium_create(
                actor=operator,
                programme=programme,
                name=name,
                address=f"{rng.choice(STREETS)} {rng.randint(1, 60)}",
                municipality=municipalities[index % len(municipalities)],
                caretaker=caretakers[0] if caretakers and index < 2 else None,
            )
        )

    # Its own generator, so the rest of the demo draws what it drew before market rents.
    market_rng = random.Random(f"market-{programme.slug}")

    def new_dwelling(condominium=None, rooms=None, unit=""):
        landlord = rng.choice(landlords)
        rooms = rooms or rng.randint(1, 5)
        rent = _money(rng, 250 + rooms * 60, 350 + rooms * 90)
        return services.dwelling_create(
            actor=operator,
            programme=programme,
            landlord=landlord,
            condominium=condominium,
            address=condominium.address
            if condominium
            else f"{rng.choice(STREETS)} {rng.randint(1, 150)}",
            unit=unit,
            municipality=condominium.municipality if condominium else rng.choice(municipalities),
            floor=rng.randint(0, 4),
            rooms=rooms,
            size_m2=25 + rooms * rng.randint(14, 22),
            energy_class=rng.choice(["A2", "B", "C", "D", "E", "F", "G"]),
            accessible=rng.random() < 0.3,
            rent=rent,
            service_charges=_money(rng, 30, 120),
            available=rng.random() < 0.75,
            available_from=today + timedelta(days=rng.randint(-60, 60)),
            **_market_rent(market_rng, rent, today),
        )

    flats_per_condominium = 3
    dwelling_count = 8 if small else 40
    for condominium in condominiums:
        for flat in range(flats_per_condominium):
            new_dwelling(condominium=condominium, unit=f"Scala A, int. {flat + 1}")
    for _index in range(dwelling_count - len(condominiums) * flats_per_condominium):
        new_dwelling()

    # Cohousing: large flats shared by two to five households.
    for index in range(2 if small else 20):
        dwelling = new_dwelling(rooms=rng.randint(4, 7))
        places = rng.randint(2, 5)
        cohousing = services.cohousing_create(
            actor=operator,
            dwelling=dwelling,
            name=f"Coabitazione {dwelling.municipality} {index + 1}",
            places=places,
            max_people_per_place=rng.choice([1, 2, 3]),
            house_agreement="Turni di pulizia settimanali; spesa comune il sabato; "
            "riunione di casa una volta al mese con l'operatore.",
        )
        services.cohousing_costs_set(
            actor=operator, cohousing=cohousing, total=_money(rng, 90, 240)
        )

    # The caretaker's log: notes, and alerts for the operators.
    for condominium in condominiums:
        if condominium.caretaker is None:
            continue
        flats = list(condominium.flats.all())
        for day, (kind, text) in enumerate(
            [
                (CaretakerNote.Kind.NOTE, "Consegnate le chiavi della cantina."),
                (CaretakerNote.Kind.NOTE, "Organizzata la pulizia del cortile con i residenti."),
                (CaretakerNote.Kind.ALERT, "Infiltrazione d'acqua dal soffitto del bagno."),
                (CaretakerNote.Kind.ALERT, "La signora non esce di casa da tre giorni."),
            ]
        ):
            services.caretaker_note_create(
                actor=condominium.caretaker,
                condominium=condominium,
                dwelling=rng.choice(flats),
                resident_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                kind=kind,
                happened_on=today - timedelta(days=10 - 2 * day),
                text=text,
            )
