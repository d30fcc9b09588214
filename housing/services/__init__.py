"""Services of the housing app: every write about the housing stock goes through these."""

from housing.services.agreements import (
    agreement_activate,
    agreement_attach_document,
    agreement_create,
    agreement_resume,
    agreement_suspend,
    agreement_terminate,
    agreement_transition,
    agreement_update,
)
from housing.services.caretaking import caretaker_alert_handle, caretaker_note_create
from housing.services.landlords import landlord_create, landlord_link_user, landlord_update
from housing.services.payees import (
    payee_change_approve,
    payee_change_propose,
    payee_change_reject,
)
from housing.services.stock import (
    cohousing_costs_set,
    cohousing_create,
    cohousing_update,
    condominium_create,
    condominium_update,
    dwelling_create,
    dwelling_update,
)

__all__ = [
    "agreement_activate",
    "agreement_attach_document",
    "agreement_create",
    "agreement_resume",
    "agreement_suspend",
    "agreement_terminate",
    "agreement_transition",
    "agreement_update",
    "caretaker_alert_handle",
    "caretaker_note_create",
    "cohousing_costs_set",
    "cohousing_create",
    "cohousing_update",
    "condominium_create",
    "condominium_update",
    "dwelling_create",
    "dwelling_update",
    "landlord_create",
    "landlord_link_user",
    "landlord_update",
    "payee_change_approve",
    "payee_change_propose",
    "payee_change_reject",
]
