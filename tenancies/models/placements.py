from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, FSMModelMixin, transition

from common import dates
from common.models import AuditedModel, ProgrammeQuerySet
from common.roles import is_programme_operator


class PlacementQuerySet(ProgrammeQuerySet):
    def active(self):
        return self.filter(status=Placement.Status.ACTIVE)

    def holding_a_place(self):
        """Accepted or active: the place is promised or taken, no one else may have it."""
        return self.filter(status__in=Placement.HOLDING_STATES)


class Placement(FSMModelMixin, AuditedModel):
    """A household into a dwelling: a whole flat, a condominium flat or one cohousing place."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", pgettext_lazy("placement status", "Proposed")
        ACCEPTED = "accepted", _("Accepted, moving in")
        DECLINED = "declined", _("Declined")
        ACTIVE = "active", _("Living there")
        ENDED = "ended", _("Ended")

    class Kind(models.TextChoices):
        FLAT = "flat", _("Flat")
        CONDOMINIUM_FLAT = "condominium_flat", _("Social condominium flat")
        COHOUSING_PLACE = "cohousing_place", _("Cohousing place")

    class EndReason(models.TextChoices):
        AUTONOMY = "autonomy", _("Moved to a home of their own")
        OTHER_PLACEMENT = "other_placement", _("Moved to another placement")
        LEFT = "left", _("Left of their own will")
        BREACH = "breach", _("Broke the house rules or the pact")
        LANDLORD = "landlord", _("The owner took the dwelling back")
        OTHER = "other", _("Other")

    HOLDING_STATES = (Status.ACCEPTED, Status.ACTIVE)
    OPEN_STATES = (Status.PROPOSED, Status.ACCEPTED, Status.ACTIVE)

    programme = models.ForeignKey(
        "common.Programme",
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name=_("programme"),
    )
    household = models.ForeignKey(
        "tenancies.Household",
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name=_("household"),
    )
    dwelling = models.ForeignKey(
        "housing.Dwelling",
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name=_("dwelling"),
    )
    place_number = models.PositiveSmallIntegerField(
        _("place"), default=1, help_text=_("1 for a whole flat; the place's number in a cohousing.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = FSMField(
        _("status"), default=Status.PROPOSED, choices=Status.choices, protected=True, max_length=20
    )
    plausible_dates = {"proposed_on": dates.EVENT, "starts_on": dates.EVENT, "ends_on": dates.EVENT}
    proposed_on = models.DateField(_("proposed on"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("proposed by"),
    )
    starts_on = models.DateField(_("moved in on"), null=True, blank=True)
    ends_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(
        _("end reason"), max_length=20, choices=EndReason.choices, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = PlacementQuerySet.as_manager()

    class Meta:
        ordering = ["-proposed_on", "-pk"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        constraints = [
            models.UniqueConstraint(
                fields=["dwelling", "place_number"],
                condition=models.Q(status="active"),
                name="placement_one_active_per_place",
                violation_error_message=_("Someone already lives in this place."),
            ),
            models.UniqueConstraint(
                fields=["household"],
                condition=models.Q(status="active"),
                name="placement_one_active_per_household",
                violation_error_message=_("The household already lives in a placement."),
            ),
            models.CheckConstraint(
                condition=models.Q(place_number__gte=1), name="placement_place_from_one"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="ended") | ~models.Q(end_reason=""),
                name="placement_end_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["active", "ended"])
                | models.Q(starts_on__isnull=False),
                name="placement_active_has_start",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="placement_ends_after_start",
            ),
        ]

    # Verbs with the model's name in them: transition names are global on the timelines.
    audit_verbs = {
        "placement_proposed": _("placement proposed"),
        "placement_accept": _("placement accepted"),
        "placement_decline": _("placement declined"),
        "placement_activate": _("moved in"),
        "placement_end": _("placement ended"),
    }

    def __str__(self):
        if self.kind == self.Kind.COHOUSING_PLACE:
            return str(
                _("%(dwelling)s, place %(number)s")
                % {"dwelling": self.dwelling, "number": self.place_number}
            )
        return str(self.dwelling)

    def programme_for_audit(self):
        return self.programme

    def get_absolute_url(self):
        return reverse("tenancies:placement_detail", args=[self.household_id, self.pk])

    def audit_context(self):
        return self.household

    def clean(self):
        errors = {}
        same = self.programme_id
        if same and self.household_id and self.household.programme_id != same:
            errors["household"] = _("The household belongs to another programme.")
        if same and self.dwelling_id and self.dwelling.programme_id != same:
            errors["dwelling"] = _("The dwelling belongs to another programme.")
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("A placement cannot end before it starts.")
        if errors:
            raise ValidationError(errors)

    @transition(
        field=status,
        source=Status.PROPOSED,
        target=Status.ACCEPTED,
        permission=is_programme_operator,
        custom={"label": _("Accepted by the household")},
    )
    def placement_accept(self):
        pass

    @transition(
        field=status,
        source=[Status.PROPOSED, Status.ACCEPTED],
        target=Status.DECLINED,
        permission=is_programme_operator,
        custom={"label": _("Declined"), "needs_note": True, "danger": True},
    )
    def placement_decline(self):
        pass

    @transition(
        field=status,
        source=Status.ACCEPTED,
        target=Status.ACTIVE,
        permission=is_programme_operator,
        custom={"label": _("Moved in: activate")},
    )
    def placement_activate(self, on):
        self.starts_on = on

    @transition(
        field=status,
        source=Status.ACTIVE,
        target=Status.ENDED,
        permission=is_programme_operator,
        custom={"label": _("End the placement"), "needs_note": True, "danger": True},
    )
    def placement_end(self, on, reason):
        self.ends_on = on
        self.end_reason = reason
