"""Demo housing stock for a programme."""

from common.roles import Role
from housing.models import Landlord


def seed(demo):
    # Each landlord login acts for one agency, so the landlord pages have something to show.
    for index, user in enumerate(demo.users.get(Role.LANDLORD, [])):
        landlord = Landlord.objects.create(
            programme=demo.programme,
            kind=Landlord.Kind.AGENCY if index == 0 else Landlord.Kind.PERSON,
            name=f"{user.last_name} Immobiliare",
        )
        landlord.users.add(user)
