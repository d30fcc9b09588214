"""Writes of reporting: the targets a fund administrator sets for the programme, and the
reports to its funders."""

import logging
import secrets

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from common.audit import audit_record
from common.exceptions import DomainError
from reporting.indicators import INDICATORS
from reporting.models import FunderReport, Target

log = logging.getLogger(__name__)

TARGET_FIELDS = ("indicator", "value", "period_start", "period_end", "source")


def _clean(target: Target) -> None:
    if target.indicator not in INDICATORS:
        raise DomainError(_("Unknown indicator."), field="indicator")
    try:
        target.full_clean()
    except ValidationError as error:
        field, errors = next(iter(error.message_dict.items()))
        raise DomainError(errors[0], field=None if field == NON_FIELD_ERRORS else field) from error


def target_create(*, actor, programme, **fields) -> Target:
    """Set a target for one indicator and period; refused if the indicator is unknown, the
    period reversed or the same indicator already has a target for that period."""
    with transaction.atomic():
        target = Target(programme=programme, **{k: fields[k] for k in TARGET_FIELDS})
        _clean(target)
        target.save()
        audit_record(actor=actor, programme=programme, target=target, verb="created")
        return target


def target_update(*, actor, target: Target, **fields) -> Target:
    """Change a target; records the fields that changed (nothing is written if none did)."""
    with transaction.atomic():
        target = Target.objects.select_for_update().get(pk=target.pk)
        changes = {}
        for name in TARGET_FIELDS:
            if name in fields and getattr(target, name) != fields[name]:
                changes[name] = [str(getattr(target, name)), str(fields[name])]
                setattr(target, name, fields[name])
        if not changes:
            return target
        _clean(target)
        target.save(update_fields=list(changes))
        audit_record(
            actor=actor,
            programme=target.programme,
            target=target,
            verb="updated",
            data={"changes": changes},
        )
        return target


# --- funder reports ------------------------------------------------------------------------

REPORT_PROGRESS = "funder-reports"
REPORT_FIELDS = ("title", "period_start", "period_end", *FunderReport.SECTIONS)


def funder_report_request(*, actor, programme, **fields) -> FunderReport:
    """Queue a funder report for a period with the narrative written for it: the next version
    for that programme and period (earlier versions stay as they are); built by a task once
    committed."""
    from common.models import Programme
    from reporting.tasks import funder_report_build_task

    with transaction.atomic():
        # Versions are numbered under the programme's lock: two requests never share one.
        Programme.objects.select_for_update().get(pk=programme.pk)
        last = (
            FunderReport.objects.filter(
                programme=programme,
                period_start=fields["period_start"],
                period_end=fields["period_end"],
            )
            .order_by("-version")
            .values_list("version", flat=True)
            .first()
        )
        report = FunderReport(
            programme=programme,
            version=(last or 0) + 1,
            created_by=actor,
            **{name: fields.get(name, "") for name in REPORT_FIELDS},
        )
        if not report.title.strip():
            raise DomainError(_("Give the report a title."), field="title")
        try:
            report.full_clean(exclude=["pdf", "figures"])
        except ValidationError as error:
            field, errors = next(iter(error.message_dict.items()))
            raise DomainError(
                errors[0], field=None if field == NON_FIELD_ERRORS else field
            ) from error
        report.save()
        audit_record(
            actor=actor,
            programme=programme,
            target=report,
            verb="created",
            data={
                "version": report.version,
                "period": [report.period_start.isoformat(), report.period_end.isoformat()],
            },
        )
        transaction.on_commit(lambda: funder_report_build_task.enqueue(report_id=report.pk))
    return report


def funder_report_build(*, report_id: int) -> FunderReport:
    """Build a queued report: freeze its figures, render the PDF from them and store it, with
    progress the page follows. Safe to repeat: a report another worker took, or built, is
    left alone; a failure is recorded, never a report stuck building."""
    from django.core.files.base import ContentFile

    from common import progress
    from reporting.funder_report import STEPS, report_facts, report_pdf_render

    claimed = FunderReport.objects.filter(pk=report_id, status=FunderReport.Status.QUEUED).update(
        status=FunderReport.Status.RUNNING, started_at=timezone.now()
    )
    report = FunderReport.objects.select_related("programme").get(pk=report_id)
    if not claimed:
        return report
    tracker = progress.Tracker(REPORT_PROGRESS, report.pk, total=len(STEPS))

    def step(name):
        tracker.update(done=STEPS.index(name) + 1)

    try:
        report.figures = report_facts(
            programme=report.programme,
            start=report.period_start,
            end=report.period_end,
            step=step,
        )
        content, pages = report_pdf_render(report=report)
        step("pdf")
        name = f"rapporto-{report.programme.slug}-{report.period_end:%Y%m%d}-v{report.version}"
        report.pdf.save(f"{name}-{secrets.token_hex(8)}.pdf", ContentFile(content), save=False)
        step("store")
        fields = {
            "status": FunderReport.Status.DONE,
            "figures": report.figures,
            "pdf": report.pdf.name,
            "pages": pages,
        }
    except Exception:  # the page says it failed, instead of spinning for ever
        log.exception("Funder report %s failed", report_id)
        with translation.override("it"):
            fields = {
                "status": FunderReport.Status.FAILED,
                "error": _("The report could not be built: request it again."),
            }
    FunderReport.objects.filter(pk=report.pk).update(**fields, finished_at=timezone.now())
    progress.progress_clear(REPORT_PROGRESS, report.pk)
    report.refresh_from_db()
    return report
