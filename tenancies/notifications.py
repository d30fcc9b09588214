"""What tenancies tells operators: arrears cases the monthly run opened for their families, and
(housing's alerts) who follows the families living in a social condominium's flats.

Messages name no family (a mailbox is not the place for it): they say how many cases and link
to the arrears desk, where the operator reads them.
"""

from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.models import Membership
from common.notifications.kinds import kind_register
from common.notifications.services import Message, notify_each
from common.roles import Role

ARREARS_OPENED = "arrears_opened"


def register() -> None:
    kind_register(ARREARS_OPENED, _("Arrears cases opened for your families"), (Role.OPERATOR,))
    from housing.notifications import set_alert_followers_provider

    set_alert_followers_provider(alert_followers)


def alert_followers(
    *, programme_id: int, condominium_id: int, dwelling_id: int | None
) -> list[int]:
    """The operators (still operators of the programme) assigned to the households placed in
    the flat, or in any flat of the condominium, or holding an active lease there."""
    from housing.models import Dwelling
    from tenancies.models import Household, Lease, Placement

    if dwelling_id:
        dwellings = [dwelling_id]
    else:
        dwellings = Dwelling.objects.filter(condominium_id=condominium_id).values("pk")
    placed = Placement.objects.holding_a_place().filter(dwelling__in=dwellings)
    leased = Lease.objects.filter(status=Lease.Status.ACTIVE, dwelling__in=dwellings)
    households = Household.objects.filter(
        pk__in=placed.values("household_id")
    ) | Household.objects.filter(pk__in=leased.values("household_id"))
    return sorted(
        set(
            households.filter(
                operator__memberships__programme_id=programme_id,
                operator__memberships__role=Role.OPERATOR,
            )
            .order_by()
            .values_list("operator_id", flat=True)
        )
    )


def arrears_opened_notify(*, cases) -> None:
    """Tell each case's owner how many of their families' cases the run opened, in one message;
    cases of families with no operator go to the programme's operators. Constant queries."""
    owned = defaultdict(int)
    unowned = defaultdict(int)
    for case in cases:
        if case.owner_id:
            owned[(case.programme_id, case.owner_id)] += 1
        else:
            unowned[case.programme_id] += 1
    operators = defaultdict(list)
    if unowned:
        for programme_id, user_id in Membership.objects.filter(
            programme_id__in=list(unowned), role=Role.OPERATOR
        ).values_list("programme_id", "user_id"):
            operators[programme_id].append(user_id)
    link = reverse("tenancies:arrears_dashboard")
    messages = [
        Message(
            recipients=[owner_id],
            kind=ARREARS_OPENED,
            context={"count": count, "unassigned": False},
            programme=programme_id,
            link=link,
        )
        for (programme_id, owner_id), count in sorted(owned.items())
    ]
    messages += [
        Message(
            recipients=operators[programme_id],
            kind=ARREARS_OPENED,
            context={"count": count, "unassigned": True},
            programme=programme_id,
            link=link,
        )
        for programme_id, count in sorted(unowned.items())
    ]
    notify_each(messages)
