"""Writes about dwellings, social condominiums and cohousing."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from common.exceptions import DomainError
from common.models import Membership, Programme
from common.money import eur
from common.roles import Role
from housing.models import Cohousing, Dwelling, SocialCondominium
from housing.models.stock import SHARED_COSTS_MAX
from housing.selectors import dwelling_occupants
from housing.services._base import apply_changes, audit_write, clean_or_refuse

DWELLING_FIELDS = {
    "landlord",
    "condominium",
    "address",
    "unit",
    "municipality",
    "floor",
    "rooms",
    "size_m2",
    "energy_class",
    "accessible",
    "rent",
    "service_charges",
    "market_rent",
    "market_rent_source",
    "market_rent_on",
    "available",
    "available_from",
    "notes",
}
CONDOMINIUM_FIELDS = {"name", "address", "municipality", "caretaker", "notes"}
COHOUSING_FIELDS = {"name", "places", "max_people_per_place", "house_agreement"}


def _money_columns(changes) -> list[str]:
    money = {"rent", "service_charges", "market_rent", "shared_costs_total"}
    fields = []
    for name in changes:
        fields.append(name)
        if name in money:
            fields.append(f"{name}_currency")
    return fields


def dwelling_create(*, actor, programme: Programme, **fields) -> Dwelling:
    """Add a dwelling a landlord offers to the programme."""
    with transaction.atomic():
        dwelling = Dwelling(programme=programme)
        apply_changes(dwelling, fields, DWELLING_FIELDS)
        clean_or_refuse(dwelling)
        dwelling.save()
        audit_write(actor=actor, obj=dwelling, verb="created")
        return dwelling


def dwelling_update(*, actor, dwelling: Dwelling, **fields) -> Dwelling:
    """Change a dwelling's details (rent, availability…); records what changed."""
    with transaction.atomic():
        dwelling = Dwelling.objects.select_for_update().get(pk=dwelling.pk)
        changes = apply_changes(dwelling, fields, DWELLING_FIELDS)
        if not changes:
            return dwelling
        if "condominium" in changes and hasattr(dwelling, "cohousing") and dwelling.condominium:
            raise DomainError(
                _("A cohousing cannot become a condominium flat."), field="condominium"
            )
        clean_or_refuse(dwelling)
        dwelling.save(update_fields=_money_columns(changes))
        audit_write(actor=actor, obj=dwelling, verb="updated", data={"changes": changes})
        return dwelling


def _check_caretaker(programme, caretaker) -> None:
    if caretaker is None:
        return
    if not Membership.objects.filter(
        user=caretaker, programme=programme, role=Role.CARETAKER
    ).exists():
        raise DomainError(
            _("%(user)s is not a social caretaker of this programme.") % {"user": caretaker},
            field="caretaker",
        )


def condominium_create(*, actor, programme: Programme, **fields) -> SocialCondominium:
    """Register a social condominium, with its caretaker if there is one already."""
    with transaction.atomic():
        condominium = SocialCondominium(programme=programme)
        apply_changes(condominium, fields, CONDOMINIUM_FIELDS)
        _check_caretaker(programme, condominium.caretaker)
        clean_or_refuse(condominium)
        condominium.save()
        audit_write(actor=actor, obj=condominium, verb="created")
        return condominium


def condominium_update(*, actor, condominium: SocialCondominium, **fields) -> SocialCondominium:
    """Change a condominium's details or its caretaker."""
    with transaction.atomic():
        condominium = SocialCondominium.objects.select_for_update().get(pk=condominium.pk)
        changes = apply_changes(condominium, fields, CONDOMINIUM_FIELDS)
        if not changes:
            return condominium
        if "caretaker" in changes:
            _check_caretaker(condominium.programme, condominium.caretaker)
        if "municipality" in changes and condominium.flats.exists():
            raise DomainError(
                _("The condominium has flats: its municipality cannot change."),
                field="municipality",
            )
        clean_or_refuse(condominium)
        condominium.save(update_fields=list(changes))
        audit_write(actor=actor, obj=condominium, verb="updated", data={"changes": changes})
        return condominium


def cohousing_create(*, actor, dwelling: Dwelling, **fields) -> Cohousing:
    """Turn a dwelling into a cohousing with a number of places."""
    with transaction.atomic():
        dwelling = Dwelling.objects.select_for_update().get(pk=dwelling.pk)
        if Cohousing.objects.filter(dwelling=dwelling).exists():
            raise DomainError(_("This dwelling is already a cohousing."), field="dwelling")
        cohousing = Cohousing(dwelling=dwelling)
        apply_changes(cohousing, fields, COHOUSING_FIELDS)
        clean_or_refuse(cohousing)
        cohousing.save()
        audit_write(actor=actor, obj=cohousing, verb="created")
        return cohousing


def _check_places_held(cohousing: Cohousing) -> None:
    """Refuse fewer places than the households living there or moving in hold."""
    holders = dwelling_occupants([cohousing.dwelling_id]).get(cohousing.dwelling_id, [])
    highest = max((o.place_number for o in holders), default=0)
    if cohousing.places >= max(highest, len(holders)):
        return
    living = sum(1 for o in holders if o.living_there)
    raise DomainError(
        _(
            "Households living here: %(living)s, moving in: %(moving)s, up to place "
            "%(highest)s: the cohousing needs at least %(highest)s places, not %(places)s."
        )
        % {
            "living": living,
            "moving": len(holders) - living,
            "highest": max(highest, len(holders)),
            "places": cohousing.places,
        },
        field="places",
    )


def cohousing_update(*, actor, cohousing: Cohousing, **fields) -> Cohousing:
    """Change a cohousing's places or house agreement.

    Never fewer places than those held by households living there or accepted to move in: the
    dwelling is locked first, as the placement services do, so no placement slips in meanwhile.
    """
    with transaction.atomic():
        Dwelling.objects.select_for_update().get(pk=cohousing.dwelling_id)
        cohousing = Cohousing.objects.select_for_update().get(pk=cohousing.pk)
        changes = apply_changes(cohousing, fields, COHOUSING_FIELDS)
        if not changes:
            return cohousing
        clean_or_refuse(cohousing)
        if "places" in changes:
            _check_places_held(cohousing)
        cohousing.save(update_fields=list(changes))
        audit_write(actor=actor, obj=cohousing, verb="updated", data={"changes": changes})
        return cohousing


def cohousing_costs_set(*, actor, cohousing: Cohousing, total) -> Cohousing:
    """Set the monthly shared costs, split in equal parts between the households living there.

    The split itself is computed when read (`housing.selectors.cohousing_cost_shares`), so it
    follows every move in and out; the total must be a finite amount within bounds.
    """
    try:
        amount = Decimal(str(getattr(total, "amount", total)))
    except (InvalidOperation, ValueError):
        amount = Decimal("NaN")
    if not amount.is_finite():
        raise DomainError(_("The total is not an amount in euros."), field="total")
    if amount < 0 or amount > SHARED_COSTS_MAX:
        raise DomainError(
            _("The total must be between 0 and %(max)s euros.") % {"max": SHARED_COSTS_MAX},
            field="total",
        )
    total = eur(amount)
    with transaction.atomic():
        cohousing = Cohousing.objects.select_for_update().get(pk=cohousing.pk)
        before = cohousing.shared_costs_total
        if before == total:
            return cohousing
        cohousing.shared_costs_total = total
        cohousing.save(update_fields=["shared_costs_total", "shared_costs_total_currency"])
        audit_write(
            actor=actor,
            obj=cohousing,
            verb="costs_split",
            data={"before": str(before.amount), "total": str(total.amount)},
        )
        return cohousing
