"""Personal data of households: who looked at it, a copy for the household (GDPR art. 15/20),
and pseudonymisation once the programme's retention period is over (art. 5.1.e).

Households live in tenancies, so privacy lives here too. The fund knows tenancies but not the
other way round: it adds its own rows to an export, and its own reasons to keep a household's
data, through the registry in `registry.py` (see fund/privacy.py).
"""
