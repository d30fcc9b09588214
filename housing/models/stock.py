from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField
from djmoney.models.validators import MaxMoneyValidator, MinMoneyValidator

from common import dates
from common.models import AuditedModel, ProgrammeQuerySet
from common.money import ZERO, split_evenly

# A cohousing's monthly shared costs (utilities, cleaning…): far above any real flat's, low
# enough that a typing slip is caught.
SHARED_COSTS_MAX = Decimal("10000")
# A flat's monthly rent on the open market: above any flat's in the programme's towns (OMI
# values for Lombardy stay under a few thousand euros), low enough that a slip of a zero or a
# figure typed in cents is caught.
MARKET_RENT_MAX = Decimal("20000")
MARKET_RENT_SOURCE_MAX = 200


class EnergyClass(models.TextChoices):
    A4 = "A4", "A4"
    A3 = "A3", "A3"
    A2 = "A2", "A2"
    A1 = "A1", "A1"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"
    E = "E", "E"
    F = "F", "F"
    G = "G", "G"


def _check_municipality(programme, municipality, errors, field="municipality"):
    allowed = list(programme.municipalities or []) if programme else []
    if allowed and municipality not in allowed:
        errors[field] = _("%(name)s is not one of the programme's municipalities.") % {
            "name": municipality
        }


class SocialCondominium(AuditedModel):
    """A building whose flats the programme assigns, with a resident social caretaker."""

    programme = models.ForeignKey(
        "common.Programme",
        on_delete=models.PROTECT,
        related_name="condominiums",
        verbose_name=_("programme"),
    )
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=250)
    municipality = models.CharField(_("municipality"), max_length=100)
    caretaker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="caretaken_condominiums",
        null=True,
        blank=True,
        verbose_name=_("social caretaker"),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("social condominium")
        verbose_name_plural = _("social condominiums")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name"],
                name="condominium_name_unique_in_programme",
                violation_error_message=_("This programme already has a condominium of that name."),
            )
        ]

    def get_absolute_url(self):
        return reverse("housing:condominium_detail", args=[self.pk])

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.programme_id:
            _check_municipality(self.programme, self.municipality, errors)
        if errors:
            raise ValidationError(errors)


class Dwelling(AuditedModel):
    """A flat: on its own, a flat of a social condominium, or the home of a cohousing."""

    programme = models.ForeignKey(
        "common.Programme",
        on_delete=models.PROTECT,
        related_name="dwellings",
        verbose_name=_("programme"),
    )
    landlord = models.ForeignKey(
        "housing.Landlord",
        on_delete=models.PROTECT,
        related_name="dwellings",
        verbose_name=_("owner"),
    )
    condominium = models.ForeignKey(
        SocialCondominium,
        on_delete=models.PROTECT,
        related_name="flats",
        null=True,
        blank=True,
        verbose_name=_("social condominium"),
    )
    address = models.CharField(_("address"), max_length=250)
    unit = models.CharField(_("flat"), max_length=40, blank=True, help_text=_("Staircase, flat."))
    municipality = models.CharField(_("municipality"), max_length=100)
    floor = models.SmallIntegerField(
        _("floor"), default=0, validators=[MinValueValidator(-2), MaxValueValidator(60)]
    )
    rooms = models.PositiveSmallIntegerField(
        _("rooms"), validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    size_m2 = models.PositiveIntegerField(
        _("size (m²)"), validators=[MinValueValidator(10), MaxValueValidator(1000)]
    )
    energy_class = models.CharField(
        _("energy class"), max_length=2, choices=EnergyClass.choices, blank=True
    )
    accessible = models.BooleanField(
        _("accessible"), default=False, help_text=_("Step-free access for a wheelchair.")
    )
    rent = MoneyField(
        _("monthly rent"),
        max_digits=12,
        decimal_places=2,
        default_currency="EUR",
        validators=[MinMoneyValidator(0)],
    )
    service_charges = MoneyField(
        _("monthly service charges"),
        max_digits=12,
        decimal_places=2,
        default_currency="EUR",
        default=ZERO,
        validators=[MinMoneyValidator(0)],
    )
    # What the flat would rent for on the open market, with where the figure comes from: the
    # rent below market the agreements secure is measured against it (reporting). Blank until
    # someone looks it up; a figure always carries its source and the date of the valuation.
    market_rent = MoneyField(
        _("monthly market rent"),
        max_digits=12,
        decimal_places=2,
        default_currency="EUR",
        null=True,
        blank=True,
        validators=[MinMoneyValidator(0), MaxMoneyValidator(MARKET_RENT_MAX)],
        help_text=_("What the flat would rent for on the open market, per month."),
    )
    market_rent_source = models.CharField(
        _("source of the market rent"),
        max_length=MARKET_RENT_SOURCE_MAX,
        blank=True,
        help_text=_(
            "E.g. “OMI — Agenzia delle Entrate, 2nd half of 2025”, or an estate agency's valuation."
        ),
    )
    market_rent_on = models.DateField(_("market rent valued on"), null=True, blank=True)
    available = models.BooleanField(
        _("available"), default=True, help_text=_("The owner offers it to the programme now.")
    )
    plausible_dates = {"available_from": dates.DEADLINE, "market_rent_on": dates.EVENT}
    available_from = models.DateField(_("available from"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["municipality", "address", "unit", "id"]
        verbose_name = _("dwelling")
        verbose_name_plural = _("dwellings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rent__gte=0) & models.Q(service_charges__gte=0),
                name="dwelling_amounts_not_negative",
            ),
            # A market rent is a figure in range with its source and valuation date; without
            # one, neither source nor date is recorded.
            models.CheckConstraint(
                condition=(
                    models.Q(
                        market_rent__isnull=True,
                        market_rent_source="",
                        market_rent_on__isnull=True,
                    )
                    | (
                        models.Q(market_rent__gte=0, market_rent__lte=MARKET_RENT_MAX)
                        & ~models.Q(market_rent_source="")
                        & models.Q(market_rent_on__isnull=False)
                    )
                ),
                name="dwelling_market_rent_documented",
                violation_error_message=_(
                    "A market rent needs its source and the date of the valuation."
                ),
            ),
        ]

    def get_absolute_url(self):
        return reverse("housing:dwelling_detail", args=[self.pk])

    def __str__(self):
        unit = f" ({self.unit})" if self.unit else ""
        return f"{self.address}{unit}, {self.municipality}"

    def audit_context(self):
        return self.landlord

    def clean(self):
        errors = {}
        if self.programme_id:
            _check_municipality(self.programme, self.municipality, errors)
            if self.landlord_id and self.landlord.programme_id != self.programme_id:
                errors["landlord"] = _("The owner belongs to another programme.")
            if self.condominium_id and self.condominium.programme_id != self.programme_id:
                errors["condominium"] = _("The condominium belongs to another programme.")
        if self.market_rent is not None:
            if not self.market_rent_source.strip():
                errors["market_rent_source"] = _("Say where the market rent comes from.")
            if self.market_rent_on is None:
                errors["market_rent_on"] = _("Give the date of the market rent's valuation.")
        elif self.market_rent_source.strip() or self.market_rent_on is not None:
            errors["market_rent"] = _("Give the market rent the source and date refer to.")
        if self.condominium_id and self.municipality != self.condominium.municipality:
            errors["municipality"] = _(
                "A condominium flat is in the condominium's municipality (%(name)s)."
            ) % {"name": self.condominium.municipality}
        if errors:
            raise ValidationError(errors)

    @property
    def monthly_cost(self):
        return self.rent + self.service_charges


class CohousingQuerySet(ProgrammeQuerySet):
    programme_path = "dwelling__programme"


class Cohousing(AuditedModel):
    """A dwelling shared by several households: each household takes one of its places."""

    dwelling = models.OneToOneField(
        Dwelling, on_delete=models.PROTECT, related_name="cohousing", verbose_name=_("dwelling")
    )
    name = models.CharField(_("name"), max_length=200)
    places = models.PositiveSmallIntegerField(
        _("places"),
        validators=[MinValueValidator(2), MaxValueValidator(20)],
        help_text=_("How many households can live here at once."),
    )
    max_people_per_place = models.PositiveSmallIntegerField(
        _("people per place"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(6)],
        help_text=_("The largest household one place can host."),
    )
    house_agreement = models.TextField(
        _("house agreement"), blank=True, help_text=_("The rules the housemates agreed on.")
    )
    shared_costs_total = MoneyField(
        _("monthly shared costs"),
        max_digits=12,
        decimal_places=2,
        default_currency="EUR",
        default=ZERO,
        validators=[MinMoneyValidator(0), MaxMoneyValidator(SHARED_COSTS_MAX)],
        help_text=_("Split in equal parts between the households living there."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CohousingQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("cohousing")
        verbose_name_plural = _("cohousing")
        constraints = [
            models.CheckConstraint(condition=models.Q(places__gte=2), name="cohousing_two_places"),
            models.CheckConstraint(
                condition=models.Q(shared_costs_total__gte=0)
                & models.Q(shared_costs_total__lte=SHARED_COSTS_MAX),
                name="cohousing_shared_costs_in_range",
            ),
        ]

    def get_absolute_url(self):
        return reverse("housing:cohousing_detail", args=[self.pk])

    def __str__(self):
        return self.name

    def programme_for_audit(self):
        return self.dwelling.programme

    def audit_context(self):
        return self.dwelling

    def clean(self):
        if self.dwelling_id and self.dwelling.condominium_id:
            raise ValidationError({"dwelling": _("A condominium flat cannot also be a cohousing.")})

    @property
    def rent_per_place(self):
        """What one place costs a month: rent and charges split evenly, first share rounded up."""
        return split_evenly(self.dwelling.monthly_cost, self.places)[0]
