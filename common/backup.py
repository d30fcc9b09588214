"""One archive holds everything the application keeps: the database and the uploaded documents.

An archive is a tar.gz with `manifest.json` (format, database vendor, when, and each file's
size and SHA-256), the database (`database.sqlite3`, a copy made with SQLite's online backup
API, or `database.pgdump`, pg_dump's custom format) and `media/…`, the files under MEDIA_ROOT.
`manage.py backup` writes one, `manage.py restore` puts one back: it checks every checksum
before touching anything, and refuses a database that already holds data unless forced.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
# Rows that `migrate` itself writes: a freshly migrated database has them and is still empty.
MIGRATE_OWN_MODELS = {"contenttypes.contenttype", "auth.permission"}


class BackupError(Exception):
    """The archive or the target cannot be used; the message says why and what to do."""


def backup_create(*, path: Path, using: str = "default") -> dict:
    """Write the database and every file under MEDIA_ROOT to the archive at `path` (written
    beside it first, renamed when complete); returns the manifest."""
    connection = connections[using]
    vendor = _vendor(connection)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / DATABASE_FILES[vendor]
        # The database first, the documents after: a document's file is written before its row
        # commits, so every document the dump knows about is already on disk when we copy them.
        if vendor == "sqlite":
            _sqlite_dump(connection, database)
        else:
            _postgresql_dump(connection, database)
        files = [(database.name, database)]
        media_root = Path(settings.MEDIA_ROOT)
        if media_root.is_dir():
            files += [
                (MEDIA_PREFIX + file.relative_to(media_root).as_posix(), file)
                for file in sorted(media_root.rglob("*"))
                if file.is_file()
            ]
        manifest = {
            "format": FORMAT,
            "vendor": vendor,
            "created_at": timezone.now().isoformat(),
            "database": database.name,
            "files": [
                {"name": name, "size": file.stat().st_size, "sha256": _sha256_file(file)}
                for name, file in files
            ],
        }
        partial = path.with_name(path.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(timezone.now().timestamp())
            archive.addfile(info, io.BytesIO(data))
            for name, file in files:
                archive.add(file, arcname=name, recursive=False)
        os.replace(partial, path)
    return manifest


def backup_restore(*, path: Path, using: str = "default", force: bool = False) -> dict:
    """Put the archive at `path` back: its database into `using`, its documents under
    MEDIA_ROOT. Checks every file against the manifest first; refuses a database that holds
    data, or a document that differs from the archive's, unless `force`. Returns the manifest."""
    connection = connections[using]
    vendor = _vendor(connection)
    with tempfile.TemporaryDirectory() as tmp:
        manifest = _extract_verified(Path(path), Path(tmp))
        if manifest["vendor"] != vendor:
            raise BackupError(
                f"The archive holds a {manifest['vendor']} database; this one is {vendor}."
            )
        media_root = Path(settings.MEDIA_ROOT)
        documents = [e for e in manifest["files"] if e["name"].startswith(MEDIA_PREFIX)]
        if not force:
            if database_has_data(using=using):
                raise BackupError(
                    "The database already holds data: restore into a fresh database, "
                    "or pass --force to replace it."
                )
            different = [
                entry["name"]
                for entry in documents
                if (target := media_root / entry["name"][len(MEDIA_PREFIX) :]).exists()
                and _sha256_file(target) != entry["sha256"]
            ]
            if different:
                raise BackupError(
                    f"{len(different)} documents under MEDIA_ROOT differ from the archive's "
                    f"(e.g. {different[0]}): pass --force to overwrite them."
                )
        database = Path(tmp) / manifest["database"]
        if vendor == "sqlite":
            _sqlite_load(connection, database)
        else:
            _postgresql_load(connection, database)
        ContentType.objects.clear_cache()
        for entry in documents:
            target = media_root / entry["name"][len(MEDIA_PREFIX) :]
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(Path(tmp) / entry["name"], target)
    return manifest


def database_has_data(*, using: str = "default") -> bool:
    """Whether any table of an installed model holds a row (but what `migrate` writes)."""
    connection = connections[using]
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            meta = model._meta
            if meta.label_lower in MIGRATE_OWN_MODELS or meta.db_table not in tables:
                continue
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(meta.db_table)} LIMIT 1")
            if cursor.fetchone() is not None:
                return True
    return False


def _vendor(connection) -> str:
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
    return connection.vendor


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _extract_verified(path: Path, into: Path) -> dict:
    """Extract the manifest's files (and nothing else) into `into`, each checked against its
    size and checksum; a name that would leave `into` is refused."""
    if not path.is_file():
        raise BackupError(f"No archive at {path}.")
    try:
        with tarfile.open(path, "r:gz") as archive:
            manifest = json.load(archive.extractfile(MANIFEST))
            if manifest.get("format") != FORMAT:
                raise BackupError(f"Unknown archive format {manifest.get('format')!r}.")
            for entry in manifest["files"]:
                name = PurePosixPath(entry["name"])
                if name.is_absolute() or ".." in name.parts:
                    raise BackupError(f"Unsafe name in the archive: {entry['name']}.")
                source = archive.extractfile(entry["name"])
                if source is None:
                    raise BackupError(f"{entry['name']} is not a file in the archive.")
                target = into / name
                target.parent.mkdir(parents=True, exist_ok=True)
                with open(target, "wb") as out:
                    shutil.copyfileobj(source, out)
                if (
                    target.stat().st_size != entry["size"]
                    or _sha256_file(target) != entry["sha256"]
                ):
                    raise BackupError(f"{entry['name']} does not match its checksum: damaged.")
    except (tarfile.TarError, KeyError, json.JSONDecodeError, EOFError, OSError) as error:
        raise BackupError(f"{path} is not a readable backup archive ({error}).") from error
    return manifest


def _sqlite_dump(connection, target: Path) -> None:
    # SQLite's online backup API: a consistent copy while the application keeps working.
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
    finally:
        copy.close()


def _sqlite_load(connection, source: Path) -> None:
    # The same API the other way round, into Django's own connection: it replaces every page
    # of the database in one step, whether it is a file or (in tests) in memory.
    connection.ensure_connection()
    dump = sqlite3.connect(source)
    try:
        dump.backup(connection.connection)
    finally:
        dump.close()


def _postgresql_environment(connection) -> tuple[dict, str]:
    params = connection.settings_dict
    environment = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if params.get(key):
            environment[variable] = str(params[key])
    if params.get("OPTIONS", {}).get("sslmode"):
        environment["PGSSLMODE"] = params["OPTIONS"]["sslmode"]
    return environment, params["NAME"]


def _run(command: list[str], environment: dict) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (Debian: postgresql-client).")
    result = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def _postgresql_dump(connection, target: Path) -> None:
    environment, name = _postgresql_environment(connection)
    _run(
        ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}", name],
        environment,
    )


def _postgresql_load(connection, source: Path) -> None:
    environment, name = _postgresql_environment(connection)
    # pg_restore needs the tables unlocked: Django's session may hold none while it runs.
    connection.close()
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={name}",
            str(source),
        ],
        environment,
    )
