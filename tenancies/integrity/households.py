"""Integrity checks of enrolments and support pacts (see common.integrity)."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.integrity import Violation, integrity_check
from common.models import AuditEvent
from tenancies.models import (
    Enrollment,
    Member,
    SupportPact,
)


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


@integrity_check(
    "member_codice_fiscale_unique",
    _("No two members, in any household or programme, share a codice fiscale."),
)
def member_codice_fiscale_unique():
    # Upper-case, as people type it: the database's unique constraint compares exact text.
    shared = (
        Member.objects.exclude(codice_fiscale="")
        .annotate(code=Upper("codice_fiscale"))
        .values("code")
        .annotate(count=Count("pk"))
        .filter(count__gt=1)
        .values_list("code", flat=True)
    )
    members = (
        Member.objects.annotate(code=Upper("codice_fiscale"))
        .filter(code__in=list(shared))
        .select_related("household")
        .order_by("code", "pk")
    )
    first_of = {}
    for member in members:
        if member.code not in first_of:
            first_of[member.code] = member
            continue
        first = first_of[member.code]
        yield Violation(
            member,
            _(
                "Codice fiscale %(code)s is also recorded for %(member)s, household "
                "“%(household)s” (no. %(number)s)."
            )
            % {
                "code": member.code,
                "member": first,
                "household": first.household,
                "number": first.household_id,
            },
        )


@integrity_check(
    "pact_signed_has_snapshot",
    _("A signed support pact keeps the facts it was signed with: its PDF never changes."),
)
def pact_signed_has_snapshot():
    pacts = (
        SupportPact.objects.filter(status__in=SupportPact.SIGNED_STATES, signed_facts__isnull=True)
        .select_related("household")
        .order_by("pk")
    )
    for pact in pacts:
        yield Violation(
            pact,
            _("Signed without a snapshot: its PDF would print today's data, not what was signed."),
        )
