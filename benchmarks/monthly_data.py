"""Bulk history for the monthly-run benchmark: N active leases with `months` of dues, each
paid in full on time except for about 5% of leases, which stopped paying two months ago.
Rows are inserted in bulk (this is set-up, not the code under test)."""

from datetime import date
from decimal import Decimal

from common.models import Programme
from common.money import eur
from housing.models import Dwelling, Landlord, LeaseType
from tenancies.models import Allocation, Household, Lease, Payment, RentDue
from tenancies.rent.arrears import add_months, due_date_for

BATCH = 5000


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
        dues = RentDue.objects.bulk_create(
            RentDue(
                lease=lease,
                month=m,
                due_date=due_date_for(m, 5),
                amount=eur("550"),
                rent_part=eur("500"),
                charges_part=eur("50"),
            )
            for lease in lease_rows
            for m in month_list
        )
        behind = {lease.pk for lease in lease_rows if lease.pk % 20 == 0}
        paid_dues = [
            due for due in dues if not (due.lease_id in behind and due.month >= month_list[-2])
        ]
        payments = Payment.objects.bulk_create(
            Payment(
                programme=programme,
                lease_id=due.lease_id,
                amount=eur("550"),
                paid_on=due.due_date,
                method=Payment.Method.BANK_TRANSFER,
                payer=Payment.Payer.HOUSEHOLD,
            )
            for due in paid_dues
        )
        # Rent and service charges are settled apart (L. 392/1978 art. 5).
        Allocation.objects.bulk_create(
            (
                Allocation(payment=p, due=d, part=part, amount=eur(Decimal(amount)))
                for p, d in zip(payments, paid_dues, strict=True)
                for part, amount in (
                    (Allocation.Part.RENT, "500"),
                    (Allocation.Part.CHARGES, "50"),
                )
            ),
            batch_size=BATCH,
        )
        print(f"  set-up: {start + size} / {leases} leases", flush=True)
