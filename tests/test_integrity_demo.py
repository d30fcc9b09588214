"""The demo data keeps every rule of the lifecycle: `check_integrity` on `seed_demo` is clean.

One test, so the (slow) demo is seeded once per run: ~5 minutes under load on a 2-core
machine, most of it the demo builders themselves.
"""

import pytest
from django.core.management import call_command

from common.exceptions import DomainError
from common.integrity import integrity_run


@pytest.mark.django_db
@pytest.mark.xfail(
    raises=DomainError,
    strict=True,
    reason=(
        "seed_demo stops on a service refusal in the tenancies demo: an 'overdue' pact is "
        "signed 100 days ago even when its household was enrolled later (tenancies/demo.py "
        "_pact), and a settled eviction case splits arrears_at_opening of 0 € "
        "(tenancies/demo_evictions.py _walk_eviction); remove once the demo is fixed"
    ),
)
def test_seed_demo_passes_every_integrity_check():
    call_command("seed_demo", verbosity=0)
    violations = integrity_run()
    assert violations == [], [(v.check, v.label, v.message) for v in violations]
