"""What operators do to stop an eviction: mediation, settlement, closing the case without
an eviction (prevented, rehoused, withdrawn)."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from common.audit import audit_record
from common.exceptions import DomainError
from common.money import eur
from tenancies.models import EvictionCase, MediationMeeting, Placement
from tenancies.models.eviction.case import REHOUSING_PLACEMENT_STATES
from tenancies.services.eviction.cases import _locked_case, _open, _past, _run


def eviction_mediation_start(*, actor, case: EvictionCase, note: str = "") -> EvictionCase:
    """Start talks with the landlord to stop the eviction."""
    return _run(actor=actor, case=case, transition="start_mediation", note=note)


def eviction_meeting_record(
    *,
    actor,
    case: EvictionCase,
    held_on: date,
    result: str,
    participants: str = "",
    note: str = "",
) -> MediationMeeting:
    """Record a mediation meeting with the landlord and its outcome."""
    _past(held_on, "held_on")
    with transaction.atomic():
        case = _locked_case(case)
        _open(case)
        meeting = MediationMeeting(
            case=case,
            held_on=held_on,
            result=result,
            participants=participants,
            note=note,
            recorded_by=actor,
        )
        meeting.full_clean()
        meeting.save()
        audit_record(
            actor=actor,
            programme=case.programme,
            target=case,
            verb="meeting_recorded",
            note=note,
            context=case.lease.household,
            data={"result": result, "held_on": held_on.isoformat()},
        )
        return meeting


def eviction_settlement_record(
    *,
    actor,
    case: EvictionCase,
    on: date,
    fund_cover,
    household_repays,
    instalments: int,
    terms: str,
    note: str = "",
) -> EvictionCase:
    """Record the settlement the parties signed: how the arrears are to be covered (the fund's
    part, the household's part in instalments) and its terms. It records the agreement only:
    the claim on the guarantee and any repayment plan are made where they live (see
    tenancies/_settlement_next.html, which tells the operator)."""
    _past(on, "on")
    fund_cover, household_repays = eur(fund_cover or 0), eur(household_repays or 0)
    if fund_cover.amount < 0 or household_repays.amount < 0:
        raise DomainError(_("Amounts cannot be negative."))
    if fund_cover.amount + household_repays.amount <= 0:
        raise DomainError(_("Say how the arrears are covered."), field="fund_cover")
    if household_repays.amount > 0 and not 1 <= (instalments or 0) <= 60:
        raise DomainError(_("A plan has from 1 to 60 instalments."), field="instalments")
    if not terms:
        raise DomainError(_("Write the terms the parties agreed."), field="terms")
    with transaction.atomic():
        case = _run(
            actor=actor,
            case=case,
            transition="settle",
            note=note or terms,
            on=on,
            update_fields=("settled_on",),
            data={"fund_cover": str(fund_cover.amount), "repays": str(household_repays.amount)},
        )
        case.settlement_fund_cover = fund_cover
        case.settlement_household_repays = household_repays
        case.settlement_instalments = instalments if household_repays.amount > 0 else None
        case.settlement_terms = terms
        case.save(
            update_fields=[
                "settlement_fund_cover",
                "settlement_household_repays",
                "settlement_instalments",
                "settlement_terms",
            ]
        )
        return case


def _rehousing_placement(case: EvictionCase, placement):
    """The placement that rehoused the household: one of its own, accepted or lived in."""
    if placement is None:
        raise DomainError(_("Choose the placement that rehoused the household."), field="placement")
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    if placement.household_id != case.lease.household_id:
        raise DomainError(_("The placement belongs to another household."), field="placement")
    if placement.pk == case.lease.placement_id:
        raise DomainError(
            _("That is the home the eviction takes away: choose where the household went."),
            field="placement",
        )
    if placement.status not in REHOUSING_PLACEMENT_STATES:
        raise DomainError(
            _("Only an accepted or active placement can have rehoused the household."),
            field="placement",
        )
    return placement


def eviction_close(
    *, actor, case: EvictionCase, transition: str, on: date, note: str, placement=None
) -> EvictionCase:
    """Close the case as prevented, rehoused (in `placement`, the household's accepted or
    active placement) or withdrawn; the note says how."""
    if transition not in ("close_prevented", "rehouse", "withdraw"):
        raise DomainError(_("Unknown action."))
    if not note:
        raise DomainError(_("Say what happened, in the note."), field="note")
    _past(on, "on")
    with transaction.atomic():
        kwargs = {}
        fields = ("closed_on", "outcome")
        if transition == "rehouse":
            case = _locked_case(case)
            kwargs["placement"] = _rehousing_placement(case, placement)
            fields = (*fields, "rehousing_placement")
        case = _run(
            actor=actor,
            case=case,
            transition=transition,
            note=note,
            on=on,
            update_fields=fields,
            **kwargs,
        )
        if transition == "rehouse":
            case.rehousing_note = note
            case.save(update_fields=["rehousing_note"])
        return case


def eviction_close_prevented(*, actor, case: EvictionCase, on: date, note: str) -> EvictionCase:
    """The settlement was kept and the landlord withdrew: the eviction was prevented."""
    return eviction_close(actor=actor, case=case, transition="close_prevented", on=on, note=note)


def eviction_rehouse(
    *, actor, case: EvictionCase, on: date, note: str, placement=None
) -> EvictionCase:
    """The household moved to another home, the placement that rehoused it; the note says
    more."""
    return eviction_close(
        actor=actor, case=case, transition="rehouse", on=on, note=note, placement=placement
    )


def eviction_withdraw(*, actor, case: EvictionCase, on: date, note: str) -> EvictionCase:
    """The landlord withdrew the procedure."""
    return eviction_close(actor=actor, case=case, transition="withdraw", on=on, note=note)
