from datetime import date

from django.core.management.base import BaseCommand, CommandError

from common.models import Programme
from tenancies.privacy.retention import pseudonymise_due, retention_cutoff


class Command(BaseCommand):
    help = (
        "Pseudonymise the households whose case closed more than the programme's retention "
        "period ago and that have nothing open (lease, placement, arrears, eviction, guarantee, "
        "claim, recovery). --dry-run lists them and changes nothing. Run it from cron; it is "
        "safe to run twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="list the households, change nothing"
        )
        parser.add_argument("--programme", help="only this programme (its short name)")
        parser.add_argument("--today", help="judge the retention period on this date")

    def handle(self, *args, dry_run, programme, today, **options):
        try:
            today_date = date.fromisoformat(today) if today else None
        except ValueError as error:
            raise CommandError(f"--today must look like 2026-11-26, not “{today}”.") from error
        programmes = Programme.objects.order_by("pk")
        if programme:
            programmes = programmes.filter(slug=programme)
            if not programmes.exists():
                raise CommandError(f"No programme with short name “{programme}”.")
        total = 0
        for each in programmes:
            households = pseudonymise_due(
                actor=None, programme=each, dry_run=dry_run, today=today_date
            )
            cutoff = retention_cutoff(programme=each, today=today_date)
            self.stdout.write(
                f"{each.slug}: {len(households)} "
                f"{'to pseudonymise' if dry_run else 'pseudonymised'} "
                f"(case closed before {cutoff:%Y-%m-%d}, {each.retention_years} years)"
            )
            if options["verbosity"] > 1 or dry_run:
                for household in households:
                    # The key only: the name is what this command exists to remove.
                    self.stdout.write(
                        f"  nucleo n. {household.pk}, chiuso il {household.closed_on}"
                    )
            total += len(households)
        verb = "would be pseudonymised" if dry_run else "pseudonymised"
        self.stdout.write(self.style.SUCCESS(f"{total} households {verb}."))
