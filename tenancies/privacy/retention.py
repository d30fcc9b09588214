"""Pseudonymisation past the programme's retention period (GDPR art. 5.1.e, art. 89).

A household's personal data is kept while its case may still matter: an enrolment, a lease in
force, a placement, an arrears or eviction case, or (in the fund) a guarantee, a claim or a
recovery still open. Once its case has been closed for longer than the programme's
`retention_years`, names, codice fiscale, contacts, addresses and free-text notes are replaced by
a stable pseudonym or blanked and its documents are deleted. Amounts, dates, states, the ledger
and every row's key stay, so the fund's figures and the integrity checks are unchanged.
"""

import hashlib
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import DateField, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.timezone import localdate
from django.utils.translation import gettext as _

from common.audit import audit_record
from common.duties import tasks_close_for_records, tasks_of_context_pseudonymise
from common.exceptions import DomainError
from common.models import AuditEvent, Programme
from tenancies.models import (
    ArrearsCase,
    Assessment,
    Enrollment,
    EvictionCase,
    Household,
    HouseholdDocument,
    Lease,
    MediationMeeting,
    Member,
    PactReview,
    Placement,
    SupportPact,
)
from tenancies.privacy.registry import PSEUDONYMISERS, RETENTION_BLOCKERS, RETENTION_EXCLUDERS
from tenancies.selectors.pacts import pact_facts_freeze, pact_pdf_facts

LEASE_KEPT_STATES = (Lease.Status.DRAFT, Lease.Status.ACTIVE)


def retention_cutoff(*, programme: Programme, today: date | None = None) -> date:
    """Cases closed before this date are past the programme's retention period."""
    today = today or localdate()
    try:
        return today.replace(year=today.year - programme.retention_years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - programme.retention_years, day=28)


def _closed_on():
    """The day the household's latest enrolment closed: its exit, or its failed assessment."""
    latest = Enrollment.objects.filter(household=OuterRef("pk")).order_by("-referred_on", "-pk")
    last_assessment = Assessment.objects.filter(enrollment=OuterRef("pk")).order_by(
        "-assessed_at", "-pk"
    )
    closed = Enrollment.objects.filter(pk=OuterRef("latest_enrollment")).annotate(
        closed_on=Coalesce(
            "exited_on",
            Cast(Subquery(last_assessment.values("assessed_at")[:1]), DateField()),
            "referred_on",
        )
    )
    return Subquery(latest.values("pk")[:1]), Subquery(closed.values("closed_on")[:1])


def _still_open(queryset):
    """Drop households whose data must be kept whatever the date (tenancies' own reasons)."""
    household = OuterRef("pk")
    return queryset.exclude(
        Exists(Enrollment.objects.filter(household=household, status__in=Enrollment.ACTIVE_STATES))
    ).exclude(
        Exists(Lease.objects.filter(household=household, status__in=LEASE_KEPT_STATES))
        | Exists(Placement.objects.filter(household=household, status__in=Placement.OPEN_STATES))
        | Exists(ArrearsCase.objects.filter(lease__household=household).open())
        | Exists(EvictionCase.objects.filter(lease__household=household).open())
    )


def households_due(*, programme: Programme, today: date | None = None):
    """Households of the programme past their retention period, not yet pseudonymised, with
    nothing open here or in the fund; each annotated with `closed_on`."""
    latest, closed_on = _closed_on()
    households = (
        Household.objects.in_programme(programme)
        .filter(pseudonymised_at__isnull=True)
        .annotate(latest_enrollment=latest)
        .annotate(closed_on=closed_on)
        .filter(
            Exists(
                Enrollment.objects.filter(
                    pk=OuterRef("latest_enrollment"),
                    status__in=(Enrollment.Status.EXITED, Enrollment.Status.INELIGIBLE),
                )
            ),
            closed_on__lt=retention_cutoff(programme=programme, today=today),
        )
    )
    households = _still_open(households)
    for exclude in RETENTION_EXCLUDERS:
        households = exclude(households)
    return households.order_by("closed_on", "pk")


def retention_refusal(*, household: Household, today: date | None = None) -> str:
    """Why the household may not be pseudonymised now ("" when it may)."""
    if household.pseudonymised_at is not None:
        return _("The household's data has already been pseudonymised.")
    for reasons in RETENTION_BLOCKERS:
        for reason in reasons(household):
            return reason
    if (
        not households_due(programme=household.programme, today=today)
        .filter(pk=household.pk)
        .exists()
    ):
        return _(
            "The household's case is open, or closed less than %(years)s years ago: "
            "its data is still kept."
        ) % {"years": household.programme.retention_years}
    return ""


def pseudonym(household: Household) -> str:
    """A stable pseudonym: the same household always gets the same one, and it says nothing
    about the person (a keyed hash of the key, not of the name)."""
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:household:{household.pk}".encode())
    return f"Nucleo {digest.hexdigest()[:10].upper()}"


def _member_pseudonym(household_pseudonym: str, index: int) -> tuple[str, str]:
    return f"Componente {index}", household_pseudonym


def household_pseudonymise(*, actor, household: Household, today: date | None = None) -> bool:
    """Replace the household's personal data by pseudonyms and delete its documents, keeping
    amounts, dates and states. False if it was already done; DomainError if it may not be."""
    with transaction.atomic():
        household = (
            Household.objects.select_for_update().select_related("programme").get(pk=household.pk)
        )
        if household.pseudonymised_at is not None:
            return False
        refusal = retention_refusal(household=household, today=today)
        if refusal:
            raise DomainError(refusal)
        name = pseudonym(household)
        Household.objects.filter(pk=household.pk).update(
            name=name,
            phone="",
            email="",
            address="",
            referral_note="",
            citizenship="",
            languages="",
            pseudonymised_at=timezone.now(),
        )
        members = list(household.members.order_by("pk"))
        for index, member in enumerate(members, start=1):
            first, last = _member_pseudonym(name, index)
            Member.objects.filter(pk=member.pk).update(
                first_name=first, last_name=last, codice_fiscale=""
            )
        # Free text written about the family: it may name anyone.
        pacts = SupportPact.objects.filter(household=household)
        pacts.update(signed_by_household="", signed_at_place="")
        # A signed pact's snapshot printed the family's names: it is frozen again from the
        # pseudonymised record, so the PDF still shows the pact's terms and nobody's name.
        for pact in pacts.filter(signed_facts__isnull=False):
            pact.signed_facts = pact_facts_freeze(pact_pdf_facts(pact=pact))
            pact.save(update_fields=["signed_facts"])
        PactReview.objects.filter(pact__in=pacts).update(note="")
        Placement.objects.filter(household=household).update(notes="")
        Assessment.objects.filter(enrollment__household=household).update(override_reason="")
        ArrearsCase.objects.filter(lease__household=household).update(landlord_note="")
        evictions = EvictionCase.objects.filter(lease__household=household)
        evictions.update(settlement_terms="", rehousing_note="")
        MediationMeeting.objects.filter(case__in=evictions).update(participants="", note="")
        # The trail keeps who did what and when; the names it copied go.
        _audit_trail_pseudonymise(household=household, members=members, name=name)
        for pseudonymise in PSEUDONYMISERS:
            pseudonymise(household)
        documents = list(HouseholdDocument.objects.filter(household=household))
        # Their renewals are no longer anyone's duty; a dismissal's reason is free text.
        tasks_close_for_records(records=documents, actor=actor)
        tasks_of_context_pseudonymise(context=household)
        files = [document.file.name for document in documents if document.file]
        HouseholdDocument.objects.filter(household=household).delete()
        audit_record(
            actor=actor,
            programme=household.programme,
            target=household,
            verb="pseudonymised",
            context=household,
            data={"members": len(members), "documents_deleted": len(documents)},
        )
        storage = HouseholdDocument._meta.get_field("file").storage
        # Files go only once the rows are gone for good.
        transaction.on_commit(lambda: [storage.delete(name) for name in files])
    return True


def _audit_trail_pseudonymise(*, household, members, name) -> None:
    from django.contrib.contenttypes.models import ContentType

    household_type = ContentType.objects.get_for_model(Household)
    member_type = ContentType.objects.get_for_model(Member)
    document_type = ContentType.objects.get_for_model(HouseholdDocument)
    about = Q(context_type=household_type, context_id=str(household.pk)) | Q(
        target_type=household_type, target_id=str(household.pk)
    )
    events = AuditEvent.objects.filter(about)
    events.filter(target_type=household_type).update(target_repr=name)
    for index, member in enumerate(members, start=1):
        first, last = _member_pseudonym(name, index)
        events.filter(target_type=member_type, target_id=str(member.pk)).update(
            target_repr=f"{last} {first}"
        )
    # A document's title may name someone; the document itself is deleted.
    events.filter(target_type=document_type).update(target_repr=_("Deleted document"))
    # Details may hold old and new values of names and contacts: keep the keys, not the values.
    events.filter(target_type__in=[household_type, member_type]).exclude(data={}).update(data={})
    events.exclude(note="").update(note="")


def pseudonymise_due(*, actor, programme: Programme, dry_run: bool = False, today=None):
    """Pseudonymise every household of the programme past its retention period; returns them."""
    due = list(households_due(programme=programme, today=today))
    if dry_run:
        return due
    done = []
    for household in due:
        try:
            if household_pseudonymise(actor=actor, household=household, today=today):
                done.append(household)
        except DomainError:
            continue  # something opened since the list was read: kept, as it should be
    return done
