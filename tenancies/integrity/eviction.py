"""Integrity checks of eviction prevention cases (see common.integrity)."""

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from common.integrity import Violation, integrity_check
from tenancies import legal_procedure
from tenancies.models import (
    EvictionCase,
    GraceUse,
)
from tenancies.models.eviction.case import REHOUSING_PLACEMENT_STATES
from tenancies.selectors.eviction import enrolled_once, eviction_rules

# The outcome each final state records (EvictionCase._close).
EVICTION_OUTCOME_OF = {
    EvictionCase.Status.CLOSED_PREVENTED: EvictionCase.Outcome.PREVENTED_SETTLEMENT,
    EvictionCase.Status.CURED: EvictionCase.Outcome.CURED_AT_HEARING,
    EvictionCase.Status.REHOUSED: EvictionCase.Outcome.REHOUSED,
    EvictionCase.Status.EVICTED: EvictionCase.Outcome.EVICTED,
    EvictionCase.Status.WITHDRAWN: EvictionCase.Outcome.WITHDRAWN,
    EvictionCase.Status.DISMISSED: EvictionCase.Outcome.DISMISSED,
}


@integrity_check(
    "eviction_one_open_case_per_lease",
    _("A lease has at most one open eviction prevention case; closed ones never count."),
)
def eviction_one_open_case_per_lease():
    crowded = (
        EvictionCase.objects.open()
        .values("lease_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values("lease_id")
    )
    cases = (
        EvictionCase.objects.open()
        .filter(lease_id__in=crowded)
        .select_related("lease__household", "lease__dwelling")
        .order_by("lease_id", "pk")
    )
    first_of_lease = {}
    for case in cases:
        first = first_of_lease.setdefault(case.lease_id, case)
        if first is not case:
            yield Violation(
                case,
                _("The lease already has open eviction case #%(first)s.") % {"first": first.pk},
            )


@integrity_check(
    "eviction_only_for_enrolled",
    _(
        "An eviction prevention case is only for a household the programme enrolled "
        "(enrolled now, or enrolled and since exited)."
    ),
)
def eviction_only_for_enrolled():
    cases = (
        EvictionCase.objects.exclude(enrolled_once("lease__household_id"))
        .select_related("lease__household", "lease__dwelling")
        .order_by("pk")
    )
    for case in cases:
        yield Violation(
            case,
            _("%(household)s was never enrolled in the programme.")
            % {"household": case.lease.household},
        )


@integrity_check(
    "eviction_closed_has_outcome",
    _("A closed eviction case has its closing date and the outcome its final state records."),
)
def eviction_closed_has_outcome():
    wrong = Q()
    for status, outcome in EVICTION_OUTCOME_OF.items():
        wrong |= Q(status=status) & ~Q(outcome=outcome)
    cases = (
        EvictionCase.objects.filter(status__in=EvictionCase.CLOSED)
        .filter(wrong | Q(closed_on__isnull=True))
        .select_related("lease__household", "lease__dwelling")
        .order_by("pk")
    )
    for case in cases:
        if case.outcome != EVICTION_OUTCOME_OF[case.status]:
            yield Violation(
                case,
                _("The case is “%(status)s” but records the outcome “%(outcome)s”.")
                % {
                    "status": case.get_status_display(),
                    "outcome": case.get_outcome_display() or "—",
                },
            )
        if case.closed_on is None:
            yield Violation(
                case,
                _("The case is “%(status)s” but has no closing date.")
                % {"status": case.get_status_display()},
            )


@integrity_check(
    "eviction_cure_counts_as_sanatoria",
    _(
        "A case cured at the hearing counts as a use of the sanatoria: a grace period granted "
        "or the arrears paid in full at the hearing (L. 392/1978 art. 55)."
    ),
)
def eviction_cure_counts_as_sanatoria():
    cases = (
        EvictionCase.objects.filter(status=EvictionCase.Status.CURED)
        .exclude(Exists(GraceUse.objects.filter(case_id=OuterRef("pk"))))
        .select_related("lease__household", "lease__dwelling")
        .order_by("pk")
    )
    for case in cases:
        yield Violation(
            case, _("The case was cured but no use of the sanatoria is recorded for it.")
        )


@integrity_check(
    "eviction_rehoused_in_own_placement",
    _(
        "A household rehoused is rehoused in one of its own placements, accepted or lived in "
        "when it was recorded."
    ),
)
def eviction_rehoused_in_own_placement():
    cases = (
        EvictionCase.objects.filter(status=EvictionCase.Status.REHOUSED)
        .filter(
            Q(rehousing_placement__isnull=True)
            | ~Q(rehousing_placement__household_id=F("lease__household_id"))
            | ~Q(rehousing_placement__status__in=(*REHOUSING_PLACEMENT_STATES, "ended"))
        )
        .select_related("lease__household", "lease__dwelling")
        .order_by("pk")
    )
    for case in cases:
        yield Violation(
            case,
            _("The case is closed as rehoused without a placement of %(household)s.")
            % {"household": case.lease.household},
        )


@integrity_check(
    "eviction_notice_after_precetto_and_release",
    _(
        "The notice of access comes after the precetto's term and not before the release date "
        "(c.p.c. artt. 480, 482, 608; L. 392/1978 art. 56)."
    ),
)
def eviction_notice_after_precetto_and_release():
    cases = (
        EvictionCase.objects.filter(
            access_notice_served_on__isnull=False, precetto_served_on__isnull=False
        )
        .select_related("lease__household", "lease__dwelling")
        .order_by("pk")
    )
    # Only cases in enforcement carry a notice: few rows, and each programme's own term.
    rules = {}
    for case in cases:
        if case.programme_id not in rules:
            rules[case.programme_id] = eviction_rules(programme_id=case.programme_id)
        earliest = legal_procedure.access_notice_earliest(
            precetto_served_on=case.precetto_served_on,
            execution_from=case.execution_from,
            rules=rules[case.programme_id],
        )
        if case.access_notice_served_on < earliest:
            yield Violation(
                case,
                _("The notice of access was served on %(notice)s, before %(earliest)s.")
                % {
                    "notice": date_format(case.access_notice_served_on, "SHORT_DATE_FORMAT"),
                    "earliest": date_format(earliest, "SHORT_DATE_FORMAT"),
                },
            )
