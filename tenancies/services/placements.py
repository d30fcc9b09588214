"""Writes about placements: proposing a dwelling or a place to a household, and its life.

Every service locks the dwelling first (the parent of its places), then the household, then the
placement: the same order everywhere, so two requests for one place queue up instead of both
seeing it free. The conditional unique constraints back this up in the database.
"""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.timezone import localdate
from django.utils.translation import gettext as _

from common.audit import audit_record
from common.duties import task_sync
from common.exceptions import DomainError
from common.fsm import transition_run
from housing.models import Dwelling
from housing.selectors import dwelling_capacity, dwelling_cohousing, dwelling_get_for_update
from tenancies.models import Enrollment, Household, Placement
from tenancies.selectors.placements import leases_holding_unit

PLACEMENT_ALLOWED_ENROLMENT = (Enrollment.Status.ELIGIBLE, Enrollment.Status.ENROLLED)


def placement_kind(dwelling: Dwelling) -> str:
    """Flat, condominium flat or cohousing place: derived from the dwelling, never typed in."""
    if dwelling_cohousing(dwelling) is not None:
        return Placement.Kind.COHOUSING_PLACE
    if dwelling.condominium_id:
        return Placement.Kind.CONDOMINIUM_FLAT
    return Placement.Kind.FLAT


def _lock(*, dwelling_pk: int, household_pk: int) -> tuple[Dwelling, Household]:
    dwelling = dwelling_get_for_update(pk=dwelling_pk)
    household = Household.objects.select_for_update().get(pk=household_pk)
    return dwelling, household


def _check_household(household: Household) -> None:
    if not household.enrollments.filter(status__in=PLACEMENT_ALLOWED_ENROLMENT).exists():
        raise DomainError(_("A placement is for an eligible or enrolled household."))


def _check_place(*, dwelling: Dwelling, household: Household, place_number: int, exclude=None):
    """The dwelling is offered to the same programme and the place exists and is free."""
    if dwelling.programme_id != household.programme_id:
        raise DomainError(_("The dwelling belongs to another programme."), field="dwelling")
    if not dwelling.available:
        raise DomainError(
            _("“%(dwelling)s” is not available to the programme now.") % {"dwelling": dwelling},
            field="dwelling",
        )
    capacity = dwelling_capacity(dwelling)
    if not 1 <= place_number <= capacity:
        if capacity == 1:
            message = _("A flat is given whole: its only place is number 1.")
        else:
            message = _("This cohousing has places 1 to %(places)s: there is no place %(n)s.") % {
                "places": capacity,
                "n": place_number,
            }
        raise DomainError(message, field="place_number")
    holding = Placement.objects.filter(dwelling=dwelling).holding_a_place()
    if exclude is not None:
        holding = holding.exclude(pk=exclude.pk)
    if holding.filter(place_number=place_number).exists():
        raise DomainError(
            _("This place is already given to another household (accepted or living there)."),
            field="place_number",
        )
    let = leases_holding_unit(
        dwelling_id=dwelling.pk, place_number=place_number, start=localdate(), end=date.max
    ).exclude(household=household)
    if let.exists():
        raise DomainError(
            _("This place is let to another household by a lease in force."),
            field="place_number",
        )
    if holding.count() >= capacity:
        raise DomainError(
            _("The dwelling is full: all its %(places)s places are taken.") % {"places": capacity},
            field="place_number",
        )


def placement_propose(
    *,
    actor,
    household: Household,
    dwelling: Dwelling,
    place_number: int = 1,
    proposed_on: date | None = None,
    notes: str = "",
) -> Placement:
    """Propose a free place of an available dwelling of the programme to an eligible or enrolled
    household that has no other proposal pending."""
    with transaction.atomic():
        dwelling, household = _lock(dwelling_pk=dwelling.pk, household_pk=household.pk)
        _check_household(household)
        _check_place(dwelling=dwelling, household=household, place_number=place_number)
        pending = household.placements.filter(
            status__in=[Placement.Status.PROPOSED, Placement.Status.ACCEPTED]
        )
        if pending.exists():
            raise DomainError(
                _("The household already has a placement proposed or accepted: decline it first.")
            )
        placement = Placement(
            programme=household.programme,
            household=household,
            dwelling=dwelling,
            place_number=place_number,
            kind=placement_kind(dwelling),
            proposed_on=proposed_on or localdate(),
            proposed_by=actor,
            notes=notes.strip(),
        )
        placement.full_clean(exclude=["status"])
        placement.save()
        audit_record(
            actor=actor,
            programme=household.programme,
            target=placement,
            verb="placement_proposed",
            to_state=placement.status,
            note=placement.notes,
            context=household,
            data={"dwelling": dwelling.pk, "place_number": place_number, "kind": placement.kind},
        )
        task_sync(record=placement, actor=actor)
        return placement


def _relock(placement: Placement) -> tuple[Dwelling, Household, Placement]:
    dwelling, household = _lock(
        dwelling_pk=placement.dwelling_id, household_pk=placement.household_id
    )
    return dwelling, household, Placement.objects.select_for_update().get(pk=placement.pk)


def _run(placement: Placement, transition: str, actor, note: str, **kwargs) -> Placement:
    return transition_run(
        queryset=Placement.objects.all(),
        pk=placement.pk,
        transition=transition,
        actor=actor,
        note=note,
        **kwargs,
    )


def placement_accept(*, actor, placement: Placement, note: str = "") -> Placement:
    """The household accepts: the place is promised to it and no one else can accept it."""
    with transaction.atomic():
        dwelling, household, placement = _relock(placement)
        if placement.status == Placement.Status.PROPOSED:
            _check_household(household)
            _check_place(
                dwelling=dwelling,
                household=household,
                place_number=placement.place_number,
                exclude=placement,
            )
        return _run(placement, "placement_accept", actor, note)


def placement_decline(*, actor, placement: Placement, note: str) -> Placement:
    """The household or the owner says no; the reason is kept on the timeline."""
    if not note.strip():
        raise DomainError(_("Write why the placement was declined."), field="note")
    with transaction.atomic():
        _relock(placement)
        return _run(placement, "placement_decline", actor, note.strip())


def placement_activate(
    *, actor, placement: Placement, on: date | None = None, note: str = ""
) -> Placement:
    """The household moves in: the place becomes theirs. Never two households in one place,
    never one household in two places."""
    on = on or localdate()
    with transaction.atomic():
        dwelling, household, placement = _relock(placement)
        if placement.status == Placement.Status.ACCEPTED:
            _check_household(household)
            _check_place(
                dwelling=dwelling,
                household=household,
                place_number=placement.place_number,
                exclude=placement,
            )
            if household.placements.active().exclude(pk=placement.pk).exists():
                raise DomainError(
                    _("The household already lives in another placement: end that one first.")
                )
            if on < placement.proposed_on:
                raise DomainError(
                    _("The move-in date cannot come before the proposal (%(date)s).")
                    % {"date": date_format(placement.proposed_on, "SHORT_DATE_FORMAT")},
                    field="on",
                )
        try:
            with transaction.atomic():
                return _run(
                    placement,
                    "placement_activate",
                    actor,
                    note,
                    update_fields=("starts_on",),
                    on=on,
                )
        except IntegrityError as error:
            # The constraint is the last line of defence, should a write bypass the lock.
            raise DomainError(_("This place is already taken by another household.")) from error


def placement_end(
    *, actor, placement: Placement, reason: str, on: date | None = None, note: str = ""
) -> Placement:
    """The household leaves the place; why is required, and the place is free again."""
    on = on or localdate()
    if reason not in Placement.EndReason.values:
        raise DomainError(_("Choose why the placement ends."), field="reason")
    with transaction.atomic():
        _dwelling, _household, placement = _relock(placement)
        if placement.starts_on and on < placement.starts_on:
            raise DomainError(
                _("A placement cannot end before it starts (%(date)s).")
                % {"date": date_format(placement.starts_on, "SHORT_DATE_FORMAT")},
                field="on",
            )
        return _run(
            placement,
            "placement_end",
            actor,
            note,
            update_fields=("ends_on", "end_reason"),
            on=on,
            reason=reason,
            data={"reason": reason},
        )
