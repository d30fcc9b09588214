"""Reading landlords' reports of unpaid rent."""

from datetime import date

from django.utils import timezone

from tenancies.models import Lease, UnpaidRentReport


def unpaid_reportable_months(*, lease: Lease, today: date | None = None) -> list[date]:
    """The lease's months already due (by the rent ledger's dues) and not reported yet,
    newest first: what its landlord may report unpaid."""
    today = today or timezone.localdate()
    reported = lease.unpaid_reports.values_list("month", flat=True)
    return list(
        lease.dues.filter(due_date__lte=today)
        .exclude(month__in=reported)
        .order_by("-month")
        .values_list("month", flat=True)
    )


def lease_unpaid_reports(*, lease: Lease):
    """What the landlord reported on `lease`, newest first, with who reported it."""
    return UnpaidRentReport.objects.filter(lease=lease).select_related("reported_by")
