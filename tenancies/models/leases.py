"""Leases, the rent they make due every month, and the payments that settle it."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, FSMModelMixin, transition
from djmoney.models.fields import MoneyField
from djmoney.models.validators import MinMoneyValidator

from common import dates
from common.models import AuditedModel, ProgrammeQuerySet
from common.money import money_format
from common.roles import is_programme_operator
from housing.models import LeaseType

# The day of the month the rent falls due. 29, 30 and 31 are recordable (a lease may say so):
# in a shorter month the rent falls due on its last day (`due_date_for`), so 31 reads "the
# last day of the month".
LAST_DAY_OF_MONTH = 31
DUE_DAY_CHOICES = [(day, str(day)) for day in range(1, LAST_DAY_OF_MONTH)] + [
    (LAST_DAY_OF_MONTH, _("Last day of the month"))
]


class LeaseQuerySet(ProgrammeQuerySet):
    def active(self):
        return self.filter(status=Lease.Status.ACTIVE)

    def in_force(self):
        """Leases that hold (or held) their unit, with `last_day` the end of that hold."""
        return self.filter(status__in=Lease.IN_FORCE_STATES).annotate(
            last_day=Coalesce("ended_on", "end_date")
        )


def lease_household_enrolled(lease) -> bool:
    """Condition: a lease is only for a household the programme has enrolled."""
    from tenancies.models.enrollment import Enrollment

    return Enrollment.objects.filter(
        household_id=lease.household_id, status=Enrollment.Status.ENROLLED
    ).exists()


def lease_passes_agreement_check(lease) -> bool:
    """Condition: the landlord's agreement with the fund covers the lease (type, rent ceiling)
    from the day it starts or today, whichever is later; the service says what is wrong."""
    from django.utils import timezone

    from tenancies.services.leases import lease_agreement_problems

    return not lease_agreement_problems(lease=lease, on=max(timezone.localdate(), lease.start_date))


def lease_follows_placement(lease) -> bool:
    """Condition: the lease follows the household's accepted or active placement in its unit."""
    from tenancies.models.placements import Placement

    placement = lease.placement
    return (
        placement is not None
        and placement.household_id == lease.household_id
        and placement.dwelling_id == lease.dwelling_id
        and placement.status in Placement.HOLDING_STATES
    )


class Lease(FSMModelMixin, AuditedModel):
    """A contratto di locazione between a landlord and a household for a dwelling."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")
        TERMINATED = "terminated", _("Terminated early")
        EVICTED = "evicted", _("Ended by eviction")
        WITHDRAWN = "withdrawn", _("Withdrawn before signing")

    # States in which a lease holds (or held) its unit for its period; a draft or a withdrawn
    # lease holds nothing.
    IN_FORCE_STATES = (Status.ACTIVE, Status.ENDED, Status.TERMINATED, Status.EVICTED)
    # What an operator may still correct on a draft (lease_update).
    EDITABLE_FIELDS = (
        "lease_type",
        "start_date",
        "end_date",
        "rent",
        "service_charges",
        "due_day",
        "deposit",
        "registration_number",
        "registration_date",
    )

    programme = models.ForeignKey(
        "common.Programme",
        on_delete=models.PROTECT,
        related_name="leases",
        verbose_name=_("programme"),
    )
    household = models.ForeignKey(
        "tenancies.Household",
        on_delete=models.PROTECT,
        related_name="leases",
        verbose_name=_("household"),
    )
    landlord = models.ForeignKey(
        "housing.Landlord",
        on_delete=models.PROTECT,
        related_name="leases",
        verbose_name=_("landlord"),
    )
    dwelling = models.ForeignKey(
        "housing.Dwelling",
        on_delete=models.PROTECT,
        related_name="leases",
        verbose_name=_("dwelling"),
    )
    # The placement the lease follows: its household, dwelling and place. Empty only on leases
    # recorded before the rule, which `lease_follows_placement` (check_integrity) lists.
    placement = models.ForeignKey(
        "tenancies.Placement",
        on_delete=models.PROTECT,
        related_name="leases",
        null=True,
        blank=True,
        verbose_name=_("placement"),
    )
    lease_type = models.CharField(_("lease type"), max_length=20, choices=LeaseType.choices)
    plausible_dates = {
        "start_date": dates.LEASE_START,
        "end_date": dates.LEASE_END,
        "registration_date": dates.EVENT,
        "ended_on": dates.EVENT,
    }
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
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
        default=0,
        validators=[MinMoneyValidator(0)],
    )
    due_day = models.PositiveSmallIntegerField(
        _("due day"),
        default=5,
        choices=DUE_DAY_CHOICES,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text=_(
            "Day of the month the rent is due. In a shorter month a rent due on the 29th, "
            "30th or 31st falls due on its last day."
        ),
    )
    deposit = MoneyField(
        _("deposit"),
        max_digits=12,
        decimal_places=2,
        default_currency="EUR",
        default=0,
        validators=[MinMoneyValidator(0)],
    )
    registration_number = models.CharField(_("registration number"), max_length=60, blank=True)
    registration_date = models.DateField(_("registration date"), null=True, blank=True)
    status = FSMField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, protected=True
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LeaseQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("lease")
        verbose_name_plural = _("leases")
        # A programme's active leases, counted from the index alone (the arrears desk checks
        # its early-warning scores are complete against this count on every view).
        indexes = [models.Index(fields=["programme", "status"], name="lease_programme_status")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gt=models.F("start_date")),
                name="lease_ends_after_start",
            ),
            # The database's share of "one lease in force per unit": one active lease per
            # placement (the dated overlap check runs in the services, under the dwelling lock).
            models.UniqueConstraint(
                fields=["placement"],
                condition=models.Q(status="active"),
                name="lease_one_active_per_placement",
                violation_error_message=_("This placement already has an active lease."),
            ),
        ]

    def __str__(self):
        return f"{self.household} · {self.dwelling}"

    def audit_context(self):
        return self.household

    def get_absolute_url(self):
        return reverse("tenancies:lease_detail", args=[self.pk])

    @property
    def editable(self) -> bool:
        """A draft can still be corrected (lease_update); a signed lease cannot."""
        return self.status == self.Status.DRAFT

    @property
    def unit_label(self) -> str:
        """The flat, or the cohousing place, the lease lets."""
        return str(self.placement) if self.placement_id else str(self.dwelling)

    @property
    def monthly_due(self):
        return self.rent + self.service_charges

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            raise ValidationError({"end_date": _("The lease must end after it starts.")})
        if self.lease_type == LeaseType.TRANSITORIO and self.start_date and self.end_date:
            months = (self.end_date.year - self.start_date.year) * 12 + (
                self.end_date.month - self.start_date.month
            )
            if months > 18:
                raise ValidationError(
                    {"end_date": _("A transitional lease lasts from 1 to 18 months.")}
                )
        if self.dwelling_id and self.landlord_id and self.dwelling.landlord_id != self.landlord_id:
            raise ValidationError({"dwelling": _("This dwelling belongs to another landlord.")})

    @transition(
        field=status,
        source=Status.DRAFT,
        target=Status.ACTIVE,
        conditions=[
            lease_household_enrolled,
            lease_follows_placement,
            lease_passes_agreement_check,
        ],
        permission=is_programme_operator,
        custom={"label": _("Activate")},
    )
    def activate(self):
        pass

    @transition(
        field=status,
        source=Status.DRAFT,
        target=Status.WITHDRAWN,
        permission=is_programme_operator,
        custom={"label": _("Withdraw the draft"), "needs_note": True, "danger": True},
    )
    def withdraw(self):
        pass

    @transition(
        field=status,
        source=Status.ACTIVE,
        target=Status.ENDED,
        permission=is_programme_operator,
        custom={"label": _("End at term")},
    )
    def end(self, *, on):
        self.ended_on = on

    @transition(
        field=status,
        source=Status.ACTIVE,
        target=Status.TERMINATED,
        permission=is_programme_operator,
        custom={"label": _("Terminate early"), "needs_note": True, "danger": True},
    )
    def terminate(self, *, on):
        self.ended_on = on

    @transition(
        field=status,
        source=Status.ACTIVE,
        target=Status.EVICTED,
        permission=is_programme_operator,
        custom={"label": _("Record eviction"), "needs_note": True, "danger": True},
    )
    def record_eviction(self, *, on):
        self.ended_on = on


class RentDue(models.Model):
    """What a lease makes due for one month: rent plus service charges, kept apart
    (`rent_part` + `charges_part` == `amount`) because they are different debts (L. 392/1978
    art. 5: unpaid rent is grounds for termination after 20 days, unpaid charges only above
    two months' rent). Created by the monthly run; its balance is derived from the
    allocations that settle it, each to one part."""

    lease = models.ForeignKey(Lease, on_delete=models.PROTECT, related_name="dues")
    month = models.DateField(_("month"), help_text=_("First day of the month."))
    due_date = models.DateField(_("due date"))
    amount = MoneyField(_("amount due"), max_digits=12, decimal_places=2, default_currency="EUR")
    rent_part = MoneyField(
        _("rent due"), max_digits=12, decimal_places=2, default_currency="EUR", default=0
    )
    charges_part = MoneyField(
        _("service charges due"), max_digits=12, decimal_places=2, default_currency="EUR", default=0
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The day of the money that completed it, once its allocations add up to its amount (the
    # latest paid_on among them); empty while anything is owed. Written in the transaction that
    # allocates (tenancies.services.payments.rent_dues_settle) and checked by check_integrity:
    # a settled due adds nothing to what is overdue, so the arrears desk's ageing reads only
    # the few unsettled dues (2,353 of 115,151 at 10,000 households) instead of every due.
    settled_on = models.DateField(_("settled on"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["lease_id", "month"]
        verbose_name = _("rent due")
        verbose_name_plural = _("rent dues")
        constraints = [
            models.UniqueConstraint(fields=["lease", "month"], name="rentdue_one_per_month"),
        ]
        indexes = [
            models.Index(fields=["due_date"]),
            # The arrears desk's ageing: the programme's leases' dues still owed. Led by the
            # lease so that SQLite's planner, walking the programme's leases, takes it over
            # the plain lease index (23 ms instead of 90 at 10,000 households).
            models.Index(
                fields=["lease", "due_date"],
                condition=models.Q(settled_on__isnull=True),
                name="rentdue_unsettled",
            ),
        ]

    def __str__(self):
        return f"{self.lease_id} {self.month:%m/%Y}"


class PaymentQuerySet(ProgrammeQuerySet):
    pass


class Payment(AuditedModel):
    """Money received for a lease. It settles the oldest open dues; any rest is credit."""

    class Method(models.TextChoices):
        BANK_TRANSFER = "bank_transfer", _("Bank transfer")
        CASH = "cash", pgettext_lazy("payment method", "Cash")
        FUND_PAYOUT = "fund_payout", _("Guarantee fund payout")
        PUBLIC_CONTRIBUTION = "public_contribution", _("Public contribution")

    class Imputation(models.TextChoices):
        # Art. 1193 c.c.: the debtor may say which debt a payment settles; otherwise the law's
        # order: the oldest debt due first (within a month, rent before charges).
        OLDEST_FIRST = "oldest_first", _("Oldest month first (the law's default order)")
        RENT_FIRST = "rent_first", _("Rent first, as the tenant declared")

    class Payer(models.TextChoices):
        HOUSEHOLD = "household", _("Household")
        FUND = "fund", _("Guarantee fund")
        MUNICIPALITY = "municipality", _("Municipality")
        OTHER = "other", _("Other")

    programme = models.ForeignKey(
        "common.Programme",
        on_delete=models.PROTECT,
        related_name="payments",
        verbose_name=_("programme"),
    )
    lease = models.ForeignKey(
        Lease, on_delete=models.PROTECT, related_name="payments", verbose_name=_("lease")
    )
    amount = MoneyField(
        _("amount"),
        max_digits=12,
        decimal_places=2,
        default_currency="EUR",
        validators=[MinMoneyValidator(Decimal("0.01"))],
    )
    plausible_dates = {"paid_on": dates.PAYMENT}
    paid_on = models.DateField(_("paid on"))
    method = models.CharField(_("method"), max_length=24, choices=Method.choices)
    payer = models.CharField(_("payer"), max_length=16, choices=Payer.choices)
    bank_reference = models.CharField(
        _("bank reference"),
        max_length=80,
        blank=True,
        help_text=_("The transfer's reference (CRO/TRN); unique in the programme."),
    )
    imputation = models.CharField(
        _("imputation"),
        max_length=16,
        choices=Imputation.choices,
        default=Imputation.OLDEST_FIRST,
        help_text=_(
            "What the payment settles. The tenant may say it pays the rent (art. 1193 c.c.): "
            "the rent of every open month is settled before any service charges."
        ),
    )
    note = models.CharField(_("note"), max_length=250, blank=True)
    # The one-time token of the form that booked it: the same form sent twice (a double
    # click, a reload) finds this payment instead of booking the money again.
    idempotency_key = models.CharField(
        _("form token"), max_length=64, blank=True, default="", editable=False
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Every cent of it allocated to dues: written in the transaction that allocates
    # (tenancies.services.payments._allocate) and checked by check_integrity. The monthly run
    # looks for money not yet allocated (credit) among the few payments without it, through
    # payment_with_credit, instead of summing the allocations of every payment ever received
    # (5.7 s of a 20 s run over 100,000 leases).
    allocated_in_full = models.BooleanField(_("allocated in full"), default=False, editable=False)

    objects = PaymentQuerySet.as_manager()

    class Meta:
        ordering = ["-paid_on", "-id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "bank_reference"],
                condition=~models.Q(bank_reference=""),
                name="payment_bank_reference_unique_in_programme",
            ),
            models.UniqueConstraint(
                fields=["programme", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="payment_idempotency_key_unique_in_programme",
            ),
        ]
        indexes = [
            # The monthly run's credit: the payments of a lease with money not yet allocated.
            models.Index(
                fields=["lease"],
                condition=models.Q(allocated_in_full=False),
                name="payment_with_credit",
            ),
        ]

    def __str__(self):
        return f"{money_format(self.amount)} {date_format(self.paid_on, 'SHORT_DATE_FORMAT')}"

    def audit_context(self):
        return self.lease.household


class Allocation(models.Model):
    """The part of a payment that settles one part (rent or service charges) of one due. Rows
    are written once, by the allocation service, and never edited."""

    class Part(models.TextChoices):
        RENT = "rent", _("Rent")
        CHARGES = "charges", _("Service charges")

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="allocations")
    due = models.ForeignKey(RentDue, on_delete=models.PROTECT, related_name="allocations")
    part = models.CharField(max_length=8, choices=Part.choices, default=Part.RENT)
    amount = MoneyField(max_digits=12, decimal_places=2, default_currency="EUR")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="allocation_positive"),
        ]

    def __str__(self):
        return f"{money_format(self.amount)} → {self.due}"
