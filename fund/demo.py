"""Demo fund of a programme: contributions over the last twelve months, one reversed mistake."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from common.money import eur, split_evenly
from common.roles import Role
from fund.models import Contribution
from fund.services.funds import contribution_book, fund_create
from fund.services.ledger import transaction_reverse

DONORS = [
    "Parrocchia di San Pancrazio",
    "Lions Club Bassa Bresciana",
    "Cooperativa La Rete",
    "Famiglia Bertoli",
    "Associazione Commercianti",
    "Caritas zonale",
]


def seed(demo):
    programme = demo.programme
    admin = demo.user(Role.FUND_ADMIN, 0)
    today = timezone.localdate()
    rng = demo.rng
    fund = fund_create(
        actor=admin,
        programme=programme,
        name=f"Fondo di garanzia {programme.name.split('–')[0].strip()}",
        leverage=Decimal("1.50"),
        cover_months=3,
        cover_cap=eur("3000.00"),
    )

    def book(days_ago, funder, kind, amount, note=""):
        return contribution_book(
            actor=admin,
            fund=fund,
            funder=funder,
            kind=kind,
            amount=amount,
            date=today - timedelta(days=days_ago),
            note=note,
        )

    book(
        340,
        "Fondazione Cariplo",
        Contribution.Kind.FOUNDATION,
        eur("150000.00"),
        "Bando Housing sociale: contributo per il fondo di garanzia.",
    )
    municipalities = programme.municipalities or ["Comune capofila"]
    for index, (name, share) in enumerate(
        zip(municipalities, split_evenly(eur("50000.00"), len(municipalities)), strict=True)
    ):
        book(
            300 - index * 9,
            f"Comune di {name}",
            Contribution.Kind.MUNICIPALITY,
            share,
            "Quota dell'accordo di programma.",
        )
    for days_ago in sorted(rng.sample(range(5, 330), 6), reverse=True):
        amount = eur(Decimal(rng.randrange(50, 2500)) + Decimal(rng.choice([0, 50])) / 100)
        book(days_ago, rng.choice(DONORS), Contribution.Kind.DONATION, amount)
    # A donation typed twice by mistake, then reversed: the ledger keeps both, with the reason.
    book(12, "Caritas zonale", Contribution.Kind.DONATION, eur("300.00"))
    duplicate = book(12, "Caritas zonale", Contribution.Kind.DONATION, eur("300.00"))
    transaction_reverse(
        actor=demo.user(Role.FUND_ADMIN, 1) if len(demo.users[Role.FUND_ADMIN]) > 1 else admin,
        transaction=duplicate.transaction,
        reason="Registrato due volte: un solo bonifico sull'estratto conto.",
        date=today - timedelta(days=11),
    )
