"""The REST API for landlords and estate agencies (Django REST Framework, OpenAPI 3 by
drf-spectacular): their guarantees, leases and claims, filing a claim, and the public check of a
guarantee certificate. The same selectors and services as the landlord's pages, so the same
scoping (another landlord's object is a 404) and the same rules (claim_submit)."""
