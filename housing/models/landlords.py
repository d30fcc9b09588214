from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, FSMModelMixin, transition
from djmoney.models.fields import MoneyField
from djmoney.models.validators import MinMoneyValidator

from common import dates
from common.models import AuditedModel, ProgrammeQuerySet
from housing.models._access import is_staff_of
from housing.validators import validate_iban, validate_tax_code


class LeaseType(models.TextChoices):
    """Italian residential lease types; tenancies' Lease uses these same choices."""

    FREE_4_4 = "free_4_4", _("4+4 free rent")
    CONCORDATO_3_2 = "concordato_3_2", _("3+2 canone concordato")
    TRANSITORIO = "transitorio", _("Transitorio")
    STUDENTI = "studenti", _("Studenti")


class Landlord(AuditedModel):
    """A private owner or an estate agency that rents to the programme's households."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Private owner")
        AGENCY = "agency", _("Estate agency")

    programme = models.ForeignKey(
        "common.Programme",
        on_delete=models.PROTECT,
        related_name="landlords",
        verbose_name=_("programme"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PERSON)
    name = models.CharField(_("name"), max_length=200)
    contact_person = models.CharField(
        _("contact person"),
        max_length=200,
        blank=True,
        help_text=_("For an estate agency: the person the operators deal with."),
    )
    tax_code = models.CharField(
        _("codice fiscale or partita IVA"),
        max_length=16,
        blank=True,
        validators=[validate_tax_code],
        help_text=_("16 characters for a codice fiscale, 11 digits for a partita IVA."),
    )
    iban = models.CharField(
        _("IBAN"),
        max_length=34,
        blank=True,
        validators=[validate_iban],
        help_text=_("The account the fund pays claims into."),
    )
    address = models.CharField(_("address"), max_length=250, blank=True)
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="landlords",
        blank=True,
        verbose_name=_("logins"),
        help_text=_("People who may act for this landlord in the landlord pages."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, null=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("landlord")
        verbose_name_plural = _("landlords")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "tax_code"],
                condition=~models.Q(tax_code=""),
                name="landlord_tax_code_unique_in_programme",
                violation_error_message=_(
                    "Another landlord of this programme has the same codice fiscale or partita IVA."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("housing:landlord_detail", args=[self.pk])

    def clean(self):
        if self.kind == self.Kind.AGENCY and not self.contact_person:
            raise ValidationError({"contact_person": _("An estate agency needs a contact person.")})


class AgreementQuerySet(ProgrammeQuerySet):
    programme_path = "landlord__programme"


def _staff_may_act(instance, user) -> bool:
    return is_staff_of(instance.landlord.programme_id, user)


class LandlordAgreement(FSMModelMixin, AuditedModel):
    """A landlord's agreement (convenzione) with the programme's guarantee fund."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", pgettext_lazy("agreement status", "Active")
        SUSPENDED = "suspended", _("Suspended")
        TERMINATED = "terminated", _("Terminated")

    IN_FORCE = (Status.ACTIVE, Status.SUSPENDED)

    landlord = models.ForeignKey(
        Landlord, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("landlord")
    )
    status = FSMField(
        _("status"), default=Status.DRAFT, choices=Status.choices, protected=True, max_length=20
    )
    cover_months = models.PositiveSmallIntegerField(
        _("cover in months of rent"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
    )
    cap_per_lease = MoneyField(
        _("cap per lease"),
        max_digits=12,
        decimal_places=2,
        default_currency="EUR",
        validators=[MinMoneyValidator(0)],
    )
    lease_types = models.JSONField(_("accepted lease types"), default=list, blank=True)
    max_monthly_rent = MoneyField(
        _("maximum monthly rent"),
        max_digits=12,
        decimal_places=2,
        default_currency="EUR",
        validators=[MinMoneyValidator(0)],
    )
    claim_delay_days = models.PositiveSmallIntegerField(
        _("claim delay in days"),
        default=30,
        validators=[MaxValueValidator(365)],
        help_text=_("Days after a month's due date before the landlord may claim it."),
    )
    plausible_dates = {
        "signed_on": dates.AGREEMENT,
        "valid_from": dates.AGREEMENT,
        "valid_until": dates.AGREEMENT,
    }
    signed_on = models.DateField(_("signing date"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(pgettext_lazy("agreement", "valid until"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    document = models.FileField(
        _("signed document"), upload_to="housing/agreements/%Y/", blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("landlord agreement")
        verbose_name_plural = _("landlord agreements")
        constraints = [
            # A landlord has at most one agreement in force (active or suspended) at a time.
            models.UniqueConstraint(
                fields=["landlord"],
                condition=models.Q(status__in=["active", "suspended"]),
                name="agreement_one_in_force_per_landlord",
                violation_error_message=_("This landlord already has an agreement in force."),
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="agreement_validity_ordered",
                violation_error_message=_("The end of validity comes before its start."),
            ),
        ]

    def __str__(self):
        return _("Agreement %(number)s with %(landlord)s") % {
            "number": self.pk or "–",
            "landlord": self.landlord,
        }

    def get_absolute_url(self):
        return reverse("housing:agreement_detail", args=[self.pk])

    def programme_for_audit(self):
        return self.landlord.programme

    def audit_context(self):
        return self.landlord

    def clean(self):
        unknown = [value for value in self.lease_types or [] if value not in LeaseType.values]
        if unknown:
            raise ValidationError(
                {"lease_types": _("Unknown lease type: %s.") % ", ".join(unknown)}
            )

    def lease_type_labels(self) -> list[str]:
        return [str(LeaseType(value).label) for value in self.lease_types or []]

    def accepts_lease_type(self, lease_type: str) -> bool:
        return lease_type in (self.lease_types or [])

    # Guards read only this row; the service checks what involves other rows.
    def has_terms(self) -> bool:
        return bool(self.signed_on and self.valid_from and self.lease_types and self.cover_months)

    def not_expired(self) -> bool:
        from django.utils import timezone

        return self.valid_until is None or self.valid_until >= timezone.localdate()

    def no_other_in_force(self) -> bool:
        """No other agreement of the landlord is in force (the service re-checks under the
        landlord's lock: this read only keeps the page from offering what it would refuse)."""
        return (
            not LandlordAgreement.objects.filter(
                landlord_id=self.landlord_id, status__in=self.IN_FORCE
            )
            .exclude(pk=self.pk)
            .exists()
        )

    @property
    def terms_editable(self) -> bool:
        """Terms change only while the agreement is a draft; in force, they are what was signed."""
        return self.status == self.Status.DRAFT

    @transition(
        field=status,
        source=Status.DRAFT,
        target=Status.ACTIVE,
        conditions=[has_terms, not_expired, no_other_in_force],
        permission=_staff_may_act,
        custom={"label": _("Activate"), "needs_note": False, "danger": False},
    )
    def activate(self):
        pass

    @transition(
        field=status,
        source=Status.ACTIVE,
        target=Status.SUSPENDED,
        permission=_staff_may_act,
        custom={"label": _("Suspend"), "needs_note": True, "danger": False},
    )
    def suspend(self):
        pass

    @transition(
        field=status,
        source=Status.SUSPENDED,
        target=Status.ACTIVE,
        conditions=[not_expired, no_other_in_force],
        permission=_staff_may_act,
        custom={"label": _("Resume"), "needs_note": False, "danger": False},
    )
    def resume(self):
        pass

    @transition(
        field=status,
        source=[Status.ACTIVE, Status.SUSPENDED],
        target=Status.TERMINATED,
        permission=_staff_may_act,
        custom={"label": _("Terminate"), "needs_note": True, "danger": True},
    )
    def terminate(self):
        pass
