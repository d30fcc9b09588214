"""One chronological page per household: its audit events, filterable by kind."""

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from common.audit import audit_timeline
from tenancies.models import (
    Assessment,
    Enrollment,
    Household,
    HouseholdDocument,
    Member,
    PactCommitment,
    PactReview,
    SupportPact,
)

TIMELINE_KINDS = {
    "household": (_("Household and members"), (Household, Member)),
    "enrollment": (_("Enrolment and eligibility"), (Enrollment, Assessment)),
    "pact": (_("Support pact"), (SupportPact, PactCommitment, PactReview)),
    "document": (_("Documents"), (HouseholdDocument,)),
}

# How the households' own verbs read on every timeline (registered in TenanciesConfig.ready).
# Transition verbs ("enrol", "sign", "complete"…) are no household's alone: they read through
# the model's `audit_verbs` (Enrollment, SupportPact), so a landlord agreement's "resume" is
# not shown as a pact's.
VERB_LABELS = {
    "referred": _("referred"),
    "household_updated": _("details changed"),
    "member_added": _("member added"),
    "member_updated": _("member changed"),
    "policy_updated": _("eligibility rules changed"),
    "pact_drafted": _("pact drafted"),
    "pact_updated": _("pact changed"),
    "commitment_added": _("commitment added"),
    "commitment_removed": _("commitment removed"),
    "document_uploaded": _("document uploaded"),
}


def household_timeline(*, household, kind: str = ""):
    """The household's events, newest first; `kind` keeps one family of objects."""
    events = audit_timeline(household)
    if kind in TIMELINE_KINDS:
        models = TIMELINE_KINDS[kind][1]
        types = ContentType.objects.get_for_models(*models).values()
        events = events.filter(target_type__in=[t.pk for t in types])
    events = list(events)
    kind_of_type = {}
    for key, (_label, models) in TIMELINE_KINDS.items():
        for content_type in ContentType.objects.get_for_models(*models).values():
            kind_of_type[content_type.pk] = key
    for event in events:
        event.kind = kind_of_type.get(event.target_type_id, "")
    return events
