from datetime import date

from django.core.management.base import BaseCommand, CommandError

from tenancies.services.monthly import run_monthly


def parse_month(value: str) -> date:
    try:
        return date.fromisoformat(f"{value}-01")
    except ValueError as error:
        raise CommandError(f"--month must look like 2026-11, not “{value}”.") from error


class Command(BaseCommand):
    help = (
        "Make a month's rent due for every active lease, apply credits, open arrears cases at "
        "the threshold, detect broken plans and cured cases. Safe to run twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="the month to run, e.g. 2026-11")
        parser.add_argument(
            "--today", help="the date to judge lateness on (default: today), e.g. 2026-11-26"
        )

    def handle(self, *args, month, today, **options):
        try:
            today_date = date.fromisoformat(today) if today else None
        except ValueError as error:
            raise CommandError(f"--today must look like 2026-11-26, not “{today}”.") from error

        def progress(step, done, total):
            if options["verbosity"] > 0:
                self.stdout.write(f"  {step:<8} {done:>8} / {total}")

        result = run_monthly(month=parse_month(month), today=today_date, progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.month:%Y-%m}: {result.dues_created} dues created, "
                f"{result.credits_applied} credits applied, {result.cases_opened} cases opened, "
                f"{result.plans_broken} plans broken, {result.cases_cured} cases cured."
            )
        )
