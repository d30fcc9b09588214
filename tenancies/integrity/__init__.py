"""The tenancies invariants, as named checks over the whole database (see common.integrity).

One module per topic; importing the package registers them all (TenanciesConfig.ready).
"""

from tenancies.integrity import (  # noqa: F401 - registers the checks
    eviction,
    households,
    leases,
    privacy,
)
