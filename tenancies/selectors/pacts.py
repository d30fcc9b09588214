"""Reads about support pacts, and the facts a signed pact's PDF shows."""

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
