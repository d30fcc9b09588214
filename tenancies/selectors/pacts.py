"""Reads about support pacts, and the facts a signed pact's PDF shows."""

import json
from datetime import date

from django.core.serializers.json import DjangoJSONEncoder
from django.shortcuts import get_object_or_404

from tenancies.models import Member, PactCommitment, SupportPact


def pact_get(*, household, pk) -> SupportPact:
    return get_object_or_404(
        household.pacts.select_related("signed_by_operator", "household__programme"), pk=pk
    )


def pacts_for(*, household):
    return household.pacts.prefetch_related("commitments").order_by("-starts_on", "-pk")


def pact_pdf_facts(*, pact: SupportPact) -> dict:
    """Everything the signed pact's PDF prints, as plain values: the renderer reads nothing else."""
    household = pact.household
    members = list(household.members.all())
    reference = next((m for m in members if m.relation == Member.Relation.REFERENCE), None)
    commitments = list(pact.commitments.all())
    operator = pact.signed_by_operator
    return {
        "programme": household.programme.name,
        "lead_organisation": household.programme.lead_organisation,
        "household": household.name,
        "reference": str(reference) if reference else household.name,
        "reference_cf": reference.codice_fiscale if reference else "",
        "address": ", ".join(p for p in (household.address, household.municipality) if p),
        "members": [
            {"name": str(m), "relation": m.get_relation_display(), "birth_date": m.birth_date}
            for m in members
        ],
        "goal": pact.goal,
        "starts_on": pact.starts_on,
        "ends_on": pact.ends_on,
        "review_every_months": pact.review_every_months,
        "household_commitments": [
            {"text": c.description, "due_on": c.due_on, "hours": c.hours}
            for c in commitments
            if c.party == PactCommitment.Party.HOUSEHOLD
        ],
        "programme_commitments": [
            {"text": c.description, "due_on": c.due_on, "hours": c.hours}
            for c in commitments
            if c.party == PactCommitment.Party.PROGRAMME
        ],
        "signed_on": pact.signed_on,
        "signed_at_place": pact.signed_at_place,
        "signed_by_household": pact.signed_by_household,
        "signed_by_operator": (operator.get_full_name() or operator.get_username())
        if operator
        else "",
        "pact_number": f"{household.programme.slug.upper()}-P{pact.pk:05d}",
    }


# The dates in the facts, stored as ISO strings in the snapshot.
_FACT_DATES = ("starts_on", "ends_on", "signed_on")
_LIST_DATES = {
    "members": "birth_date",
    "household_commitments": "due_on",
    "programme_commitments": "due_on",
}


def pact_facts_freeze(facts: dict) -> dict:
    """The facts as plain JSON, to keep on the signed pact."""
    return json.loads(json.dumps(facts, cls=DjangoJSONEncoder))


def _thaw_date(value):
    return date.fromisoformat(value) if isinstance(value, str) and value else value


def pact_signed_facts(*, pact: SupportPact) -> dict:
    """The facts of the pact as it was signed (its snapshot), with their dates back as dates.
    A pact signed before snapshots were kept has none: its live facts are the best there is
    (the integrity check `pact_signed_has_snapshot` lists those)."""
    if pact.signed_facts is None:
        return pact_pdf_facts(pact=pact)
    facts = dict(pact.signed_facts)
    for key in _FACT_DATES:
        facts[key] = _thaw_date(facts.get(key))
    for key, date_key in _LIST_DATES.items():
        facts[key] = [
            {**row, date_key: _thaw_date(row.get(date_key))} for row in facts.get(key, [])
        ]
    return facts
