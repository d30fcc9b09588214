"""Demo programmes and one login per role. Apps add their own demo data in `<app>/demo.py`."""

from dataclasses import dataclass, field
from random import Random

from django.contrib.auth import get_user_model

from common.roles import Role
from common.services import membership_grant, programme_create, totp_device_provision

DEMO_PASSWORD = "demo"
# Fund administrators log in with a second factor (TOTP). The demo's all share this published
# secret, so the real flow is exercised: add it to an authenticator app, or compute the code
# (README, "Run it"). Never a secret of a real installation.
DEMO_TOTP_SECRET = "FONDOGARANZIACASADEMOAMMINISTRA2"

PROGRAMMES = [
    {
        "slug": "genera-azioni",
        "name": "#genera_azioni – Bassa Bresciana Orientale",
        "lead_organisation": "Comune di Montichiari",
        "municipalities": [
            "Montichiari",
            "Calcinato",
            "Calvisano",
            "Carpenedolo",
            "Acquafredda",
            "Visano",
            "Remedello",
        ],
        "description": "#GENERA_CASA: fondo di garanzia per 80 famiglie fragili, coabitazioni, "
        "condomini sociali con custode sociale.",
        "users": [
            ("operatore", "Giulia", "Ferrari", Role.OPERATOR),
            ("operatore2", "Marco", "Bonetti", Role.OPERATOR),
            ("amministratore", "Paola", "Rinaldi", Role.FUND_ADMIN),
            ("amministratore2", "Stefano", "Gatti", Role.FUND_ADMIN),
            ("amministratore3", "Marta", "Ferri", Role.FUND_ADMIN),
            ("custode", "Ahmed", "Benali", Role.CARETAKER),
            ("monitor", "Laura", "Colombo", Role.MONITOR),
            ("proprietario", "Franco", "Zanetti", Role.LANDLORD),
        ],
    },
    {
        "slug": "next-bergamo",
        "name": "NEXT – Bergamo",
        "lead_organisation": "Società di San Vincenzo de Paoli",
        "municipalities": ["Bergamo"],
        "description": "Fondo povertà per le famiglie impoverite dopo il 2020.",
        "users": [
            ("operatore.bg", "Chiara", "Moretti", Role.OPERATOR),
            ("amministratore.bg", "Davide", "Locatelli", Role.FUND_ADMIN),
            ("amministratore2.bg", "Elena", "Pesenti", Role.FUND_ADMIN),
            ("monitor.bg", "Roberto", "Gamba", Role.MONITOR),
            ("proprietario.bg", "Sergio", "Invernizzi", Role.LANDLORD),
        ],
    },
]


@dataclass
class DemoProgramme:
    """What app demo modules receive: the programme, its users by role, and a seeded RNG."""

    programme: object
    users: dict = field(default_factory=dict)  # role -> list of users
    rng: Random = field(default_factory=lambda: Random(0))

    def user(self, role, index=0):
        return self.users[role][index]


def seed_programmes(*, seed: int = 2026) -> list[DemoProgramme]:
    User = get_user_model()
    admin, _ = User.objects.get_or_create(
        username="admin", defaults={"is_staff": True, "is_superuser": True, "first_name": "Admin"}
    )
    admin.set_password(DEMO_PASSWORD)
    admin.save()
    result = []
    for index, spec in enumerate(PROGRAMMES):
        programme = programme_create(
            actor=admin,
            name=spec["name"],
            slug=spec["slug"],
            municipalities=spec["municipalities"],
            lead_organisation=spec["lead_organisation"],
            description=spec["description"],
        )
        demo = DemoProgramme(programme=programme, rng=Random(seed + index))
        for username, first, last, role in spec["users"]:
            user = User.objects.create_user(
                username=username,
                password=DEMO_PASSWORD,
                first_name=first,
                last_name=last,
                email=f"{username}@example.org",
            )
            membership_grant(actor=admin, programme=programme, user=user, role=role)
            if role == Role.FUND_ADMIN:
                totp_device_provision(user=user, secret_base32=DEMO_TOTP_SECRET)
            demo.users.setdefault(role, []).append(user)
        result.append(demo)
    return result


def demo_logins() -> list[tuple[str, str, str]]:
    rows = [("admin", "—", "superuser (admin)")]
    for spec in PROGRAMMES:
        for username, _first, _last, role in spec["users"]:
            rows.append((username, spec["name"], str(Role(role).label)))
    return rows
