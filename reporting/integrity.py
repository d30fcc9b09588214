"""Reporting's invariants, as named checks over the whole database (see common.integrity)."""

from django.utils.translation import gettext_lazy as _

from common.integrity import Violation, integrity_check
from reporting.indicators import INDICATORS
from reporting.models import Target


@integrity_check(
    "target_names_an_indicator",
    _("Every target names an indicator the application computes."),
)
def target_names_an_indicator():
    for target in Target.objects.exclude(indicator__in=list(INDICATORS)).order_by("pk"):
        yield Violation(target, _("The target names no known indicator."))
