"""What each kind of spreadsheet holds, and which service each of its rows goes through.

A kind lists its columns (the Italian header of the template, and other names people give
it), how to read each cell, the natural key that finds the row already in the database, and
`row_apply`, which creates or updates through the same service the pages use and says what it
did. Comparing before calling the update service is what makes a second import of the same
file "unchanged" rather than "updated".
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _

from common.money import eur
from common.numbers import NumberError, decimal_parse
from housing.models import Dwelling, Landlord, LeaseType, PayeeChange
from housing.models.stock import EnergyClass
from housing.services import dwelling_create, dwelling_update, landlord_create, landlord_update
from housing.validators import normalise_iban, normalise_tax_code
from tenancies.models import Lease, Member, Outcome, ReferralSource
from tenancies.services.households import (
    household_refer,
    household_update,
    member_add,
    member_update,
)
from tenancies.services.leases import lease_create, lease_update
from tenancies.sheets.reader import header_key

MAX_AMOUNT = Decimal("10000000")


class CellError(Exception):
    """A cell that cannot be read; `column` is filled in by the caller when empty."""

    def __init__(self, message: str, column: str = ""):
        super().__init__(message)
        self.message = message
        self.column = column


# Reading cells -----------------------------------------------------------------------------


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def text(max_length: int):
    def parse(value):
        value = _text(value)
        if len(value) > max_length:
            raise CellError(
                _("at most %(max)s characters, not %(count)s.")
                % {"max": max_length, "count": len(value)}
            )
        return value

    return parse


def code(value) -> str:
    return normalise_tax_code(_text(value))[:40]


def money(value) -> Decimal:
    if isinstance(value, bool):
        raise CellError(_("“%(value)s” is not an amount in euros.") % {"value": value})
    if isinstance(value, float):
        # The shortest decimal that is this float: 650.1, never 650.0999…
        value = Decimal(repr(value))
    try:
        amount = decimal_parse(value if isinstance(value, Decimal | int) else _text(value))
    except NumberError as error:
        raise CellError(error.message) from error
    if amount != amount.quantize(Decimal("0.01")):
        raise CellError(
            _("“%(value)s” has more than two decimals: amounts are in euros and cents.")
            % {"value": value}
        )
    if abs(amount) >= MAX_AMOUNT:
        raise CellError(_("“%(value)s” is too large for an amount here.") % {"value": value})
    return amount.quantize(Decimal("0.01"))


def integer(value) -> int:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raw = _text(value)
    if not raw.lstrip("-").isdigit() or len(raw) > 9:
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": raw[:40]})
    return int(raw)


_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d/%m/%y")


def day(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = _text(value)
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(raw, fmt).date()  # noqa: DTZ007 (a calendar day)
        except ValueError:
            continue
    raise CellError(_("“%(value)s” is not a date: write it as dd/mm/yyyy.") % {"value": raw[:40]})


_YES = {"si", "s", "x", "1", "vero", "true", "yes", "y"}
_NO = {"no", "n", "0", "falso", "false", ""}


def yes_no(value) -> bool:
    if isinstance(value, bool):
        return value
    key = header_key(value)
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise CellError(_("“%(value)s” is neither “sì” nor “no”.") % {"value": _text(value)[:40]})


def choice(choices, *, aliases: dict | None = None):
    """A value of `choices` given by its code, its label (English or Italian) or an alias."""
    names = {}
    for value, label in choices:
        names[header_key(value)] = value
        names[header_key(str(label))] = value
        with translation.override("it"):
            names[header_key(str(label))] = value
    for alias, value in (aliases or {}).items():
        names[header_key(alias)] = value

    def parse(raw):
        found = names.get(header_key(raw))
        if found is None:
            with translation.override("it"):
                accepted = ", ".join(f"“{label}”" for _value, label in choices)
            raise CellError(
                _("“%(value)s” is not one of %(accepted)s.")
                % {"value": _text(raw)[:40], "accepted": accepted}
            )
        return found

    return parse


# Columns and kinds -------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    header: str  # as in the template: what an Italian operator calls it
    field: str
    parse: Callable
    required: bool = False
    default: object = ""  # the value of a blank optional cell
    aliases: tuple = ()


@dataclass
class Kind:
    name: str
    columns: tuple
    apply: Callable  # (actor, programme, values) -> (outcome, key)
    # Fields the services name in their refusals, for the columns they come from.
    field_columns: dict = field(default_factory=dict)

    def __post_init__(self):
        for column in self.columns:
            self.field_columns.setdefault(column.field, column.header)

    def header_map(self, header_row) -> tuple[dict[int, Column], list[str]]:
        """Which file column is which of ours, and the headers of required columns missing."""
        known = {}
        for column in self.columns:
            for name in (column.header, *column.aliases):
                known[header_key(name)] = column
        found = {}
        for index, cell in enumerate(header_row):
            column = known.get(header_key(cell))
            if column is not None and column not in found.values():
                found[index] = column
        missing = [c.header for c in self.columns if c.required and c not in found.values()]
        return found, missing


def _changed(obj, values: dict) -> dict:
    return {name: value for name, value in values.items() if getattr(obj, name, None) != value}


def _amounts(values: dict, names) -> dict:
    return {
        name: eur(value) if name in names and value is not None else value
        for name, value in values.items()
    }


def _blank_key(what: str, column: str):
    raise CellError(_("%(what)s is needed to know the row.") % {"what": what}, column=column)


# Landlords

LANDLORD_TAX = "Codice fiscale o partita IVA"


def landlords_apply(*, actor, programme, values):
    tax_code = values.get("tax_code") or ""
    if not tax_code:
        _blank_key(_("The codice fiscale or partita IVA"), LANDLORD_TAX)
    landlord = Landlord.objects.in_programme(programme).filter(tax_code=tax_code).first()
    values = dict(values)
    if "iban" in values:
        values["iban"] = normalise_iban(values["iban"])
    if landlord is None:
        landlord_create(actor=actor, programme=programme, **values)
        return Outcome.CREATED, tax_code
    iban = values.pop("iban", None)
    if iban is not None and (
        iban == landlord.iban
        or landlord.payee_changes.filter(status=PayeeChange.Status.PROPOSED, iban=iban).exists()
    ):
        iban = None  # already the account, or already proposed to a fund administrator
    changes = _changed(landlord, values)
    if not changes and iban is None:
        return Outcome.UNCHANGED, tax_code
    if iban is not None:
        changes["iban"] = iban
    landlord_update(actor=actor, landlord=landlord, **changes)
    return Outcome.UPDATED, tax_code


LANDLORDS = Kind(
    name="landlords",
    columns=(
        Column(
            LANDLORD_TAX,
            "tax_code",
            code,
            required=True,
            aliases=("Codice fiscale", "Partita IVA", "CF", "P.IVA", "CF/P.IVA"),
        ),
        Column(
            "Nome",
            "name",
            text(200),
            required=True,
            aliases=("Nome o ragione sociale", "Ragione sociale", "Proprietario"),
        ),
        Column(
            "Tipo",
            "kind",
            choice(
                Landlord.Kind.choices,
                aliases={
                    "privato": "person",
                    "persona": "person",
                    "persona fisica": "person",
                    "agenzia": "agency",
                    "agenzia immobiliare": "agency",
                },
            ),
            default=Landlord.Kind.PERSON,
        ),
        Column("Referente", "contact_person", text(200), aliases=("Persona di riferimento",)),
        Column("IBAN", "iban", text(40)),
        Column("Indirizzo", "address", text(250)),
        Column("Comune", "municipality", text(100)),
        Column("Email", "email", text(254), aliases=("E-mail", "Posta elettronica")),
        Column("Telefono", "phone", text(40), aliases=("Cellulare",)),
    ),
    apply=landlords_apply,
)


# Dwellings

DWELLING_OWNER = "Codice fiscale proprietario"
DWELLING_MONEY = {"rent", "service_charges"}


def _dwelling_find(programme, *, address, unit, municipality, column):
    found = list(
        Dwelling.objects.in_programme(programme).filter(
            address__iexact=address, unit__iexact=unit, municipality__iexact=municipality
        )[:2]
    )
    if len(found) > 1:
        raise CellError(
            _("more than one dwelling has this address, flat and municipality."), column=column
        )
    return found[0] if found else None


def dwellings_apply(*, actor, programme, values):
    values = dict(values)
    owner = values.pop("landlord")
    key = f"{values['address']} {values.get('unit', '')}, {values['municipality']}"
    landlord = Landlord.objects.in_programme(programme).filter(tax_code=owner).first()
    if landlord is None:
        raise CellError(
            _(
                "no landlord of the programme has the codice fiscale or partita IVA %(code)s: "
                "import the landlords first."
            )
            % {"code": owner},
            column=DWELLING_OWNER,
        )
    values["landlord"] = landlord
    values = _amounts(values, DWELLING_MONEY)
    dwelling = _dwelling_find(
        programme,
        address=values["address"],
        unit=values.get("unit", ""),
        municipality=values["municipality"],
        column="Indirizzo",
    )
    if dwelling is None:
        dwelling_create(actor=actor, programme=programme, **values)
        return Outcome.CREATED, key
    changes = _changed(dwelling, values)
    if not changes:
        return Outcome.UNCHANGED, key
    dwelling_update(actor=actor, dwelling=dwelling, **changes)
    return Outcome.UPDATED, key


DWELLINGS = Kind(
    name="dwellings",
    columns=(
        Column(
            DWELLING_OWNER,
            "landlord",
            code,
            required=True,
            aliases=("CF proprietario", "Proprietario", "Partita IVA proprietario"),
        ),
        Column("Indirizzo", "address", text(250), required=True),
        Column("Interno", "unit", text(40), aliases=("Scala e interno",)),
        Column("Comune", "municipality", text(100), required=True),
        Column("Piano", "floor", integer, default=0),
        Column("Locali", "rooms", integer, required=True, aliases=("Vani", "Stanze")),
        Column(
            "Superficie m²",
            "size_m2",
            integer,
            required=True,
            aliases=("Superficie", "Superficie mq", "Mq", "m2"),
        ),
        Column("Classe energetica", "energy_class", choice(EnergyClass.choices)),
        Column("Accessibile", "accessible", yes_no, default=False),
        Column("Canone mensile", "rent", money, required=True, aliases=("Canone",)),
        Column(
            "Spese mensili",
            "service_charges",
            money,
            default=Decimal("0.00"),
            aliases=("Spese", "Spese condominiali"),
        ),
        Column("Disponibile", "available", yes_no, default=True),
        Column("Note", "notes", text(2000)),
    ),
    apply=dwellings_apply,
)


# Households with members

HOUSEHOLD_REFERENCE = "Codice fiscale referente"
MEMBER_CODE = "Codice fiscale"
MEMBER_FIELDS = (
    "first_name",
    "last_name",
    "codice_fiscale",
    "birth_date",
    "relation",
    "has_disability",
    "employment",
)
HOUSEHOLD_FIELDS = (
    "municipality",
    "address",
    "phone",
    "email",
    "isee",
    "referral_source",
    "consent_given_on",
    "consent_version",
)


def _reference_member(programme, code_value):
    return (
        Member.objects.filter(
            household__programme=programme,
            codice_fiscale__iexact=code_value,
            relation=Member.Relation.REFERENCE,
        )
        .select_related("household")
        .first()
    )


def households_apply(*, actor, programme, values):
    member_values = {k: v for k, v in values.items() if k in MEMBER_FIELDS}
    household_values = _amounts(
        {k: v for k, v in values.items() if k in HOUSEHOLD_FIELDS}, {"isee"}
    )
    member_code = member_values.get("codice_fiscale") or ""
    if not member_code:
        _blank_key(_("The member's codice fiscale"), MEMBER_CODE)
    reference_code = values.get("reference_code") or member_code
    is_reference = member_values.get("relation") == Member.Relation.REFERENCE
    if is_reference and reference_code != member_code:
        raise CellError(
            _("on the reference person's row the two codici fiscali are the same."),
            column=HOUSEHOLD_REFERENCE,
        )
    member = (
        Member.objects.filter(household__programme=programme, codice_fiscale__iexact=member_code)
        .select_related("household")
        .first()
    )
    if is_reference:
        if member is None:
            reference = {k: v for k, v in member_values.items() if k != "relation"}
            household_refer(
                actor=actor, programme=programme, reference=reference, **household_values
            )
            return Outcome.CREATED, member_code
        if member.relation != Member.Relation.REFERENCE:
            raise CellError(
                _(
                    "this person is already a member, not the reference person, of the "
                    "household “%(household)s”."
                )
                % {"household": member.household},
                column="Relazione",
            )
        household_changes = _changed(member.household, household_values)
        member_changes = _changed(member, member_values)
        if not household_changes and not member_changes:
            return Outcome.UNCHANGED, member_code
        if household_changes:
            household_update(actor=actor, household=member.household, **household_changes)
        if member_changes:
            member_update(actor=actor, member=member, **member_changes)
        return Outcome.UPDATED, member_code
    reference = _reference_member(programme, reference_code)
    if reference is None:
        raise CellError(
            _(
                "no household has %(code)s as its reference person: put the reference "
                "person's row first."
            )
            % {"code": reference_code},
            column=HOUSEHOLD_REFERENCE,
        )
    household = reference.household
    if member is None:
        member_add(actor=actor, household=household, **member_values)
        return Outcome.CREATED, member_code
    if member.household_id != household.pk:
        raise CellError(
            _("this person is a member of another household, “%(household)s”.")
            % {"household": member.household},
            column=MEMBER_CODE,
        )
    changes = _changed(member, member_values)
    if not changes:
        return Outcome.UNCHANGED, member_code
    member_update(actor=actor, member=member, **changes)
    return Outcome.UPDATED, member_code


_RELATIONS = {
    "referente": "reference",
    "intestatario": "reference",
    "coniuge": "partner",
    "convivente": "partner",
    "figlio": "child",
    "figlia": "child",
    "genitore": "parent",
    "fratello": "sibling",
    "sorella": "sibling",
    "altro": "other",
}

HOUSEHOLDS = Kind(
    name="households",
    columns=(
        Column(HOUSEHOLD_REFERENCE, "reference_code", code, aliases=("CF referente", "Referente")),
        Column("Cognome", "last_name", text(100), required=True),
        Column("Nome", "first_name", text(100), required=True),
        Column(MEMBER_CODE, "codice_fiscale", code, required=True, aliases=("CF",)),
        Column("Data di nascita", "birth_date", day, required=True, aliases=("Nato il",)),
        Column(
            "Relazione",
            "relation",
            choice(Member.Relation.choices, aliases=_RELATIONS),
            required=True,
            aliases=("Parentela", "Ruolo"),
        ),
        Column(
            "Disabilità", "has_disability", yes_no, default=False, aliases=("Disabilita", "L. 104")
        ),
        Column("Occupazione", "employment", choice(Member.Employment.choices)),
        Column("Comune di residenza", "municipality", text(100), aliases=("Comune",)),
        Column("Indirizzo", "address", text(250)),
        Column("Telefono", "phone", text(40)),
        Column("Email", "email", text(254)),
        Column("ISEE", "isee", money, default=None),
        Column(
            "Inviato da",
            "referral_source",
            choice(ReferralSource.choices),
            aliases=("Segnalato da", "Invio"),
        ),
        Column(
            "Data consenso", "consent_given_on", day, default=None, aliases=("Consenso dato il",)
        ),
        Column("Versione consenso", "consent_version", text(20)),
    ),
    apply=households_apply,
    field_columns={"name": "Cognome"},
)


# Leases

LEASE_MONEY = {"rent", "service_charges", "deposit"}
LEASE_FIELDS = set(Lease.EDITABLE_FIELDS)


def leases_apply(*, actor, programme, values):
    reference = _reference_member(programme, values["reference_code"])
    if reference is None:
        raise CellError(
            _("no household has %(code)s as its reference person.")
            % {"code": values["reference_code"]},
            column=HOUSEHOLD_REFERENCE,
        )
    household = reference.household
    dwelling = _dwelling_find(
        programme,
        address=values["dwelling_address"],
        unit=values.get("dwelling_unit", ""),
        municipality=values["dwelling_municipality"],
        column="Indirizzo alloggio",
    )
    if dwelling is None:
        raise CellError(
            _(
                "no dwelling of the programme has this address, flat and municipality: import "
                "the dwellings first."
            ),
            column="Indirizzo alloggio",
        )
    terms = _amounts({k: v for k, v in values.items() if k in LEASE_FIELDS}, LEASE_MONEY)
    number = terms.get("registration_number") or ""
    leases = Lease.objects.in_programme(programme)
    if number:
        lease = leases.filter(registration_number=number).first()
        key = number
    else:
        lease = leases.filter(
            household=household, dwelling=dwelling, start_date=terms["start_date"]
        ).first()
        key = f"{reference.codice_fiscale} {terms['start_date']:%d/%m/%Y}"
    if lease is None:
        lease_create(actor=actor, household=household, dwelling=dwelling, **terms)
        return Outcome.CREATED, key
    if lease.household_id != household.pk or lease.dwelling_id != dwelling.pk:
        raise CellError(
            _(
                "a lease with this registration number is another household's or another "
                "dwelling's."
            ),
            column="Numero registrazione",
        )
    changes = _changed(lease, terms)
    if not changes:
        return Outcome.UNCHANGED, key
    lease_update(actor=actor, lease=lease, note=_("Corrected by a spreadsheet import."), **changes)
    return Outcome.UPDATED, key


_LEASE_TYPES = {
    "4+4": "free_4_4",
    "libero": "free_4_4",
    "canone libero": "free_4_4",
    "3+2": "concordato_3_2",
    "concordato": "concordato_3_2",
    "canone concordato": "concordato_3_2",
    "transitorio": "transitorio",
    "studenti": "studenti",
    "universitario": "studenti",
}

LEASES = Kind(
    name="leases",
    columns=(
        Column(
            HOUSEHOLD_REFERENCE,
            "reference_code",
            code,
            required=True,
            aliases=("CF referente", "Conduttore", "CF conduttore"),
        ),
        Column(
            "Indirizzo alloggio",
            "dwelling_address",
            text(250),
            required=True,
            aliases=("Indirizzo",),
        ),
        Column("Interno", "dwelling_unit", text(40)),
        Column("Comune", "dwelling_municipality", text(100), required=True),
        Column(
            "Tipo contratto",
            "lease_type",
            choice(LeaseType.choices, aliases=_LEASE_TYPES),
            required=True,
            aliases=("Tipo",),
        ),
        Column("Data inizio", "start_date", day, required=True, aliases=("Decorrenza",)),
        Column("Data fine", "end_date", day, required=True, aliases=("Scadenza",)),
        Column("Canone mensile", "rent", money, required=True, aliases=("Canone",)),
        Column(
            "Spese mensili", "service_charges", money, default=Decimal("0.00"), aliases=("Spese",)
        ),
        Column("Giorno di scadenza", "due_day", integer, default=5, aliases=("Giorno pagamento",)),
        Column(
            "Deposito",
            "deposit",
            money,
            default=Decimal("0.00"),
            aliases=("Deposito cauzionale", "Cauzione"),
        ),
        Column(
            "Numero registrazione",
            "registration_number",
            text(60),
            aliases=("Estremi registrazione",),
        ),
        Column("Data registrazione", "registration_date", day, default=None),
    ),
    apply=leases_apply,
    field_columns={
        "placement": HOUSEHOLD_REFERENCE,
        "dwelling": "Indirizzo alloggio",
        "household": HOUSEHOLD_REFERENCE,
    },
)

KINDS = {kind.name: kind for kind in (LANDLORDS, DWELLINGS, HOUSEHOLDS, LEASES)}
