from django.core.management.base import BaseCommand

from common.notifications.services import digest_send


class Command(BaseCommand):
    help = (
        "E-mail each user one digest of their notifications not yet e-mailed (daily-digest "
        "readers, and immediate mail that failed). Safe to repeat: nothing is sent twice."
    )

    def handle(self, *args, **options):
        sent = digest_send()
        self.stdout.write(f"{sent} digest e-mail(s) sent.")
