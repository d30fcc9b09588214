"""Fill Payment.allocated_in_full for the payments already allocated in full (their
allocations add up to their amount), as tenancies.services.payments._allocate does from now
on. Data only; the column comes in 0026."""

from decimal import Decimal

from django.db import migrations
from django.db.models import DecimalField, ExpressionWrapper, F, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

MONEY = DecimalField(max_digits=14, decimal_places=2)


def fill(apps, schema_editor):
    Payment = apps.get_model("tenancies", "Payment")
    Allocation = apps.get_model("tenancies", "Allocation")
    of_payment = Allocation.objects.filter(payment=OuterRef("pk")).values("payment")
    allocated = Subquery(
        of_payment.annotate(total=Sum("amount")).values("total")[:1], output_field=MONEY
    )
    Payment.objects.annotate(
        left=ExpressionWrapper(F("amount") - Coalesce(allocated, Decimal("0")), MONEY)
    ).filter(left__lte=Decimal("0.005")).update(allocated_in_full=True)


class Migration(migrations.Migration):
    dependencies = [("tenancies", "0026_payment_allocated_in_full")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
