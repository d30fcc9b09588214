"""Which lease a bank credit pays, and why: the rules an operator would apply by eye.

In order of strength, the first rule that finds a lease decides:
1. a member's **codice fiscale** written in the line (households are asked to quote it);
2. the payer's **IBAN**, already confirmed for a lease on an earlier statement;
3. the **amount** is the lease's monthly rent plus charges and a member's **surname** is in the
   payer's name or the description.
One lease found: matched, to be confirmed. More than one: ambiguous. None: the line waits for an
operator. Debits are never rent.

The lookups are built once per statement (three queries), so matching 100,000 lines costs
the same queries as matching ten.
"""

import re
from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _

from tenancies.models import Lease, Member, StatementLine

CODICE_FISCALE = re.compile(
    r"\b[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]\b"
)
WORD = re.compile(r"[A-ZÀ-Ý']+")


@dataclass
class Lookups:
    lease_by_tax_code: dict[str, set[int]]
    lease_by_iban: dict[str, set[int]]
    leases_by_amount: dict[str, list[tuple[int, frozenset[str]]]]


def lookups_build(programme) -> Lookups:
    active = Lease.objects.in_programme(programme).active()
    by_tax_code = defaultdict(set)
    surnames = defaultdict(set)
    for household_id, tax_code, surname in Member.objects.filter(
        household__leases__in=active
    ).values_list("household_id", "codice_fiscale", "last_name"):
        if tax_code:
            by_tax_code[household_id].add(tax_code.upper())
        surnames[household_id].update(WORD.findall(surname.upper()))
    lease_by_tax_code = defaultdict(set)
    by_amount = defaultdict(list)
    for lease_id, household_id, rent, charges in active.values_list(
        "pk", "household_id", "rent", "service_charges"
    ):
        for tax_code in by_tax_code[household_id]:
            lease_by_tax_code[tax_code].add(lease_id)
        by_amount[str(rent + charges)].append((lease_id, frozenset(surnames[household_id])))
    lease_by_iban = defaultdict(set)
    for iban, lease_id in (
        StatementLine.objects.filter(
            programme=programme,
            status=StatementLine.Status.BOOKED,
            lease__in=active,
        )
        .exclude(counterparty_iban="")
        .values_list("counterparty_iban", "lease_id")
        .distinct()
    ):
        lease_by_iban[iban].add(lease_id)
    return Lookups(dict(lease_by_tax_code), dict(lease_by_iban), dict(by_amount))


def line_match(line: StatementLine, lookups: Lookups) -> None:
    """Set the line's status, lease and reason from the lookups (the line is not saved)."""
    line.lease_id = None
    if line.amount.amount <= 0:
        line.status = StatementLine.Status.IGNORED
        line.match_reason = _("A debit: not a rent payment.")
        return
    text = f"{line.description} {line.counterparty}".upper()
    for candidates, reason in _rules(line, text, lookups):
        if len(candidates) == 1:
            line.status = StatementLine.Status.MATCHED
            line.lease_id = next(iter(candidates))
            line.match_reason = reason
            return
        if candidates:
            line.status = StatementLine.Status.AMBIGUOUS
            line.match_reason = _("%(reason)s, but %(count)s leases fit.") % {
                "reason": reason,
                "count": len(candidates),
            }
            return
    line.status = StatementLine.Status.UNMATCHED
    line.match_reason = _("No codice fiscale, known IBAN or rent amount with the surname.")


def _rules(line, text, lookups):
    tax_codes = set(CODICE_FISCALE.findall(text))
    found = set().union(*(lookups.lease_by_tax_code.get(code, set()) for code in tax_codes))
    yield found, _("A member's codice fiscale is in the line")
    if line.counterparty_iban:
        yield (
            lookups.lease_by_iban.get(line.counterparty_iban, set()),
            _("The payer's IBAN paid this lease before"),
        )
    words = set(WORD.findall(text))
    yield (
        {
            lease_id
            for lease_id, surnames in lookups.leases_by_amount.get(str(line.amount.amount), [])
            if surnames & words
        },
        _("The monthly rent and charges, from a member's surname"),
    )
