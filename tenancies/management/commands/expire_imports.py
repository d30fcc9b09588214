"""Forget expired spreadsheet imports: their files and previews hold personal data."""

from django.core.management.base import BaseCommand

from tenancies.sheets.services import imports_expire


class Command(BaseCommand):
    help = "Delete the files and previews of spreadsheet imports past their expiry (run daily)."

    def handle(self, *args, **options):
        count = imports_expire()
        self.stdout.write(f"{count} import(s) expired.")
