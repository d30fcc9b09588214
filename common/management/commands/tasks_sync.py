"""Open the tasks of every duty already in the database (an installation that predates the
inbox, or a new kind of task) and close those whose duty is gone. Safe to run again: a task
follows its duty, so a second run changes nothing."""

from django.core.management.base import BaseCommand

from common.duties import task_sources, tasks_sync_all


class Command(BaseCommand):
    help = "Open a task for every open duty and close tasks whose duty is resolved."

    def add_arguments(self, parser):
        parser.add_argument(
            "--kind",
            action="append",
            choices=[source.kind for source in task_sources()],
            help="Only this kind of task (repeatable).",
        )

    def handle(self, *args, kind=None, **options):
        records = tasks_sync_all(kinds=kind)
        self.stdout.write(self.style.SUCCESS(f"Tasks synced for {records} records."))
