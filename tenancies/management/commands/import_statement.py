from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from common.exceptions import DomainError
from common.models import Programme
from tenancies.services.bank import statement_counts_message, statement_upload


class Command(BaseCommand):
    help = (
        "Import a bank statement (CSV, XLSX or camt.053) of a programme's rent account and "
        "match its lines to leases. Books nothing: an operator confirms the matches on the "
        "statement's page. Importing the same statement twice adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--programme", required=True, help="the programme's short name")
        parser.add_argument("--user", required=True, help="the operator importing it")
        parser.add_argument("--account", default="Conto affitti", help="the bank account")

    def handle(self, *args, file, programme, user, account, **options):
        try:
            programme_obj = Programme.objects.get(slug=programme)
            actor = get_user_model().objects.get(username=user)
            content = file.read_bytes()
        except (Programme.DoesNotExist, get_user_model().DoesNotExist, OSError) as error:
            raise CommandError(str(error)) from error

        def progress(done, total):
            if options["verbosity"] > 0 and total:
                bar = "#" * (30 * done // total)
                self.stdout.write(f"\r  [{bar:<30}] {done:>8} / {total}", ending="")
                self.stdout.flush()

        try:
            statement, counts = statement_upload(
                actor=actor,
                programme=programme_obj,
                account=account,
                file_name=file.name,
                content=content,
                progress=progress,
            )
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(f"#{statement.pk}: {statement_counts_message(counts)}")
        )
