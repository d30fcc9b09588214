from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from common.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore an archive written by `backup`: the database and the uploaded documents. "
        "Every checksum is verified first; a database that holds data is refused without --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="the .tar.gz written by `backup`")
        parser.add_argument("--database", default="default", help="database alias")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a database that holds data, and documents that differ",
        )

    def handle(self, *args, archive, database, force, **options):
        try:
            manifest = backup_restore(path=archive, using=database, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        documents = len(manifest["files"]) - 1
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {archive} (made {manifest['created_at']}): {manifest['vendor']} "
                f"database and {documents} documents. Run `manage.py check_integrity` next."
            )
        )
