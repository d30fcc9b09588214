"""Fill RentDue.settled_on for the dues already paid in full: the latest paid_on among their
allocations, when those add up to the amount (as tenancies.services.payments.rent_dues_settle
does from now on). Data only; the column comes in 0024."""

from decimal import Decimal

from django.db import migrations
from django.db.models import DecimalField, ExpressionWrapper, F, Max, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

MONEY = DecimalField(max_digits=14, decimal_places=2)


def fill(apps, schema_editor):
    RentDue = apps.get_model("tenancies", "RentDue")
    Allocation = apps.get_model("tenancies", "Allocation")
    of_due = Allocation.objects.filter(due=OuterRef("pk")).values("due")
    paid = Subquery(of_due.annotate(total=Sum("amount")).values("total")[:1], output_field=MONEY)
    last = Subquery(of_due.annotate(last=Max("payment__paid_on")).values("last")[:1])
    RentDue.objects.annotate(
        outstanding=ExpressionWrapper(F("amount") - Coalesce(paid, Decimal("0")), MONEY)
    ).filter(outstanding__lte=Decimal("0.005")).update(settled_on=last)


class Migration(migrations.Migration):
    dependencies = [("tenancies", "0024_rent_due_settled_on")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
