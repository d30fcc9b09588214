from importlib import import_module
from importlib.util import find_spec

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import translation

from common.demo import (
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    PROGRAMMES,
    demo_logins,
    seed_programmes,
)
from common.duties import tasks_sync_all
from common.models import Programme
from common.notifications.services import notifications_mail_skip_pending

# Each app that has demo data exposes `seed(demo)` in `<app>/demo.py`; order follows the
# dependencies between apps.
APP_DEMO_MODULES = [
    "housing.demo",
    "tenancies.demo",
    "tenancies.demo_leases",
    "fund.demo",
    "reporting.demo",
]


class Command(BaseCommand):
    help = "Build a realistic, repeatable demo dataset (fixed random seed) and print the logins."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")

    def handle(self, *args, seed, **options):
        translation.activate("it")
        if Programme.objects.filter(slug=PROGRAMMES[0]["slug"]).exists():
            self.stdout.write("Demo data already present; nothing to do (make reset rebuilds it).")
        else:
            with transaction.atomic():
                demos = seed_programmes(seed=seed)
                for module_name in APP_DEMO_MODULES:
                    if find_spec(module_name) is None:
                        continue
                    module = import_module(module_name)
                    for demo in demos:
                        self.stdout.write(f"  {module_name}: {demo.programme.name}")
                        module.seed(demo)
                # The demo's events are made-up history: they fill the inboxes, but nobody is
                # e-mailed about them (the mails would leave after this block commits).
                notifications_mail_skip_pending()
                # Demo data written in bulk gets its tasks the way an existing installation
                # does (manage.py tasks_sync): one per open duty.
                tasks_sync_all()
            self.stdout.write(self.style.SUCCESS("Demo data created."))
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for username, programme, role in demo_logins():
            self.stdout.write(f"  {username:<20} {role:<28} {programme}")
        self.stdout.write(
            f"\nFund administrators then type a TOTP code: add the secret {DEMO_TOTP_SECRET} to "
            'an authenticator app, or run\n  .venv/bin/python -c "from base64 import b32decode; '
            "from django_otp.oath import totp; "
            f"print('%06d' % totp(b32decode('{DEMO_TOTP_SECRET}')))\""
        )
