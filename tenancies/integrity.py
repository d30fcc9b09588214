"""The tenancies invariants, as named checks over the whole database (see common.integrity)."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.integrity import Violation, integrity_check
from common.models import AuditEvent
from tenancies import legal_procedure
from tenancies.models import (
    ArrearsCase,
    Enrollment,
    EvictionCase,
    GraceUse,
    Lease,
    Placement,
    SupportPact,
)
from tenancies.models.eviction.case import REHOUSING_PLACEMENT_STATES
from tenancies.selectors.eviction import enrolled_once, eviction_rules

# -- leases, placements and arrears -------------------------------------------------------------

# States in which a lease holds (or held) its unit for its period.
LEASE_IN_FORCE_STATES = Lease.IN_FORCE_STATES


def leases_in_force():
    """Leases that hold their unit, with `last_day` the end of that hold."""
    return Lease.objects.in_force()


@integrity_check(
    "lease_one_in_force_per_unit",
    _("A flat or cohousing place is in at most one lease in force on any date."),
)
def lease_one_in_force_per_unit():
    # The same unit: the same dwelling and place, or either lease has no placement (a lease
    # recorded before leases followed placements holds the whole dwelling).
    def with_place():
        return leases_in_force().annotate(place=F("placement__place_number"))

    earlier_on_dwelling = with_place().filter(
        dwelling_id=OuterRef("dwelling_id"),
        pk__lt=OuterRef("pk"),
        start_date__lte=OuterRef("last_day"),
        last_day__gte=OuterRef("start_date"),
    )
    clashes = (
        with_place()
        .filter(
            Exists(earlier_on_dwelling.filter(place=OuterRef("place")))
            | Exists(earlier_on_dwelling.filter(place__isnull=True))
            | (Q(place__isnull=True) & Exists(earlier_on_dwelling))
        )
        .select_related("household", "dwelling", "placement__dwelling")
        .order_by("pk")
    )
    for lease in clashes:
        yield Violation(
            lease,
            _("Another lease holds %(unit)s during this lease's period.")
            % {"unit": lease.unit_label},
        )


@integrity_check(
    "lease_follows_placement",
    _("A lease follows its household's accepted or active placement in the same unit."),
)
def lease_follows_placement():
    leases = (
        Lease.objects.exclude(status=Lease.Status.WITHDRAWN)
        .filter(
            Q(placement__isnull=True)
            | ~Q(placement__household_id=F("household_id"))
            | ~Q(placement__dwelling_id=F("dwelling_id"))
            | Q(placement__status__in=[Placement.Status.PROPOSED, Placement.Status.DECLINED])
        )
        .select_related("household", "dwelling", "placement")
        .order_by("pk")
    )
    for lease in leases:
        if lease.placement is None:
            message = _("The lease follows no placement of %(household)s in %(dwelling)s.")
        elif lease.placement.household_id != lease.household_id:
            message = _("The lease follows another household's placement.")
        elif lease.placement.dwelling_id != lease.dwelling_id:
            message = _("The lease is for %(dwelling)s but its placement is in another dwelling.")
        else:
            message = _("The lease follows a placement that was never accepted.")
        yield Violation(lease, message % {"household": lease.household, "dwelling": lease.dwelling})


@integrity_check(
    "lease_household_enrolled",
    _("A lease in force is for a household the programme enrolled."),
)
def lease_household_enrolled():
    ever_enrolled = Enrollment.objects.filter(
        household_id=OuterRef("household_id"), enrolled_on__isnull=False
    )
    leases = (
        leases_in_force()
        .filter(~Exists(ever_enrolled))
        .select_related("household", "dwelling", "placement__dwelling")
        .order_by("pk")
    )
    for lease in leases:
        yield Violation(
            lease,
            _("%(household)s was never enrolled, yet holds this lease.")
            % {"household": lease.household},
        )


@integrity_check(
    "arrears_one_open_case_per_lease",
    _("A lease has at most one open arrears case (cured and escalated cases are closed)."),
)
def arrears_one_open_case_per_lease():
    leases = (
        Lease.objects.annotate(
            open_cases=Count(
                "arrears_cases", filter=~Q(arrears_cases__status__in=ArrearsCase.FINAL_STATES)
            )
        )
        .filter(open_cases__gt=1)
        .select_related("household", "dwelling", "placement__dwelling")
        .order_by("pk")
    )
    for lease in leases:
        yield Violation(
            lease,
            _("%(count)s arrears cases are open on this lease at once.")
            % {"count": lease.open_cases},
        )


# -- end of leases, placements and arrears ------------------------------------------------------


# --- Eviction prevention (EvictionCase) ---------------------------------------------------------


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


# --- Households: enrolment and support pacts ------------------------------------------------


def enrollments_open():
    """Enrolments that may still move: every active state, and an ineligible one no newer
    enrolment replaced (it may still be overridden or assessed again)."""
    newer = Enrollment.objects.filter(household_id=OuterRef("household_id"), pk__gt=OuterRef("pk"))
    return Enrollment.objects.annotate(replaced=Exists(newer)).filter(
        Q(status__in=Enrollment.ACTIVE_STATES)
        | Q(status=Enrollment.Status.INELIGIBLE, replaced=False)
    )


@integrity_check(
    "enrollment_one_active_per_household",
    _("A household has at most one enrolment that is not closed."),
)
def enrollment_one_active_per_household():
    # The database forbids two enrolments in an active state; an ineligible enrolment that is
    # still the household's latest can be overridden, so it counts as open too.
    newer_open = enrollments_open().filter(
        household_id=OuterRef("household_id"), pk__gt=OuterRef("pk")
    )
    clashes = (
        enrollments_open().filter(Exists(newer_open)).select_related("household").order_by("pk")
    )
    for enrollment in clashes:
        yield Violation(
            enrollment,
            _("%(household)s has another open enrolment besides this one.")
            % {"household": enrollment.household},
        )


@integrity_check(
    "pact_only_for_enrolled",
    _("A support pact is signed only by a household enrolled on the day of signing."),
)
def pact_only_for_enrolled():
    enrolled_that_day = Enrollment.objects.filter(
        household_id=OuterRef("household_id"),
        status__in=(Enrollment.Status.ENROLLED, Enrollment.Status.EXITED),
        enrolled_on__lte=OuterRef("signed_on"),
    ).filter(Q(exited_on__isnull=True) | Q(exited_on__gte=OuterRef("signed_on")))
    pacts = (
        SupportPact.objects.filter(status__in=SupportPact.SIGNED_STATES)
        .exclude(Exists(enrolled_that_day))
        .select_related("household")
        .order_by("pk")
    )
    for pact in pacts:
        yield Violation(
            pact,
            _("Signed on %(date)s, when %(household)s was not enrolled.")
            % {
                "date": pact.signed_on.strftime("%d/%m/%Y") if pact.signed_on else "—",
                "household": pact.household,
            },
        )


@integrity_check(
    "enrolled_out_of_order_has_reason",
    _(
        "An enrolment ahead of households with a higher priority score has a written reason "
        "on its audit event."
    ),
)
def enrolled_out_of_order_has_reason():
    # The enrol event records whom it passed over ("skipped") since that rule exists; events
    # from before it say nothing, and today's scores cannot tell what the list was then.
    events = AuditEvent.objects.filter(
        verb="enrol",
        target_type=ContentType.objects.get_for_model(Enrollment),
        data__has_key="skipped",
    ).order_by("pk")
    silent = {}
    for event in events.only("target_id", "note", "data"):
        if event.data.get("skipped") and not event.note.strip():
            silent[int(event.target_id)] = len(event.data["skipped"])
    enrollments = Enrollment.objects.select_related("household").in_bulk(list(silent))
    for pk, count in silent.items():
        yield Violation(
            enrollments.get(pk),
            ngettext(
                "Enrolled ahead of %(count)d household with a higher priority score, with no "
                "reason written.",
                "Enrolled ahead of %(count)d households with a higher priority score, with no "
                "reason written.",
                count,
            )
            % {"count": count},
        )
