"""What housing learns about who lives in its dwellings (it never imports tenancies)."""

from collections import defaultdict

from housing.selectors import Occupant
from tenancies.models import Placement


def place_holders(dwelling_ids: list[int]) -> dict[int, list[Occupant]]:
    """{dwelling_id: households with an accepted or active placement there}, in one query:
    housing's occupants provider (cohousing cost splits, resizing)."""
    rows = (
        Placement.objects.holding_a_place()
        .filter(dwelling_id__in=dwelling_ids)
        .values_list("dwelling_id", "household_id", "household__name", "place_number", "status")
        .order_by("dwelling_id", "place_number", "pk")
    )
    found = defaultdict(list)
    for dwelling_id, household_id, name, place_number, status in rows:
        found[dwelling_id].append(
            Occupant(
                household_id=household_id,
                name=name,
                place_number=place_number,
                living_there=status == Placement.Status.ACTIVE,
            )
        )
    return dict(found)
