"""Reads about households, scoped to what the user may see in the current programme."""

from datetime import date, timedelta

from django.db.models import Case, IntegerField, OuterRef, Prefetch, Q, Subquery, Value, When
from django.utils.timezone import localdate

from common.roles import Role
from tenancies.models import Enrollment, Household, HouseholdDocument, Member, SupportPact

# Household data is a special category: only the programme's operators see it.
HOUSEHOLD_ROLES = frozenset({Role.OPERATOR})


def _annotated(queryset):
    active = Enrollment.objects.filter(household=OuterRef("pk")).order_by("-referred_on", "-pk")
    pact = SupportPact.objects.filter(household=OuterRef("pk")).order_by("-starts_on", "-pk")
    return queryset.select_related("operator").annotate(
        enrollment_status=Subquery(active.values("status")[:1]),
        pact_status=Subquery(pact.values("status")[:1]),
        pact_next_review_on=Subquery(pact.values("next_review_on")[:1]),
    )


def household_list(*, user, programme, status: str = "", query: str = "", mine: bool = False):
    """Households of the programme visible to `user`, each with its current enrolment status."""
    households = Household.objects.in_programme(programme).visible_to(user, HOUSEHOLD_ROLES)
    households = _annotated(households)
    if status:
        households = households.filter(enrollment_status=status)
    if query:
        households = households.filter(
            Q(name__icontains=query) | Q(members__codice_fiscale__iexact=query.replace(" ", ""))
        ).distinct()
    if mine:
        households = households.filter(operator=user)
    return households.order_by("name", "pk")


def household_get(*, user, programme, pk) -> Household:
    """One household of the current programme that `user` may see (404 otherwise)."""
    from django.shortcuts import get_object_or_404

    households = Household.objects.in_programme(programme).visible_to(user, HOUSEHOLD_ROLES)
    return get_object_or_404(households.select_related("programme", "operator"), pk=pk)


def household_members(*, household):
    return household.members.all()


def next_action(household, today: date) -> tuple[str, str]:
    """(what to do next, urgency) for the caseload, from the annotated statuses."""
    from django.utils.translation import gettext as _

    status = household.enrollment_status
    pact = household.pact_status
    if status == Enrollment.Status.REFERRED:
        return _("Start the assessment"), ""
    if status == Enrollment.Status.ASSESSING:
        return _("Check eligibility"), ""
    if status == Enrollment.Status.INELIGIBLE:
        return _("Decide: override or close"), "warn"
    if status == Enrollment.Status.ELIGIBLE:
        return _("Enrol when a place is available"), ""
    if status == Enrollment.Status.ENROLLED:
        if pact is None:
            return _("Draft the support pact"), "warn"
        if pact == SupportPact.Status.COMPLETED:
            return _("Pact completed: close the enrolment or draft a new pact"), ""
        if pact == SupportPact.Status.BROKEN:
            return _("Pact broken: decide with the household what comes next"), "warn"
        if pact == SupportPact.Status.DRAFT:
            return _("Sign the pact"), ""
        if pact == SupportPact.Status.UNDER_REVIEW:
            return _("Record the review outcome"), ""
        due = household.pact_next_review_on
        if due and due < today:
            return _("Review overdue since %(date)s") % {"date": due.strftime("%d/%m/%Y")}, "danger"
        if due and due <= today + timedelta(days=14):
            return _("Review due on %(date)s") % {"date": due.strftime("%d/%m/%Y")}, "warn"
        return _("Follow the pact"), "ok"
    return _("No open enrolment"), ""


def caseload(*, user, programme, today: date | None = None):
    """The operator's own households with an open enrolment, the most urgent first (ranked in
    the database, so the page reads one page of rows); `next_action` words each row."""
    today = today or localdate()
    enrolled = Q(enrollment_status=Enrollment.Status.ENROLLED)
    signed = enrolled & Q(pact_status=SupportPact.Status.SIGNED)
    # The ranks of next_action's urgencies: danger 0, warn 1, none 2, ok 3.
    urgency = Case(
        When(signed & Q(pact_next_review_on__lt=today), then=Value(0)),
        When(
            Q(enrollment_status=Enrollment.Status.INELIGIBLE)
            | (enrolled & Q(pact_status__isnull=True))
            | (enrolled & Q(pact_status=SupportPact.Status.BROKEN))
            | (signed & Q(pact_next_review_on__lte=today + timedelta(days=14))),
            then=Value(1),
        ),
        When(signed, then=Value(3)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        household_list(user=user, programme=programme, mine=True)
        .filter(enrollment_status__in=Enrollment.ACTIVE_STATES + (Enrollment.Status.INELIGIBLE,))
        .annotate(urgency_rank=urgency)
        .order_by("urgency_rank", "name", "pk")
    )


def with_next_action(households, today: date | None = None):
    """Word each household's next action (the rows of one page)."""
    today = today or localdate()
    for household in households:
        household.next_action, household.urgency = next_action(household, today)
    return households


def overdue_reviews(*, user, programme, today: date | None = None):
    """Signed pacts of the programme whose review date has passed."""
    today = today or localdate()
    return (
        SupportPact.objects.in_programme(programme)
        .visible_to(user, HOUSEHOLD_ROLES)
        .filter(status=SupportPact.Status.SIGNED, next_review_on__lt=today)
        .select_related("household")
        .order_by("next_review_on")
    )


def documents_expiring(*, user, programme, only_mine: bool = True, today: date | None = None):
    """Documents expired or expiring within 30 days, for the operator's households."""
    today = today or localdate()
    documents = (
        HouseholdDocument.objects.in_programme(programme)
        .visible_to(user, HOUSEHOLD_ROLES)
        .filter(valid_until__isnull=False, valid_until__lte=today + timedelta(days=30))
        .select_related("household")
        .order_by("valid_until")
    )
    if only_mine:
        documents = documents.filter(household__operator=user)
    return documents


def _duplicate_match(*, codice_fiscale: str, last_name: str, first_name: str, birth_date) -> Q:
    """Members with the same codice fiscale, or the same birth date and a similar name. Each
    branch is served by an index (the unique index on codice_fiscale, which is partial: hence
    the "not empty" term; member_birth_date_idx), so at 10,000 households the database looks
    up a few rows instead of reading every member of the programme."""
    match = Q(pk__in=[])
    code = (codice_fiscale or "").replace(" ", "").upper()  # stored so, see Member.clean()
    if code:
        match |= Q(codice_fiscale=code) & ~Q(codice_fiscale="")
    if last_name and first_name and birth_date:
        match |= Q(
            birth_date=birth_date,
            last_name__iexact=last_name.strip(),
            first_name__istartswith=first_name.strip()[:3],
        )
    return match


def duplicates_find(
    *,
    programme,
    codice_fiscale: str,
    last_name: str,
    first_name: str,
    birth_date,
    exclude_household=None,
):
    """Members already in the programme with the same codice fiscale, or the same birth date and
    a similar name (same surname, first name starting alike)."""
    members = Member.objects.filter(household__programme=programme).select_related("household")
    members = members.filter(
        _duplicate_match(
            codice_fiscale=codice_fiscale,
            last_name=last_name,
            first_name=first_name,
            birth_date=birth_date,
        )
    )
    if exclude_household is not None:
        members = members.exclude(household=exclude_household)
    return list(members[:10])


def household_duplicates(*, programme, household, members) -> list[Member]:
    """The members of other households of the programme who may be the same people as
    `members` (as duplicates_find, for them all): one query whatever the household's size."""
    match = Q(pk__in=[])
    for member in members:
        match |= _duplicate_match(
            codice_fiscale=member.codice_fiscale,
            last_name=member.last_name,
            first_name=member.first_name,
            birth_date=member.birth_date,
        )
    found = (
        Member.objects.filter(household__programme=programme)
        .filter(match)
        .exclude(household=household)
        .select_related("household")
    )
    return list(found[: 10 * max(1, len(members))])


def household_with_members(queryset):
    return queryset.prefetch_related(Prefetch("members", queryset=Member.objects.all()))


# Who looked at a household's records is overseen by the fund's administrators (they do not
# work on the case, so they are not the people being watched).
OVERSIGHT_ROLES = frozenset({Role.FUND_ADMIN})


def household_get_for_oversight(*, user, programme, pk) -> Household:
    """One household of the current programme, for the access log and retention pages."""
    from django.shortcuts import get_object_or_404

    households = Household.objects.in_programme(programme).visible_to(user, OVERSIGHT_ROLES)
    return get_object_or_404(households, pk=pk)


def households_for_oversight(*, user, programme, query: str = ""):
    """Households of the programme by name, for a fund administrator looking for one."""
    households = Household.objects.in_programme(programme).visible_to(user, OVERSIGHT_ROLES)
    if query:
        households = households.filter(name__icontains=query)
    return households.only("pk", "name", "municipality", "pseudonymised_at").order_by("name", "pk")
