"""Forms of the tenancies app, by topic."""

from tenancies.forms.households import *  # noqa: F403 - the households forms keep their import path
from tenancies.forms.leases import (
    ContactForm,
    DatedNoteForm,
    LeaseForm,
    PaymentForm,
    PlanForm,
)

__all__ = ["ContactForm", "DatedNoteForm", "LeaseForm", "PaymentForm", "PlanForm"]
