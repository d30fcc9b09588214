"""One chronological page per household: its audit events, filterable by kind."""

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from common.audit import audit_timeline
from tenancies.models import (
    ArrearsCase,
    Assessment,
    Enrollment,
    EvictionCase,
    Household,
    HouseholdDocument,
    Lease,
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
# Enrolment and pact transitions read through the models' own `audit_verbs`.
VERB_LABELS = {
    "referred": _("referred"),
    "caseload_reassigned": _("caseload handed over to another operator"),
    "household_updated": _("details changed"),
    "exported": _("personal data exported"),
    "pseudonymised": _("personal data pseudonymised"),
    "member_added": _("member added"),
    "member_updated": _("member changed"),
    "pact_drafted": _("pact drafted"),
    "pact_updated": _("pact changed"),
    "commitment_added": _("commitment added"),
    "commitment_removed": _("commitment removed"),
    "document_uploaded": _("document uploaded"),
    "policy_updated": _("eligibility rules changed"),
    "calendar_token_issued": _("calendar link issued"),
    "calendar_token_revoked": _("calendar link revoked"),
    "unpaid_reported": _("unpaid rent reported by the landlord"),
}
# Other transitions, past tense; their names repeat on other models ("activate", "resume"), so
# each is registered for its own model.
MODEL_VERB_LABELS = {
    Lease: {
        "activate": _("lease started"),
        "end": _("lease ended at expiry"),
        "terminate": _("lease terminated early"),
        "record_eviction": _("eviction recorded"),
    },
    ArrearsCase: {
        "agree_plan": _("repayment plan agreed"),
        "claim": _("guarantee claimed"),
        "escalate": _("passed to eviction prevention"),
    },
    EvictionCase: {
        "serve_summons": _("summons recorded"),
        "start_mediation": _("mediation with the landlord started"),
        "settle": _("settlement recorded"),
        "close_prevented": _("closed: eviction prevented"),
    },
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
