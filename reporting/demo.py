"""Demo targets: the figures the seed documents promise their funders (see
/work/shared/seeds/README.md), set through the service as a fund administrator would."""

from datetime import date
from decimal import Decimal

from django.utils.timezone import localdate

from common.roles import Role
from reporting.services import target_create

GENERA_CASA = (
    "#genera_azioni – Bassa Bresciana Orientale, azione #GENERA_CASA: «Creazione di un FONDO "
    "GARANZIA in favore di 80 famiglie in situazione di fragilità»; «Sostegno e accompagnamento "
    "di 20 COABITAZIONI»; «Avvio di 4 CONDOMINI SOCIALI accompagnati dalla figura del custode "
    "sociale»."
)
BENE_COMUNE = (
    "Fare #BeneComune (Pavia, Fondazione Cariplo, 800.000 euro): «accompagnare e sostenere almeno "
    "800 famiglie in difficoltà». Cifra usata come obiettivo di esempio per questo programma."
)

TARGETS = {
    "genera-azioni": [
        ("households_guaranteed", Decimal(80), GENERA_CASA),
        ("cohousing_active", Decimal(20), GENERA_CASA),
        ("condominiums_active", Decimal(4), GENERA_CASA),
    ],
    "next-bergamo": [("households_referred", Decimal(800), BENE_COMUNE)],
}


def seed(demo) -> None:
    today = localdate()
    # A three-year project that started the year before last.
    start, end = date(today.year - 2, 1, 1), date(today.year, 12, 31)
    actor = demo.user(Role.FUND_ADMIN)
    for indicator, value, source in TARGETS.get(demo.programme.slug, []):
        target_create(
            actor=actor,
            programme=demo.programme,
            indicator=indicator,
            value=value,
            period_start=start,
            period_end=end,
            source=source,
        )
