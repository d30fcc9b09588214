"""Writes about dwellings, social condominiums and cohousing."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from common.exceptions import DomainError
from common.models import Membership, Programme
from common.money import eur, split_by_weights
from common.roles import Role
from housing.models import Cohousing, CohousingCostLine, Dwelling, SocialCondominium
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
    "available",
    "available_from",
    "notes",
}
CONDOMINIUM_FIELDS = {"name", "address", "municipality", "caretaker", "notes"}
COHOUSING_FIELDS = {"name", "places", "max_people_per_place", "house_agreement"}


def _money_columns(changes) -> list[str]:
    money = {"rent", "service_charges", "shared_costs_total"}
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


def cohousing_update(*, actor, cohousing: Cohousing, **fields) -> Cohousing:
    """Change a cohousing's places or house agreement.

    Reducing places below those taken is refused by the placement code, which knows them.
    """
    with transaction.atomic():
        cohousing = Cohousing.objects.select_for_update().get(pk=cohousing.pk)
        changes = apply_changes(cohousing, fields, COHOUSING_FIELDS)
        if not changes:
            return cohousing
        clean_or_refuse(cohousing)
        cohousing.save(update_fields=list(changes))
        audit_write(actor=actor, obj=cohousing, verb="updated", data={"changes": changes})
        return cohousing


def cohousing_costs_set(*, actor, cohousing: Cohousing, total, shares: list) -> Cohousing:
    """Replace the monthly shared costs: `shares` is [(label, weight)]; amounts add up to total.

    Amounts come from `split_by_weights` (largest remainder), so no cent is lost or invented.
    """
    total = eur(total)
    if total.amount < 0:
        raise DomainError(_("The total cannot be negative."), field="total")
    cleaned = []
    for label, weight in shares:
        label = (label or "").strip()
        try:
            weight = Decimal(str(weight))
        except (InvalidOperation, ValueError):
            raise DomainError(
                _("The weight of “%(label)s” is not a number.") % {"label": label}, field="shares"
            ) from None
        if not label:
            raise DomainError(_("Every share needs a name."), field="shares")
        if weight < 0:
            raise DomainError(_("Weights cannot be negative."), field="shares")
        cleaned.append((label, weight))
    if not cleaned or sum(w for _label, w in cleaned) == 0:
        raise DomainError(_("Give at least one share with a weight above zero."), field="shares")
    amounts = split_by_weights(total, [w for _label, w in cleaned])
    with transaction.atomic():
        cohousing = Cohousing.objects.select_for_update().get(pk=cohousing.pk)
        before = str(cohousing.shared_costs_total)
        cohousing.cost_lines.all().delete()
        CohousingCostLine.objects.bulk_create(
            CohousingCostLine(
                cohousing=cohousing, label=label, weight=weight, amount=amount, position=index
            )
            for index, ((label, weight), amount) in enumerate(zip(cleaned, amounts, strict=True))
        )
        cohousing.shared_costs_total = total
        cohousing.save(update_fields=["shared_costs_total", "shared_costs_total_currency"])
        audit_write(
            actor=actor,
            obj=cohousing,
            verb="costs_split",
            data={
                "before": before,
                "total": str(total),
                "shares": [
                    [label, str(a.amount)] for (label, _w), a in zip(cleaned, amounts, strict=True)
                ],
            },
        )
        return cohousing
