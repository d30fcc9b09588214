"""The one policy for files people upload (household documents, signed agreements, court
papers): what a file *is* is read from its first bytes, never from its name; it has a size
limit; it is stored under a random name (the uploader's name may hold a codice fiscale) in the
private storage under MEDIA_ROOT, which no URL serves; a file it replaces is deleted only once
the new one is committed, so a rollback never leaves a row pointing at nothing.
"""

import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from common.exceptions import DomainError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class FileType:
    extension: str
    content_type: str
    magic: bytes
    label: str
    # For a type with no magic number (plain text): whether the first bytes look like it.
    sniff: Callable[[bytes], bool] | None = None


def _is_text(head: bytes) -> bool:
    """Text a spreadsheet exports: no NUL byte (UTF-16 and binaries have them), and it decodes
    as UTF-8 or cp1252 (the two encodings Italian spreadsheets save CSV in)."""
    if not head or b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start >= len(head) - 3:  # a character cut by the end of the sample
            return True
        try:
            head.decode("cp1252")
        except UnicodeDecodeError:
            return False
    return True


PDF = FileType("pdf", "application/pdf", b"%PDF-", "PDF")
JPEG = FileType("jpg", "image/jpeg", b"\xff\xd8\xff", "JPEG")
PNG = FileType("png", "image/png", b"\x89PNG\r\n\x1a\n", "PNG")
CSV = FileType("csv", "text/csv", b"", "CSV", sniff=_is_text)
# An XLSX is a ZIP; openpyxl reading it tells a real workbook from any other ZIP.
XLSX = FileType(
    "xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    b"PK\x03\x04",
    "XLSX",
)


def _is_xml(head: bytes) -> bool:
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


# Home banking exports statements as CSV (some name it .txt), XLSX or camt.053 XML.
TXT = FileType("txt", "text/plain", b"", "TXT", sniff=_is_text)
XML = FileType("xml", "application/xml", b"", "XML", sniff=_is_xml)
DOCUMENT_TYPES = (PDF, JPEG, PNG)
SPREADSHEET_TYPES = (CSV, XLSX)
STATEMENT_TYPES = (CSV, TXT, XLSX, XML)
# The names people give files of each type; any other name is refused before reading.
_NAMES = {
    "pdf": PDF,
    "jpg": JPEG,
    "jpeg": JPEG,
    "png": PNG,
    "csv": CSV,
    "xlsx": XLSX,
    "txt": TXT,
    "xml": XML,
}
SNIFF_BYTES = 4096


def _types_label(types) -> str:
    labels = [t.label for t in types]
    if len(labels) == 1:
        return labels[0]
    return _("%(first)s or %(last)s") % {"first": ", ".join(labels[:-1]), "last": labels[-1]}


def upload_check(
    upload, *, types=DOCUMENT_TYPES, max_bytes: int = MAX_UPLOAD_BYTES, field: str = "file"
) -> FileType:
    """The type of an acceptable upload, read from its content; DomainError on `field` for a
    name of another type, a file too large or empty, or content that is not what it claims."""
    name = str(getattr(upload, "name", "") or "")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    claimed = _NAMES.get(extension)
    if claimed not in types:
        raise DomainError(
            _("Upload a %(types)s file.") % {"types": _types_label(types)}, field=field
        )
    size = upload.size
    if size > max_bytes:
        raise DomainError(
            _("The file is too large (%(size)s MB): the limit is %(limit)s MB.")
            % {
                "size": f"{size / 1024 / 1024:.1f}".replace(".", ","),
                "limit": f"{max_bytes / 1024 / 1024:g}".replace(".", ","),
            },
            field=field,
        )
    if size == 0:
        raise DomainError(_("The file is empty."), field=field)
    upload.seek(0)
    head = upload.read(max(len(claimed.magic), SNIFF_BYTES if claimed.sniff else 0))
    upload.seek(0)
    if not head.startswith(claimed.magic) or (claimed.sniff and not claimed.sniff(head)):
        raise DomainError(
            _("The file's content is not a %(type)s, whatever its name says.")
            % {"type": claimed.label},
            field=field,
        )
    return claimed


def upload_storage_name(file_type: FileType) -> str:
    """A fresh random file name: nothing of the uploader's file name survives (the field's
    `upload_to` adds the folder)."""
    return f"{secrets.token_hex(16)}.{file_type.extension}"


def upload_store(field_file, upload, *, file_type: FileType) -> str:
    """Write a checked `upload` to the field's private storage under a random name; the row
    itself is not saved. Returns the stored name."""
    field_file.save(upload_storage_name(file_type), upload, save=False)
    return field_file.name


def upload_delete_after_commit(storage, name: str) -> None:
    """Delete a replaced or orphaned file once the transaction commits (never before: a
    rollback must leave the old row's file in place)."""
    if not name:
        return
    transaction.on_commit(lambda: storage.delete(name))


def upload_discard(storage, name: str) -> None:
    """Delete a file written for a row that will not be saved (the transaction failed)."""
    if name and storage.exists(name):
        storage.delete(name)
