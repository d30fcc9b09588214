"""Demo placements: most enrolled households live in a flat, a condominium flat or a
cohousing place (called by tenancies.demo.seed)."""

from datetime import timedelta

# Placements: most enrolled households live in a flat, a condominium flat or a cohousing
# place; a few proposals are pending, declined or ended. Cohousing first, in turn with flats.
PLACEMENT_PLAN = ["active"] * 6 + ["proposed", "accepted", "declined", "ended"]
PLACEMENT_KINDS = ["cohousing", "condominium", "dwelling"]


def seed_placements(rng, programme, today):
    from common.exceptions import DomainError
    from tenancies.models import Enrollment, Household, Placement
    from tenancies.selectors.placements import household_needs, placement_matches, places_free
    from tenancies.services import placements as services

    households = Household.objects.filter(
        programme=programme, enrollments__status=Enrollment.Status.ENROLLED
    ).order_by("pk")
    for index, household in enumerate(households):
        outcome = PLACEMENT_PLAN[index % len(PLACEMENT_PLAN)]
        wanted = PLACEMENT_KINDS[index % len(PLACEMENT_KINDS)]
        needs = household_needs(household=household)
        fits = placement_matches(household=household, **needs)
        fits = [v for v in fits if v.kind == wanted] or fits
        if not fits:
            continue
        vacancy = fits[0]
        operator = household.operator
        proposed_on = today - timedelta(days=rng.randint(40, 300))
        try:
            placement = services.placement_propose(
                actor=operator,
                household=household,
                dwelling=vacancy.dwelling,
                place_number=places_free(dwelling=vacancy.dwelling)[0],
                proposed_on=proposed_on,
                notes=rng.choice(["", "Vicino alla scuola dei figli.", "Piano terra, ascensore."]),
            )
            if outcome == "proposed":
                continue
            if outcome == "declined":
                services.placement_decline(
                    actor=operator,
                    placement=placement,
                    note=rng.choice(
                        [
                            "Troppo lontano dal lavoro.",
                            "Il nucleo ha trovato una soluzione in famiglia.",
                        ]
                    ),
                )
                continue
            services.placement_accept(actor=operator, placement=placement)
            if outcome == "accepted":
                continue
            starts_on = proposed_on + timedelta(days=rng.randint(7, 30))
            services.placement_activate(actor=operator, placement=placement, on=starts_on)
            if outcome == "ended":
                services.placement_end(
                    actor=operator,
                    placement=placement,
                    on=min(today, starts_on + timedelta(days=rng.randint(20, 120))),
                    reason=rng.choice([Placement.EndReason.AUTONOMY, Placement.EndReason.LEFT]),
                    note="Il nucleo ha lasciato l'alloggio.",
                )
        except DomainError:
            continue
