"""The demo data keeps every rule of the lifecycle: `check_integrity` on `seed_demo` is clean.

One test, so the (slow) demo is seeded once per run: ~5 minutes under load on a 2-core
machine, most of it the demo builders themselves.
"""

import pytest
from django.core.management import call_command

from common.integrity import integrity_run
from common.models import Task


@pytest.mark.django_db
def test_seed_demo_passes_every_integrity_check():
    call_command("seed_demo", verbosity=0)
    violations = integrity_run()
    assert violations == [], [(v.check, v.label, v.message) for v in violations]
    # Its paid claims went the whole way: a SEPA file, then the fund's statement.
    from fund.models import Claim

    paid = Claim.objects.filter(status=Claim.Status.PAID)
    assert paid.exists() and not paid.filter(statement_line__isnull=True).exists()
    # The operators' inboxes start full: the demo's open duties are tasks.
    kinds = set(Task.objects.open().values_list("kind", flat=True))
    assert {"arrears_action", "eviction_deadline", "pact_review"} <= kinds, kinds
