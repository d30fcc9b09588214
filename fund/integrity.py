"""The fund's invariants, as named checks over the whole database (see common.integrity).

The services enforce each rule under lock; these find what got in anyway (an import, a data
migration, a bug). Each check reads a bounded number of queries, whatever the data's size.
"""

from collections import defaultdict
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.integrity import Violation, integrity_check
from common.money import money_format
from fund.models import (
    AccountCode,
    Claim,
    ClaimLetter,
    ClaimMonth,
    Contribution,
    ContributionProposal,
    Entry,
    Fund,
    Guarantee,
    GuaranteeCertificate,
    PayoutBatch,
    ReconciliationPeriod,
)
from fund.models.contribution_proposals import contribution_four_eyes_threshold
from fund.selectors.figures import fund_figures_reconcile
from fund.selectors.reconciliation import reconciliation_differences
from housing.models import LandlordAgreement, PayeeChange
from tenancies.models import Enrollment, Payment
from tenancies.services.payments import FUND_REFERENCE_PREFIX

ZERO = Decimal("0.00")


def _approval_day(guarantee):
    moment = guarantee.approved_at or guarantee.created_at
    return timezone.localdate(moment) if moment else timezone.localdate()


def _agreement_covers(agreement, lease, day) -> bool:
    return (
        agreement.valid_from is not None
        and agreement.valid_from <= day
        and (agreement.valid_until is None or agreement.valid_until >= day)
        and agreement.accepts_lease_type(lease.lease_type)
        and lease.rent <= agreement.max_monthly_rent
    )


@integrity_check(
    "guarantee_only_for_enrolled_and_compliant",
    _(
        "An approved or active guarantee is for an enrolled household, on a lease its landlord's "
        "agreement accepted when the guarantee was approved."
    ),
)
def guarantee_only_for_enrolled_and_compliant():
    guarantees = list(
        Guarantee.objects.filter(status__in=Guarantee.IN_FORCE)
        .select_related("lease__household", "lease__landlord")
        .order_by("pk")
    )
    households = {g.lease.household_id for g in guarantees}
    landlords = {g.lease.landlord_id for g in guarantees}
    enrolled_on = defaultdict(list)
    for enrollment in Enrollment.objects.filter(
        household_id__in=households,
        status__in=[Enrollment.Status.ENROLLED, Enrollment.Status.EXITED],
        enrolled_on__isnull=False,
    ):
        enrolled_on[enrollment.household_id].append(enrollment)
    agreements = defaultdict(list)
    for agreement in LandlordAgreement.objects.filter(landlord_id__in=landlords).exclude(
        status=LandlordAgreement.Status.DRAFT
    ):
        agreements[agreement.landlord_id].append(agreement)
    for guarantee in guarantees:
        lease, day = guarantee.lease, _approval_day(guarantee)
        if not any(
            e.enrolled_on <= day and (e.exited_on is None or e.exited_on >= day)
            for e in enrolled_on[lease.household_id]
        ):
            yield Violation(
                guarantee,
                _("%(household)s was not enrolled when the guarantee was approved.")
                % {"household": lease.household},
            )
        if not any(_agreement_covers(a, lease, day) for a in agreements[lease.landlord_id]):
            yield Violation(
                guarantee,
                _("No agreement of %(landlord)s accepted this lease when it was approved.")
                % {"landlord": lease.landlord},
            )


@integrity_check(
    "claim_months_due_and_unpaid",
    _(
        "Each claimed month was due on or before the claim was submitted, and the fund pays a "
        "rent month at most once."
    ),
)
def claim_months_due_and_unpaid():
    months = (
        ClaimMonth.objects.exclude(claim__status=Claim.Status.REJECTED)
        .select_related("claim", "due")
        .order_by("claim_id", "due__month")
    )
    for month in months:
        submitted_on = timezone.localdate(month.claim.submitted_at)
        if month.due.due_date > submitted_on:
            yield Violation(
                month.claim,
                _("The month %(month)s was claimed before it was due (%(due)s).")
                % {"month": f"{month.due.month:%m/%Y}", "due": f"{month.due.due_date:%d/%m/%Y}"},
            )
    paid_twice = (
        ClaimMonth.objects.filter(claim__status=Claim.Status.PAID)
        .values("due_id")
        .annotate(claims=Count("claim_id", distinct=True))
        .filter(claims__gt=1)
        .values_list("due_id", flat=True)
    )
    repeated = (
        ClaimMonth.objects.filter(claim__status=Claim.Status.PAID, due_id__in=list(paid_twice))
        .select_related("claim", "due")
        .order_by("due_id", "claim_id")
    )
    seen = set()
    for month in repeated:
        if month.due_id in seen:
            yield Violation(
                month.claim,
                _("The fund paid the month %(month)s in more than one claim.")
                % {"month": f"{month.due.month:%m/%Y}"},
            )
        seen.add(month.due_id)


@integrity_check(
    "claim_within_cover",
    _("Paid and pending claims on a guarantee never exceed its amount."),
)
def claim_within_cover():
    totals = (
        Claim.objects.exclude(status=Claim.Status.REJECTED)
        .values("guarantee_id")
        .annotate(total=Sum("amount"))
    )
    over = {row["guarantee_id"]: row["total"] for row in totals}
    for guarantee in Guarantee.objects.filter(pk__in=list(over)).order_by("pk"):
        claimed = over[guarantee.pk] or ZERO
        if claimed > guarantee.amount.amount:
            yield Violation(
                guarantee,
                _("Claims of %(claimed)s € against a cover of %(amount)s.")
                % {"claimed": claimed, "amount": guarantee.amount},
            )


@integrity_check(
    "claim_documents_request_stated",
    _("A claim awaiting documents says which ones the fund asked for, and when."),
)
def claim_documents_request_stated():
    waiting = Claim.objects.filter(status=Claim.Status.DOCUMENTS_REQUESTED).filter(
        Q(documents_request="") | Q(documents_requested_at=None)
    )
    for claim in waiting.order_by("pk"):
        yield Violation(claim, _("Documents were requested without saying which ones."))


@integrity_check(
    "guarantee_exposure_matches_ledger",
    _(
        "The exposure the ledger reserves for each guarantee is its amount less paid claims while "
        "it is approved or active, and nothing once it is requested or closed."
    ),
)
def guarantee_exposure_matches_ledger():
    reserved = dict(
        Entry.objects.filter(
            account__code=AccountCode.GUARANTEES_ISSUED,
            transaction__reference_type=ContentType.objects.get_for_model(Guarantee),
        )
        .values_list("transaction__reference_id")
        .annotate(total=Sum("amount"))
        .values_list("transaction__reference_id", "total")
    )
    paid = dict(
        Claim.objects.filter(status=Claim.Status.PAID)
        .values("guarantee_id")
        .annotate(total=Sum("amount"))
        .values_list("guarantee_id", "total")
    )
    for guarantee in Guarantee.objects.order_by("pk"):
        in_ledger = reserved.get(str(guarantee.pk)) or ZERO
        if guarantee.status in Guarantee.IN_FORCE:
            expected = guarantee.amount.amount - (paid.get(guarantee.pk) or ZERO)
        else:
            expected = ZERO
        if in_ledger.quantize(ZERO) != expected.quantize(ZERO):
            yield Violation(
                guarantee,
                _("The ledger reserves %(ledger)s € for it, the guarantee says %(expected)s €.")
                % {"ledger": in_ledger.quantize(ZERO), "expected": expected.quantize(ZERO)},
            )


@integrity_check(
    "one_guarantee_per_unit_in_force",
    _("A flat has at most one guarantee approved or active at a time."),
)
def one_guarantee_per_unit_in_force():
    shared = (
        Guarantee.objects.filter(status__in=Guarantee.IN_FORCE)
        .values("lease__dwelling_id")
        .annotate(count=Count("pk"))
        .filter(count__gt=1)
        .values_list("lease__dwelling_id", flat=True)
    )
    guarantees = (
        Guarantee.objects.filter(status__in=Guarantee.IN_FORCE, lease__dwelling_id__in=list(shared))
        .select_related("lease__dwelling")
        .order_by("lease__dwelling_id", "pk")
    )
    first_of = {}
    for guarantee in guarantees:
        dwelling_id = guarantee.lease.dwelling_id
        if dwelling_id in first_of:
            yield Violation(
                guarantee,
                _("%(dwelling)s already has guarantee #%(other)s in force.")
                % {"dwelling": guarantee.lease.dwelling, "other": first_of[dwelling_id]},
            )
        else:
            first_of[dwelling_id] = guarantee.pk


@integrity_check(
    "fund_figures_match_ledger",
    _("Every figure of the fund dashboard equals the sum of the ledger entries it stands for."),
)
def fund_figures_match_ledger():
    for fund in Fund.objects.select_related("programme").order_by("pk"):
        for check in fund_figures_reconcile(fund=fund):
            if not check.ok:
                yield Violation(
                    fund,
                    _("“%(figure)s” shows %(shown)s but the ledger says %(ledger)s.")
                    % {
                        "figure": check.name,
                        "shown": money_format(check.shown),
                        "ledger": money_format(check.ledger),
                    },
                )


@integrity_check(
    "fund_payments_come_from_claims",
    _(
        "Every guarantee fund payment on a lease (by method, payer or the fund's reference "
        "prefix) is the payout of a paid claim, for its amount and with its reference."
    ),
)
def fund_payments_come_from_claims():
    payments = (
        Payment.objects.filter(
            Q(method=Payment.Method.FUND_PAYOUT)
            | Q(payer=Payment.Payer.FUND)
            | Q(bank_reference__istartswith=FUND_REFERENCE_PREFIX)
        )
        .select_related("fund_claim")
        .order_by("pk")
    )
    for payment in payments:
        claim = getattr(payment, "fund_claim", None)
        if claim is None or claim.status != Claim.Status.PAID:
            yield Violation(payment, _("A guarantee fund payment that no paid claim made."))
        elif (
            payment.method != Payment.Method.FUND_PAYOUT
            or payment.payer != Payment.Payer.FUND
            or payment.amount != claim.amount
            or payment.bank_reference != claim.payout_reference
        ):
            yield Violation(
                payment,
                _("Does not match claim #%(number)s it pays (method, payer, amount or reference).")
                % {"number": claim.pk},
            )


@integrity_check(
    "contribution_large_has_second_approval",
    _(
        "A contribution above the four-eyes threshold was posted only after a second fund "
        "administrator approved it."
    ),
)
def contribution_large_has_second_approval():
    threshold = contribution_four_eyes_threshold()
    approved = ContributionProposal.objects.filter(
        contribution_id=OuterRef("pk"), status=ContributionProposal.Status.APPROVED
    ).exclude(decided_by_id=F("proposed_by_id"))
    contributions = (
        Contribution.objects.filter(amount__gt=threshold.amount)
        .exclude(Exists(approved))
        .order_by("pk")
    )
    for contribution in contributions:
        yield Violation(
            contribution,
            _("%(amount)s posted without a second administrator's approval (threshold %(limit)s).")
            % {"amount": money_format(contribution.amount), "limit": money_format(threshold)},
        )


@integrity_check(
    "claim_paid_to_approved_iban",
    _("A claim is paid only to an IBAN of the landlord that a second person approved."),
)
def claim_paid_to_approved_iban():
    claims = (
        Claim.objects.filter(status=Claim.Status.PAID)
        .exclude(payee_iban="")
        .select_related("guarantee__lease__landlord")
        .order_by("pk")
    )
    claims = list(claims)
    landlords = {c.guarantee.lease.landlord_id for c in claims}
    known = defaultdict(set)
    for landlord_id, iban, before in PayeeChange.objects.filter(
        landlord_id__in=landlords, status=PayeeChange.Status.APPROVED
    ).values_list("landlord_id", "iban", "iban_before"):
        known[landlord_id] |= {iban, before}
    for claim in claims:
        landlord = claim.guarantee.lease.landlord
        if claim.payee_iban != landlord.iban and claim.payee_iban not in known[landlord.pk]:
            yield Violation(
                claim,
                _("Paid to %(iban)s, an IBAN of %(landlord)s nobody approved.")
                % {"iban": claim.payee_iban, "landlord": landlord},
            )


@integrity_check(
    "active_guarantee_has_certificate",
    _(
        "An active guarantee has one certificate in use (issued when it became active), and the "
        "certificate states the guarantee's own amount."
    ),
)
def active_guarantee_has_certificate():
    active = Guarantee.objects.filter(status=Guarantee.Status.ACTIVE)
    stated = dict(
        GuaranteeCertificate.objects.current()
        .filter(guarantee__in=active)
        .values_list("guarantee_id", "facts__amount")
    )
    for guarantee in active.order_by("pk"):
        if guarantee.pk not in stated:
            yield Violation(guarantee, _("Active, but no certificate is in use."))
        elif Decimal(str(stated[guarantee.pk])) != guarantee.amount.amount:
            yield Violation(
                guarantee,
                _("The certificate in use states %(stated)s, the guarantee is for %(amount)s.")
                % {
                    "stated": money_format(Decimal(str(stated[guarantee.pk]))),
                    "amount": money_format(guarantee.amount),
                },
            )


@integrity_check(
    "payout_confirmed_by_statement",
    _(
        "A paid claim was confirmed by a debit of the fund's bank statement, and that line "
        "stands for the claim's payout transaction in the ledger."
    ),
)
def payout_confirmed_by_statement():
    claims = (
        Claim.objects.filter(status=Claim.Status.PAID)
        .select_related("statement_line")
        .order_by("pk")
    )
    for claim in claims:
        line = getattr(claim, "statement_line", None)
        if line is None:
            yield Violation(claim, _("Paid with no line of the fund's bank statement."))
        elif claim.payout_transaction_id is None or line.transaction_id != (
            claim.payout_transaction_id
        ):
            yield Violation(claim, _("Its statement line is not its payout transaction."))
        elif line.amount.amount != -claim.amount.amount:
            yield Violation(claim, _("Its statement line is not of the claimed amount."))


@integrity_check(
    "reconciliation_closed_without_differences",
    _("A closed reconciliation period has no difference between the ledger and the statement."),
)
def reconciliation_closed_without_differences():
    periods = ReconciliationPeriod.objects.filter(status=ReconciliationPeriod.Status.CLOSED)
    for period in periods.order_by("pk"):
        differences = reconciliation_differences(period=period)
        if differences:
            yield Violation(
                period,
                _("%(count)s differences between the ledger and the statement.")
                % {"count": len(differences)},
            )


@integrity_check(
    "payout_sent_in_a_batch",
    _(
        "A payout sent to the bank is in a SEPA file still with the bank, with its end-to-end id "
        "and the landlord's IBAN."
    ),
)
def payout_sent_in_a_batch():
    claims = (
        Claim.objects.filter(status=Claim.Status.SENT).select_related("payout_batch").order_by("pk")
    )
    for claim in claims:
        batch = claim.payout_batch
        if batch is None or batch.status != PayoutBatch.Status.SENT:
            yield Violation(claim, _("Sent, but in no SEPA file still with the bank."))
        elif not claim.payout_reference or not claim.payee_iban:
            yield Violation(claim, _("Sent without its end-to-end id or the payee's IBAN."))


@integrity_check(
    "claim_decision_has_letter",
    _(
        "An approved, sent, paid or rejected claim has one decision letter in use with its "
        "outcome, and a claim sent to the bank or paid has one payout order in use."
    ),
)
def claim_decision_has_letter():
    decided = Claim.objects.filter(
        status__in=[
            Claim.Status.APPROVED,
            Claim.Status.SENT,
            Claim.Status.PAID,
            Claim.Status.REJECTED,
        ]
    )
    current = ClaimLetter.objects.current().filter(claim__in=decided)
    outcomes = dict(current.decisions().values_list("claim_id", "outcome"))
    ordered = set(current.payout_orders().values_list("claim_id", flat=True))
    for claim in decided.order_by("pk"):
        expected = "rejected" if claim.status == Claim.Status.REJECTED else "approved"
        if claim.pk not in outcomes:
            yield Violation(claim, _("Decided, but no decision letter is in use."))
        elif outcomes[claim.pk] != expected:
            yield Violation(claim, _("The decision letter in use states another outcome."))
        if claim.status in (Claim.Status.SENT, Claim.Status.PAID) and claim.pk not in ordered:
            yield Violation(claim, _("Sent to the bank, but no payout order is in use."))


@integrity_check(
    "claim_letter_file_matches",
    _("Every letter issued on a claim has its PDF in storage, unchanged since it was issued."),
)
def claim_letter_file_matches():
    import hashlib

    for letter in ClaimLetter.objects.select_related("claim").order_by("pk").iterator():
        try:
            with letter.file.open("rb") as handle:
                digest = hashlib.sha256(handle.read()).hexdigest()
        except (FileNotFoundError, ValueError):
            yield Violation(
                letter.claim,
                _("The PDF of letter %(reference)s is missing.") % {"reference": letter.reference},
            )
            continue
        if digest != letter.sha256:
            yield Violation(
                letter.claim,
                _("The PDF of letter %(reference)s changed since it was issued.")
                % {"reference": letter.reference},
            )
