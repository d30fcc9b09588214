"""Landlords report unpaid rent, month by month, before any claim: each report opens the
lease's arrears case or feeds the one already open, so the household's operator acts at once."""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.audit import audit_record
from common.exceptions import DomainError
from tenancies.models import Lease, UnpaidRentReport
from tenancies.selectors.unpaid_reports import unpaid_reportable_months
from tenancies.services.arrears import arrears_report_by_landlord


def unpaid_rent_report(
    *, actor, lease: Lease, months, note: str = "", today: date | None = None
) -> list[UnpaidRentReport]:
    """Record that `months` of `lease` were not paid, as its landlord says: months already due
    and not reported before; the arrears case is opened or fed in the same transaction."""
    today = today or timezone.localdate()
    months = sorted(set(months))
    if not months:
        raise DomainError(_("Say which months are unpaid."), field="months")
    note = (note or "").strip()
    with transaction.atomic():
        lease = Lease.objects.select_for_update().select_related("household").get(pk=lease.pk)
        if not lease.landlord.users.filter(pk=actor.pk).exists():
            raise DomainError(_("Only the lease's landlord may report its rent unpaid."))
        if lease.status not in Lease.IN_FORCE_STATES:
            raise DomainError(_("Unpaid rent can be reported only on a signed lease."))
        allowed = set(unpaid_reportable_months(lease=lease, today=today))
        if any(month not in allowed for month in months):
            raise DomainError(
                _("Some of the chosen months are not yet due or were reported already."),
                field="months",
            )
        case = arrears_report_by_landlord(actor=actor, lease=lease, months=months, note=note)
        reports = []
        for month in months:
            report = UnpaidRentReport(
                lease=lease, month=month, note=note, reported_by=actor, arrears_case=case
            )
            report.full_clean(validate_constraints=False)
            try:
                with transaction.atomic():
                    report.save()
            except IntegrityError as error:
                raise DomainError(
                    _("Some of the chosen months were reported already."), field="months"
                ) from error
            audit_record(
                actor=actor,
                programme=lease.programme,
                target=report,
                verb="unpaid_reported",
                note=note,
                context=lease.household,
                data={"month": month.isoformat(), "arrears_case": case.pk},
            )
            reports.append(report)
        return reports
