from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from common.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write the database (SQLite or PostgreSQL) and the uploaded documents (MEDIA_ROOT) to "
        "one tar.gz archive with a manifest of checksums."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="the archive to write (default var/backups/fondo-<date>-<time>.tar.gz)",
        )
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args, output, database, **options):
        if output is None:
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            output = Path(settings.BASE_DIR) / "var" / "backups" / f"fondo-{stamp}.tar.gz"
        try:
            manifest = backup_create(path=output, using=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        documents = len(manifest["files"]) - 1
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {output}: {manifest['vendor']} database and "
                f"{documents} documents."
            )
        )
