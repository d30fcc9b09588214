"""The housing stock: landlords and their agreements, dwellings, condominiums, cohousing."""

from housing.models.caretaking import CaretakerNote
from housing.models.landlords import Landlord, LandlordAgreement, LeaseType
from housing.models.payees import PayeeChange
from housing.models.stock import (
    Cohousing,
    Dwelling,
    EnergyClass,
    SocialCondominium,
)

__all__ = [
    "CaretakerNote",
    "Cohousing",
    "Dwelling",
    "EnergyClass",
    "Landlord",
    "LandlordAgreement",
    "LeaseType",
    "PayeeChange",
    "SocialCondominium",
]
