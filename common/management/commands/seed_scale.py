import time

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import translation

from common.duties import tasks_sync_all


class Command(BaseCommand):
    help = (
        "Build a regional-scale programme (N households, Y years of history) in bulk, to "
        "measure pages at size. Repeatable: the same seed builds the same programme."
    )

    def add_arguments(self, parser):
        parser.add_argument("--households", type=int, default=10_000)
        parser.add_argument("--years", type=int, default=2, help="years of rent history")
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")

    def handle(self, *args, households, years, seed, **options):
        from benchmarks.scale_data import build_scale, planner_statistics_refresh

        translation.activate("it")
        started = time.perf_counter()
        with transaction.atomic():
            built = build_scale(
                households=households, years=years, seed=seed, log=self.stdout.write
            )
            # Bulk-built records get their tasks as an existing installation does.
            tasks_sync_all()
        planner_statistics_refresh()
        self.stdout.write(
            self.style.SUCCESS(
                f"{built.programme.name}: {built.households} households, {built.leases} leases, "
                f"{built.dues} rent dues in {time.perf_counter() - started:.0f} s."
            )
        )
        logins = ", ".join(users[0].username for users in built.users.values())
        self.stdout.write(f"Logins (password demo): {logins}")
