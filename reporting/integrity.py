"""Reporting's invariants, as named checks over the whole database (see common.integrity)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from common.integrity import Violation, integrity_check
from reporting.indicators import INDICATORS
from reporting.models import FunderReport, Target


@integrity_check(
    "target_names_an_indicator",
    _("Every target names an indicator the application computes."),
)
def target_names_an_indicator():
    for target in Target.objects.exclude(indicator__in=list(INDICATORS)).order_by("pk"):
        yield Violation(target, _("The target names no known indicator."))


@integrity_check(
    "funder_report_ready_has_its_pdf",
    _("Every funder report marked ready keeps its PDF and the figures it was built from."),
)
def funder_report_ready_has_its_pdf():
    ready = FunderReport.objects.filter(status=FunderReport.Status.DONE)
    for report in ready.filter(models.Q(pdf="") | models.Q(figures={})).order_by("pk"):
        yield Violation(report, _("The report is marked ready but has no PDF or no figures."))
