"""Issue the letters decided claims lack: for an installation that decided claims before
decision letters and payout orders existed (check_integrity's claim_decision_has_letter names
them). Safe to run again: a claim with its letters gets nothing new."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from fund.services.letters import claim_letters_issue_missing


class Command(BaseCommand):
    help = "Issue the decision letter and payout order of every decided claim that lacks them."

    def add_arguments(self, parser):
        parser.add_argument(
            "--by", required=True, help="Username of who issues them (recorded on each letter)."
        )

    def handle(self, *args, by, **options):
        try:
            actor = get_user_model().objects.get(username=by)
        except get_user_model().DoesNotExist as error:
            raise CommandError(f"No user {by!r}.") from error
        issued = claim_letters_issue_missing(actor=actor)
        self.stdout.write(self.style.SUCCESS(f"Letters issued: {issued}."))
