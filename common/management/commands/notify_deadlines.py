"""Each morning, tell every operator the deadlines of their coming days (cron, before
send_digest): `manage.py notify_deadlines [--days 3]`. Run twice, it tells nobody twice."""

from django.core.management.base import BaseCommand

from common.task_notifications import deadlines_notify


class Command(BaseCommand):
    help = "Tell each operator their open tasks due within N days (and overdue), once a day."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=3, help="how many days ahead (3)")

    def handle(self, *args, days, **options):
        if not 0 <= days <= 60:
            self.stderr.write("--days: between 0 and 60.")
            return
        sent = deadlines_notify(days=days)
        self.stdout.write(f"{sent} operator(s) told of their deadlines.")
