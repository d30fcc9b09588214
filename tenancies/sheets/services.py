"""Spreadsheet imports: upload, preview (a dry run rolled back), confirm (the same run, kept).

Every row goes through the service the pages use (tenancies.sheets.kinds), each in its own
savepoint, so one bad row is reported without hiding the others; the whole file runs in one
transaction, rolled back after a preview and after any error at confirm, so a file lands
whole or not at all. Rows are read one at a time and their outcomes spooled to a temporary
file, then stored a batch at a time: memory stays flat whatever the file's size.
"""

import json
import logging
import tempfile
from collections import Counter
from contextlib import closing
from datetime import timedelta

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from common import progress
from common.audit import audit_record
from common.exceptions import DomainError
from common.uploads import SPREADSHEET_TYPES, upload_check, upload_delete_after_commit, upload_store
from tenancies.models import ImportRow, ImportRun, Outcome
from tenancies.sheets.kinds import KINDS, CellError
from tenancies.sheets.reader import (
    MAX_ROWS,
    SheetFileError,
    blank,
    cell_problem,
    rows_estimate,
    sheet_rows,
)

log = logging.getLogger(__name__)

MAX_BYTES = 20 * 1024 * 1024
# Files up to this size are read while the page waits; larger ones in the task queue.
INLINE_BYTES = 200 * 1024
EXPIRY = timedelta(hours=24)
ERRORS_KEPT = 500
BATCH = 1000
PROGRESS = "imports"  # the folder of the imports' progress files


class _DryRun(Exception):
    """Raised to roll back a preview's writes."""


def row_label(number: int, column: str, problem: str) -> str:
    if column:
        return _("Row %(row)s, column “%(column)s”: %(problem)s") % {
            "row": number,
            "column": column,
            "problem": problem,
        }
    return _("Row %(row)s: %(problem)s") % {"row": number, "problem": problem}


def _start(run_id: int, *, small: bool, task) -> None:
    if small:
        transaction.on_commit(lambda: task.call(run_id=run_id))
    else:
        transaction.on_commit(lambda: task.enqueue(run_id=run_id))


def import_upload(*, actor, programme, kind: str, upload) -> ImportRun:
    """Store an uploaded CSV or XLSX file (type read from its content) and queue its preview;
    nothing of the programme's data changes. A small file is read before this returns."""
    from tenancies.sheets.tasks import import_preview_task

    if kind not in KINDS:
        raise DomainError(_("Choose what the file holds."), field="kind")
    file_type = upload_check(upload, types=SPREADSHEET_TYPES, max_bytes=MAX_BYTES)
    estimate = rows_estimate(upload)
    with transaction.atomic():
        run = ImportRun(
            programme=programme,
            kind=kind,
            file_name=str(upload.name)[:200],
            created_by=actor,
            rows_total=min(estimate, MAX_ROWS),
            expires_at=timezone.now() + EXPIRY,
        )
        upload_store(run.file, upload, file_type=file_type)
        run.full_clean()
        run.save()
        audit_record(
            actor=actor,
            programme=programme,
            target=run,
            verb="import_uploaded",
            data={"kind": kind, "rows": run.rows_total},
        )
        _start(run.pk, small=upload.size <= INLINE_BYTES, task=import_preview_task)
    return run


def import_confirm(*, actor, run: ImportRun) -> ImportRun:
    """Import a previewed file for real, whole or not at all; refused while it has row errors,
    once expired, or when every row is already as the file says."""
    from tenancies.sheets.tasks import import_apply_task

    with transaction.atomic():
        run = ImportRun.objects.select_for_update().get(pk=run.pk)
        if run.status != ImportRun.Status.PREVIEWED:
            raise DomainError(
                _("This import cannot be confirmed now: it is “%(state)s”.")
                % {"state": run.get_status_display()}
            )
        if run.expires_at <= timezone.now():
            raise DomainError(_("The preview has expired: upload the file again."))
        if run.error_count:
            raise DomainError(
                _(
                    "Correct the rows with errors and upload the file again: nothing is imported "
                    "while a row is wrong."
                )
            )
        counts = run.counts or {}
        if not counts.get(Outcome.CREATED) and not counts.get(Outcome.UPDATED):
            raise DomainError(_("Every row is already as the file says: nothing to import."))
        run.status = ImportRun.Status.CONFIRMED
        run.confirmed_by = actor
        run.save(update_fields=["status", "confirmed_by"])
        _start(run.pk, small=run.file.size <= INLINE_BYTES, task=import_apply_task)
    return run


def import_preview_execute(*, run_id: int) -> ImportRun:
    """Read a queued file and try every row without keeping anything. Safe to repeat."""
    return _claim_and_run(run_id, ImportRun.Status.QUEUED, ImportRun.Status.PREVIEWING, True)


def import_apply_execute(*, run_id: int) -> ImportRun:
    """Import a confirmed file for real, in one transaction. Safe to repeat."""
    return _claim_and_run(run_id, ImportRun.Status.CONFIRMED, ImportRun.Status.APPLYING, False)


def _claim_and_run(run_id, source, target, dry_run) -> ImportRun:
    claimed = ImportRun.objects.filter(pk=run_id, status=source).update(
        status=target, started_at=timezone.now()
    )
    run = ImportRun.objects.select_related("programme", "created_by", "confirmed_by").get(pk=run_id)
    if not claimed:
        return run
    with translation.override("it"):
        try:
            _execute(run, dry_run=dry_run)
        except SheetFileError as error:
            _finish_failed(run, error.message)
        except Exception:  # the page says it failed, instead of spinning for ever
            log.exception("Import %s failed", run_id)
            _finish_failed(run, _("The file could not be read to the end: nothing was imported."))
    progress.progress_clear(PROGRESS, run.pk)
    run.refresh_from_db()
    return run


def _finish_failed(run, message):
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportRun.Status.FAILED, error=message, finished_at=timezone.now()
    )


def _rows(kind, stream):
    """(row number, cells) of every data row, after finding the header in the first row."""
    with closing(sheet_rows(stream)) as rows:
        yield from _data_rows(kind, rows)


def _data_rows(kind, rows):
    header = next(rows, None)
    if header is None or blank(header):
        raise SheetFileError(_("The file is empty: the first row must hold the column names."))
    columns, missing = kind.header_map(header)
    if missing:
        raise SheetFileError(
            _(
                "The first row must name the columns; missing: %(columns)s. Download the template "
                "to see them."
            )
            % {"columns": ", ".join(f"“{name}”" for name in missing)}
        )
    for number, row in enumerate(rows, start=2):
        if number - 1 > MAX_ROWS:
            raise SheetFileError(
                _("The file has more than %(max)s rows: split it.") % {"max": MAX_ROWS}
            )
        if not blank(row):
            yield number, columns, row


def _cells(columns, row) -> tuple[dict, list]:
    values, problems = {}, []
    for index, column in columns.items():
        raw = row[index] if index < len(row) else ""
        problem = cell_problem(raw)
        if problem:
            problems.append((column.header, problem))
        elif str(raw).strip() == "":
            if column.required:
                problems.append((column.header, _("the cell is empty.")))
            else:
                values[column.field] = column.default
        else:
            try:
                values[column.field] = column.parse(raw)
            except CellError as error:
                problems.append((column.header, error.message))
    return values, problems


def _row_run(kind, *, run, actor, columns, row):
    values, problems = _cells(columns, row)
    if problems:
        return Outcome.ERROR, "", problems
    try:
        with transaction.atomic():
            outcome, key = kind.apply(actor=actor, programme=run.programme, values=values)
    except CellError as error:
        return Outcome.ERROR, "", [(error.column, error.message)]
    except DomainError as error:
        return Outcome.ERROR, "", [(kind.field_columns.get(error.field, ""), str(error.message))]
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            problems = [
                ("" if name == NON_FIELD_ERRORS else kind.field_columns.get(name, name), message)
                for name, messages in error.message_dict.items()
                for message in messages
            ]
        else:
            problems = [("", message) for message in error.messages]
        return Outcome.ERROR, "", problems
    return outcome, key, []


def _execute(run: ImportRun, *, dry_run: bool) -> None:
    kind = KINDS[run.kind]
    actor = run.created_by if dry_run else run.confirmed_by
    counts: Counter = Counter()
    errors: list[dict] = []
    tracker = progress.Tracker(PROGRESS, run.pk, total=run.rows_total)
    with tempfile.TemporaryFile("w+", encoding="utf-8") as spool:
        try:
            with run.file.open("rb") as stream, transaction.atomic():
                for number, columns, row in _rows(kind, stream):
                    outcome, key, problems = _row_run(
                        kind, run=run, actor=actor, columns=columns, row=row
                    )
                    counts[outcome] += 1
                    message = " ".join(row_label(number, c, p) for c, p in problems)
                    for column, problem in problems:
                        if len(errors) < ERRORS_KEPT:
                            errors.append({"row": number, "column": column, "message": problem})
                    spool.write(json.dumps([number, str(key)[:200], outcome, message]) + "\n")
                    tracker.step(errors=counts[Outcome.ERROR])
                if dry_run or counts[Outcome.ERROR]:
                    raise _DryRun
                audit_record(
                    actor=actor,
                    programme=run.programme,
                    target=run,
                    verb="import_confirmed",
                    data={"kind": run.kind, **counts},
                )
                landed = True
        except _DryRun:
            landed = False
        spool.seek(0)
        _rows_store(run, spool, replace=not dry_run)
    if dry_run:
        status = ImportRun.Status.PREVIEWED
        error = ""
    elif landed:
        status, error = ImportRun.Status.DONE, ""
    else:
        status = ImportRun.Status.FAILED
        error = _(
            "Some rows were refused at confirmation (the data changed since the preview): "
            "nothing was imported."
        )
    ImportRun.objects.filter(pk=run.pk).update(
        status=status,
        counts=dict(counts),
        errors=errors,
        error=error,
        rows_total=sum(counts.values()),
        finished_at=timezone.now(),
    )


def _rows_store(run, spool, *, replace: bool) -> None:
    with transaction.atomic():
        if replace:
            ImportRow.objects.filter(run=run).delete()
        batch = []
        for line in spool:
            number, key, outcome, message = json.loads(line)
            batch.append(
                ImportRow(run=run, number=number, key=key, outcome=outcome, message=message)
            )
            if len(batch) >= BATCH:
                ImportRow.objects.bulk_create(batch)
                batch = []
        ImportRow.objects.bulk_create(batch)


def imports_expire(*, now=None) -> int:
    """Forget what expired imports read (file and rows: they hold personal data); an import
    done keeps its counts. Returns how many expired."""
    now = now or timezone.now()
    expired = 0
    stale = ImportRun.objects.filter(expires_at__lte=now).exclude(
        status__in=(*ImportRun.RUNNING, ImportRun.Status.CONFIRMED, ImportRun.Status.EXPIRED)
    )
    for run_id in stale.values_list("pk", flat=True).iterator():
        with transaction.atomic():
            run = ImportRun.objects.select_for_update().get(pk=run_id)
            if run.file:
                upload_delete_after_commit(run.file.storage, run.file.name)
            ImportRow.objects.filter(run=run).delete()
            fields = {"file": "", "errors": []}
            if run.status != ImportRun.Status.DONE:
                fields["status"] = ImportRun.Status.EXPIRED
            ImportRun.objects.filter(pk=run.pk).update(**fields)
            expired += 1
    return expired
