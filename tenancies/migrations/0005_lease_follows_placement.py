"""Leases follow placements; a final arrears case (cured or escalated) never blocks a new one.

The data step links each existing lease to its household's placement in the same dwelling
(accepted or active first, then the latest), where one exists. A lease left without one, or
a second active lease on one placement, is left for `check_integrity` to list: the migration
never guesses a placement.
"""

import django.db.models.deletion
import django_fsm
from django.conf import settings
from django.db import migrations, models

PLACEMENT_PREFERENCE = {"active": 0, "accepted": 1, "ended": 2}


def link_leases_to_placements(apps, schema_editor):
    Lease = apps.get_model("tenancies", "Lease")
    Placement = apps.get_model("tenancies", "Placement")
    taken = set()  # placements that already have an active lease
    for lease in Lease.objects.filter(placement__isnull=True).order_by("pk").iterator():
        candidates = sorted(
            Placement.objects.filter(
                household_id=lease.household_id,
                dwelling_id=lease.dwelling_id,
                status__in=list(PLACEMENT_PREFERENCE),
            ),
            key=lambda p: (PLACEMENT_PREFERENCE[p.status], -p.pk),
        )
        for placement in candidates:
            if lease.status == "active" and placement.pk in taken:
                continue
            Lease.objects.filter(pk=lease.pk).update(placement_id=placement.pk)
            if lease.status == "active":
                taken.add(placement.pk)
            break


class Migration(migrations.Migration):
    dependencies = [
        ("common", "0001_initial"),
        ("housing", "0002_stock"),
        ("tenancies", "0004_eviction"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="arrearscase",
            name="arrearscase_one_open_per_lease",
        ),
        migrations.AddField(
            model_name="lease",
            name="placement",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="leases",
                to="tenancies.placement",
                verbose_name="placement",
            ),
        ),
        migrations.AlterField(
            model_name="lease",
            name="status",
            field=django_fsm.FSMField(
                choices=[
                    ("draft", "Draft"),
                    ("active", "Active"),
                    ("ended", "Ended"),
                    ("terminated", "Terminated early"),
                    ("evicted", "Ended by eviction"),
                    ("withdrawn", "Withdrawn before signing"),
                ],
                default="draft",
                max_length=20,
                protected=True,
                verbose_name="status",
            ),
        ),
        migrations.AddConstraint(
            model_name="arrearscase",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ["cured", "escalated"]), _negated=True),
                fields=("lease",),
                name="arrearscase_one_open_per_lease",
            ),
        ),
        migrations.AddConstraint(
            model_name="lease",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "active")),
                fields=("placement",),
                name="lease_one_active_per_placement",
                violation_error_message="This placement already has an active lease.",
            ),
        ),
        # Last, so no schema change follows the data change (PostgreSQL deferred FK checks).
        migrations.RunPython(link_leases_to_placements, migrations.RunPython.noop),
    ]
