"""Bulk history for the monthly-run benchmark: N active leases with `months` of dues, each
paid in full on time except for about 5% of leases, which stopped paying two months ago.
Rows are inserted in bulk (this is set-up, not the code under test)."""

from datetime import date

from benchmarks.bulk import BATCH, rent_history_bulk
from common.models import Programme
from common.money import eur
from housing.models import Dwelling, Landlord, LeaseType
from tenancies.models import Household, Lease
from tenancies.rent.arrears import add_months


def build_history(*, leases: int, months: int, first_month: date):
    programme = Programme.objects.create(
        name="Benchmark", slug="benchmark", municipalities=["Montichiari"]
    )
    landlord = Landlord.objects.create(
        programme=programme, name="Benchmark", tax_code="00743110157"
    )
    dwelling = Dwelling.objects.create(
        programme=programme,
        landlord=landlord,
        address="Via Roma 1",
        municipality="Montichiari",
        rooms=3,
        size_m2=70,
        rent=eur("500"),
        service_charges=eur("50"),
    )
    month_list = [add_months(first_month, i) for i in range(months)]
    for start in range(0, leases, BATCH):
        size = min(BATCH, leases - start)
        households = Household.objects.bulk_create(
            Household(
                programme=programme,
                name=f"Nucleo {start + i}",
                municipality="Montichiari",
                consent_given_on=first_month,
                consent_version="1",
            )
            for i in range(size)
        )
        lease_rows = Lease.objects.bulk_create(
            Lease(
                programme=programme,
                household=h,
                landlord=landlord,
                dwelling=dwelling,
                lease_type=LeaseType.CONCORDATO_3_2,
                start_date=first_month,
                end_date=add_months(first_month, 36),
                rent=eur("500"),
                service_charges=eur("50"),
                due_day=5,
                status=Lease.Status.ACTIVE,
            )
            for h in households
        )
        # About 5% of leases stopped paying two months ago.
        rent_history_bulk(
            leases=lease_rows,
            months_of=lambda lease: month_list,
            unpaid_from=lambda lease: month_list[-2] if lease.pk % 20 == 0 else None,
        )
        print(f"  set-up: {start + size} / {leases} leases", flush=True)
