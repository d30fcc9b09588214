"""Writes about support pacts: drafting, commitments, signing, reviews and their outcome."""

import calendar
from datetime import date

from django.db import transaction
from django.utils.timezone import localdate
from django.utils.translation import gettext as _

from common.audit import audit_record
from common.exceptions import DomainError
from common.fsm import transition_run
from tenancies.models import Enrollment, Household, PactCommitment, PactReview, SupportPact
from tenancies.models.pacts import pact_has_both_sides, pact_household_enrolled
from tenancies.selectors.pacts import pact_facts_freeze, pact_pdf_facts

PACT_FIELDS = ("goal", "starts_on", "ends_on", "review_every_months")


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the last day of the month when it is shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _lock(pact: SupportPact) -> SupportPact:
    Household.objects.select_for_update().get(pk=pact.household_id)
    return SupportPact.objects.select_for_update().select_related("household").get(pk=pact.pk)


def _require_draft(pact: SupportPact) -> None:
    if not pact.is_editable():
        raise DomainError(_("A signed pact cannot be changed; record a review instead."))


def pact_draft_refusal(*, household: Household) -> str:
    """Why a pact cannot be drafted for the household now (empty when it can): the household
    must be eligible or enrolled, with no other open pact. The page asks this too."""
    if not household.is_supported():
        return _("A pact is drafted for an eligible or enrolled household.")
    if household.pacts.exclude(status__in=SupportPact.CLOSED_STATES).exists():
        return _("The household already has an open pact.")
    return ""


def pact_create(*, actor, household: Household, **fields) -> SupportPact:
    """Draft a pact for an eligible or enrolled household (one open pact at a time)."""
    with transaction.atomic():
        household = Household.objects.select_for_update().get(pk=household.pk)
        refusal = pact_draft_refusal(household=household)
        if refusal:
            raise DomainError(refusal)
        pact = SupportPact(household=household, **fields)
        pact.full_clean(exclude=["status"])
        pact.save()
        audit_record(
            actor=actor,
            programme=household.programme,
            target=pact,
            verb="pact_drafted",
            to_state=pact.status,
            context=household,
        )
        return pact


def pact_update(*, actor, pact: SupportPact, **fields) -> SupportPact:
    """Change a draft pact's goal, dates or review interval."""
    with transaction.atomic():
        pact = _lock(pact)
        _require_draft(pact)
        changed = [name for name, value in fields.items() if getattr(pact, name) != value]
        if not changed:
            return pact
        for name in changed:
            setattr(pact, name, fields[name])
        pact.full_clean(exclude=["status"])
        pact.save(update_fields=changed)
        audit_record(
            actor=actor,
            programme=pact.household.programme,
            target=pact,
            verb="pact_updated",
            context=pact.household,
            data={"fields": sorted(changed)},
        )
        return pact


def commitment_add(*, actor, pact: SupportPact, **fields) -> PactCommitment:
    """Add a commitment of the household or of the programme to a draft pact."""
    with transaction.atomic():
        pact = _lock(pact)
        _require_draft(pact)
        commitment = PactCommitment(pact=pact, **fields)
        commitment.full_clean()
        commitment.save()
        audit_record(
            actor=actor,
            programme=pact.household.programme,
            target=commitment,
            verb="commitment_added",
            context=pact.household,
            data={"party": commitment.party},
        )
        return commitment


def commitment_remove(*, actor, commitment: PactCommitment) -> None:
    """Take a commitment out of a draft pact."""
    with transaction.atomic():
        pact = _lock(commitment.pact)
        _require_draft(pact)
        audit_record(
            actor=actor,
            programme=pact.household.programme,
            target=pact,
            verb="commitment_removed",
            context=pact.household,
            note=commitment.description,
        )
        commitment.delete()


def pact_sign(
    *,
    actor,
    pact: SupportPact,
    place: str,
    household_signatory: str,
    on: date | None = None,
    note: str = "",
) -> SupportPact:
    """Sign a draft pact with an enrolled household: records who signed, where and when (not
    before the enrolment); the first review is set."""
    on = on or localdate()
    if not place.strip() or not household_signatory.strip():
        raise DomainError(_("Write the place and who signs for the household."))
    with transaction.atomic():
        pact = _lock(pact)
        if pact.is_editable():
            # The transition's conditions decide; these say which one failed, in words.
            if not pact_household_enrolled(pact):
                raise DomainError(_("Enrol the household before signing its pact."))
            if not pact_has_both_sides(pact):
                raise DomainError(
                    _(
                        "A pact needs at least one commitment of the household and one of the "
                        "programme."
                    )
                )
            enrolled_on = (
                pact.household.enrollments.filter(status=Enrollment.Status.ENROLLED)
                .values_list("enrolled_on", flat=True)
                .first()
            )
            if enrolled_on and on < enrolled_on:
                raise DomainError(
                    _("The household was enrolled on %(date)s: the pact is signed after that.")
                    % {"date": enrolled_on.strftime("%d/%m/%Y")},
                    field="on",
                )
        signed = transition_run(
            queryset=SupportPact.objects.all(),
            pk=pact.pk,
            transition="sign",
            actor=actor,
            note=note,
            update_fields=(
                "signed_on",
                "signed_at_place",
                "signed_by_household",
                "signed_by_operator",
                "next_review_on",
            ),
            on=on,
            place=place.strip(),
            household_signatory=household_signatory.strip(),
            operator=actor,
            next_review_on=add_months(on, pact.review_every_months),
        )
        # The signed document is a snapshot: keep what it says now, serve that from now on.
        signed.signed_facts = pact_facts_freeze(pact_pdf_facts(pact=signed))
        signed.save(update_fields=["signed_facts"])
        return signed


def pact_start_review(*, actor, pact: SupportPact, note: str = "") -> SupportPact:
    """Open a review of a signed pact."""
    with transaction.atomic():
        _lock(pact)
        return transition_run(
            queryset=SupportPact.objects.all(),
            pk=pact.pk,
            transition="start_review",
            actor=actor,
            note=note,
        )


REVIEW_DECISIONS = {
    "continue": "resume",
    "complete": "complete",
    "broken": "declare_broken",
}


def pact_review_record(
    *, actor, pact: SupportPact, held_on: date, outcome: str, note: str, decision: str
) -> PactReview:
    """Record a review of a pact under review and decide: continue, complete or broken."""
    if decision not in REVIEW_DECISIONS:
        raise DomainError(_("Choose what happens to the pact after the review."), field="decision")
    with transaction.atomic():
        pact = _lock(pact)
        if pact.status != SupportPact.Status.UNDER_REVIEW:
            raise DomainError(_("Open a review of the pact first."))
        review = PactReview(pact=pact, held_on=held_on, outcome=outcome, note=note, reviewer=actor)
        review.full_clean()
        review.save()
        kwargs = {}
        update_fields: tuple[str, ...] = ("next_review_on",)
        if decision == "continue":
            kwargs["next_review_on"] = add_months(held_on, pact.review_every_months)
        transition_run(
            queryset=SupportPact.objects.all(),
            pk=pact.pk,
            transition=REVIEW_DECISIONS[decision],
            actor=actor,
            note=note,
            update_fields=update_fields,
            data={"outcome": outcome, "review": review.pk},
            **kwargs,
        )
        return review


def pact_resume(*, actor, pact: SupportPact, held_on: date, outcome: str, note: str) -> PactReview:
    """Record the review and keep the pact in force until the next one."""
    return pact_review_record(
        actor=actor, pact=pact, held_on=held_on, outcome=outcome, note=note, decision="continue"
    )


def pact_complete(
    *, actor, pact: SupportPact, held_on: date, outcome: str, note: str
) -> PactReview:
    """Record the review and close the pact as completed."""
    return pact_review_record(
        actor=actor, pact=pact, held_on=held_on, outcome=outcome, note=note, decision="complete"
    )


def pact_declare_broken(
    *, actor, pact: SupportPact, held_on: date, outcome: str, note: str
) -> PactReview:
    """Record the review and close the pact as broken; the note says why."""
    return pact_review_record(
        actor=actor, pact=pact, held_on=held_on, outcome=outcome, note=note, decision="broken"
    )
