"""Run every lifecycle invariant over the database and list what breaks it."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from common.integrity import integrity_checks, integrity_run


class Command(BaseCommand):
    help = "Check every named lifecycle invariant over the whole database; exit 1 on violations."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="append", dest="checks", help="only this check")
        parser.add_argument("--list", action="store_true", help="list the checks and stop")
        parser.add_argument(
            "--base-url",
            default=getattr(settings, "SITE_URL", ""),
            help="prefix for the links (e.g. https://fondo.example.org)",
        )

    def handle(self, *args, checks=None, list=False, base_url="", **options):
        if list:
            for check in integrity_checks():
                self.stdout.write(f"{check.name}: {check.description}")
            return
        try:
            violations = integrity_run(checks)
        except KeyError as error:
            raise CommandError(f"Unknown check: {error.args[0]}") from error
        for violation in violations:
            link = f" {base_url}{violation.url}" if violation.url else ""
            self.stdout.write(f"{violation.check}: {violation.label}: {violation.message}{link}")
        count = len(integrity_checks()) if not checks else len(checks)
        if violations:
            raise CommandError(f"{len(violations)} violation(s) of {count} check(s).", returncode=1)
        self.stdout.write(self.style.SUCCESS(f"{count} check(s), no violation."))
