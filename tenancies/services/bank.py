"""Bank statements in: upload (read, match, store, book nothing), match by hand, confirm (book).

Nothing reaches the rent ledger until an operator confirms: then every matched line is booked
through `payment_record`, all of them or none.
"""

import hashlib
import itertools

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.audit import audit_record
from common.exceptions import DomainError
from tenancies.bank.matching import line_match, lookups_build
from tenancies.bank.statement_files import StatementFileError, statement_lines
from tenancies.models import BankStatement, Lease, Payment, StatementLine
from tenancies.services.payments import payment_record

BATCH = 1000


def statement_upload(
    *, actor, programme, account: str, file_name: str, content: bytes, progress=None
):
    """Read a statement file, match its new lines and store them; returns (statement, counts).

    Lines already imported (by any earlier file) are skipped, so uploading the same statement
    twice, or two overlapping periods, never makes a line twice. The file lands whole or not
    at all: one unreadable line refuses it, naming the row and the column, and rolls back
    what was stored meanwhile. Lines are read, matched and stored a batch at a time, so
    memory stays flat however long the statement. `progress(done, estimate)` is called after
    each batch.
    """
    digest = hashlib.sha256(content).hexdigest()
    estimate = max(content.count(b"\n"), 1)  # for the progress display only
    counts = dict.fromkeys(StatementLine.Status.values, 0)
    counts["skipped"] = 0
    try:
        with transaction.atomic():
            earlier = (
                BankStatement.objects.in_programme(programme).filter(file_sha256=digest).first()
            )
            if earlier:
                raise DomainError(
                    _("This file was already imported on %(date)s: nothing to add.")
                    % {"date": timezone.localtime(earlier.uploaded_at).strftime("%d/%m/%Y")},
                    field="file",
                )
            statement = BankStatement.objects.create(
                programme=programme,
                account=account,
                file_name=file_name[:200],
                file_sha256=digest,
                uploaded_by=actor,
            )
            lookups = lookups_build(programme)
            lines = statement_lines(content)
            while chunk := list(itertools.islice(lines, BATCH)):
                known = set(
                    StatementLine.objects.filter(
                        programme=programme, identity__in=[line.identity for line in chunk]
                    ).values_list("identity", flat=True)
                )
                fresh = []
                for parsed in chunk:
                    if parsed.identity in known:
                        counts["skipped"] += 1
                        continue
                    line = _line_new(parsed, statement)
                    line_match(line, lookups)
                    counts[line.status] += 1
                    fresh.append(line)
                StatementLine.objects.bulk_create(fresh)
                if progress:
                    progress(counts_total(counts) + counts["skipped"], estimate)
            if not counts_total(counts):
                raise DomainError(
                    _("Every line of this statement is already imported: nothing to add."),
                    field="file",
                )
            audit_record(
                actor=actor,
                programme=programme,
                target=statement,
                verb="uploaded",
                data={"lines": counts_total(counts), **counts},
            )
    except StatementFileError as error:
        raise DomainError(str(error), field="file") from error
    return statement, counts


def _line_new(parsed, statement) -> StatementLine:
    return StatementLine(
        programme_id=statement.programme_id,
        statement=statement,
        row=parsed.row,
        identity=parsed.identity,
        booked_on=parsed.booked_on,
        value_on=parsed.value_on,
        amount=parsed.amount,
        description=parsed.description,
        counterparty=parsed.counterparty,
        counterparty_iban=parsed.counterparty_iban[:40],
        bank_reference=parsed.bank_reference[:80],
    )


def counts_total(counts) -> int:
    return sum(counts[status] for status in StatementLine.Status.values)


def _line_locked(line: StatementLine) -> StatementLine:
    locked = StatementLine.objects.select_for_update().get(pk=line.pk)
    if locked.status == StatementLine.Status.BOOKED:
        raise DomainError(_("This line is already booked."))
    return locked


def statement_line_match(*, actor, line: StatementLine, lease: Lease) -> StatementLine:
    """An operator says which lease a credit pays."""
    with transaction.atomic():
        line = _line_locked(line)
        if not line.is_credit:
            raise DomainError(_("A debit cannot pay a lease."))
        lease = Lease.objects.get(pk=lease.pk)
        if lease.programme_id != line.programme_id or lease.status != Lease.Status.ACTIVE:
            raise DomainError(_("Choose an active lease of the programme."), field="lease")
        line.lease = lease
        line.status = StatementLine.Status.MATCHED
        line.match_reason = _("Matched by hand by %(user)s") % {
            "user": actor.get_full_name() or actor.get_username()
        }
        line.save(update_fields=["lease", "status", "match_reason"])
        audit_record(
            actor=actor,
            programme=line.statement.programme,
            target=line.statement,
            verb="line_matched",
            data={"row": line.row, "lease": lease.pk},
        )
    return line


def statement_line_ignore(*, actor, line: StatementLine) -> StatementLine:
    """Not a rent payment (a grant, a refund…): it leaves the queue and is never booked."""
    with transaction.atomic():
        line = _line_locked(line)
        line.lease = None
        line.status = StatementLine.Status.IGNORED
        line.match_reason = _("Set aside by %(user)s") % {
            "user": actor.get_full_name() or actor.get_username()
        }
        line.save(update_fields=["lease", "status", "match_reason"])
        audit_record(
            actor=actor,
            programme=line.statement.programme,
            target=line.statement,
            verb="line_ignored",
            data={"row": line.row},
        )
    return line


def statement_confirm(*, actor, statement: BankStatement) -> int:
    """Book every matched line of the statement as a payment of its lease; returns how many.

    All or nothing: if one line cannot be booked (the lease ended, say), nothing is, and the
    refusal names the row. A transfer already typed by hand with the same bank reference is
    linked to that payment instead of being booked twice.
    """
    with transaction.atomic():
        statement = BankStatement.objects.select_for_update().get(pk=statement.pk)
        lines = list(
            statement.lines.filter(status=StatementLine.Status.MATCHED)
            .select_related("lease")
            .order_by("booked_on", "row")
        )
        if not lines:
            raise DomainError(_("No matched line is waiting to be booked."))
        booked = 0
        for line in lines:
            reference = line.bank_reference or f"EC-{line.pk}"
            payment = Payment.objects.filter(
                programme_id=statement.programme_id, bank_reference=reference
            ).first()
            if payment is None:
                try:
                    payment = payment_record(
                        actor=actor,
                        lease=line.lease,
                        amount=line.amount,
                        paid_on=line.value_on or line.booked_on,
                        method=Payment.Method.BANK_TRANSFER,
                        payer=Payment.Payer.HOUSEHOLD,
                        bank_reference=reference,
                        note=line.description[:250],
                    )
                except DomainError as error:
                    raise DomainError(
                        _("Row %(row)s: %(message)s") % {"row": line.row, "message": error.message}
                    ) from error
                booked += 1
            line.payment = payment
            line.status = StatementLine.Status.BOOKED
            line.save(update_fields=["payment", "status"])
        statement.confirmed_at = timezone.now()
        statement.save(update_fields=["confirmed_at"])
        audit_record(
            actor=actor,
            programme=statement.programme,
            target=statement,
            verb="confirmed",
            data={"booked": booked, "lines": len(lines)},
        )
    return booked


def statement_counts_message(counts) -> str:
    return ngettext(
        "%(new)s new line: %(matched)s matched, %(waiting)s to match by hand, %(ignored)s "
        "not rent; %(skipped)s already imported.",
        "%(new)s new lines: %(matched)s matched, %(waiting)s to match by hand, %(ignored)s "
        "not rent; %(skipped)s already imported.",
        counts_total(counts),
    ) % {
        "new": counts_total(counts),
        "matched": counts[StatementLine.Status.MATCHED],
        "waiting": counts[StatementLine.Status.UNMATCHED] + counts[StatementLine.Status.AMBIGUOUS],
        "ignored": counts[StatementLine.Status.IGNORED],
        "skipped": counts["skipped"],
    }
