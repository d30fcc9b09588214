"""Four eyes on large contributions: above the threshold (settings
FUND_CONTRIBUTION_FOUR_EYES_ABOVE) a contribution is recorded as a proposal and posted to the
ledger only when a second fund administrator approves it."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, FSMModelMixin, transition
from djmoney.models.fields import MoneyField
from djmoney.models.validators import MinMoneyValidator
from djmoney.money import Money

from common.models import AuditedModel, ProgrammeQuerySet
from common.money import money_format
from common.roles import is_programme_fund_admin
from fund.models.funds import Contribution, Fund

# The threshold is a deployment setting, not a page: one administrator must not be able to
# raise it to post a large contribution alone. It stays within these bounds.
FOUR_EYES_THRESHOLD_MIN = Decimal("1000.00")
FOUR_EYES_THRESHOLD_MAX = Decimal("1000000.00")


def contribution_four_eyes_threshold() -> Money:
    """The amount above which a contribution needs a second fund administrator."""
    raw = getattr(settings, "FUND_CONTRIBUTION_FOUR_EYES_ABOVE", Decimal("50000.00"))
    try:
        value = Decimal(str(raw))
    except ArithmeticError as error:
        raise ImproperlyConfigured("FUND_CONTRIBUTION_FOUR_EYES_ABOVE is not a number.") from error
    if not value.is_finite() or not FOUR_EYES_THRESHOLD_MIN <= value <= FOUR_EYES_THRESHOLD_MAX:
        raise ImproperlyConfigured(
            f"FUND_CONTRIBUTION_FOUR_EYES_ABOVE must be between {FOUR_EYES_THRESHOLD_MIN} and "
            f"{FOUR_EYES_THRESHOLD_MAX} euros."
        )
    return Money(value.quantize(Decimal("0.01")), "EUR")


class ContributionProposalQuerySet(ProgrammeQuerySet):
    programme_path = "fund__programme"


def contribution_proposal_may_approve(proposal, user) -> bool:
    """Four eyes: a fund administrator of the programme other than the proposer."""
    if user is None or user.pk == proposal.proposed_by_id:
        return False
    return is_programme_fund_admin(proposal, user)


class ContributionProposal(FSMModelMixin, AuditedModel):
    """A contribution above the threshold, awaiting a second fund administrator; approving it
    books the `Contribution` (bank ← capital) it links to."""

    audit_verbs = {"contribution_proposed": _("large contribution proposed")}

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Awaiting a second administrator")
        APPROVED = "approved", _("Approved and booked")
        REJECTED = "rejected", pgettext_lazy("contribution", "Rejected")

    fund = models.ForeignKey(
        Fund,
        on_delete=models.PROTECT,
        related_name="contribution_proposals",
        verbose_name=_("fund"),
    )
    funder = models.CharField(_("funder"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Contribution.Kind.choices)
    amount = MoneyField(
        _("amount"),
        max_digits=12,
        decimal_places=2,
        default_currency="EUR",
        validators=[MinMoneyValidator(Decimal("0.01"))],
    )
    date = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    status = FSMField(
        _("status"), default=Status.PROPOSED, choices=Status.choices, protected=True, max_length=20
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    contribution = models.OneToOneField(
        Contribution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposal",
        verbose_name=_("contribution booked"),
    )

    objects = ContributionProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        verbose_name = _("contribution awaiting approval")
        verbose_name_plural = _("contributions awaiting approval")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="approved", decided_by=models.F("proposed_by")),
                name="contribution_proposal_four_eyes",
            ),
            # Booked exactly when approved: never posted before, never left unposted after.
            models.CheckConstraint(
                condition=models.Q(status="approved", contribution__isnull=False)
                | (~models.Q(status="approved") & models.Q(contribution__isnull=True)),
                name="contribution_proposal_booked_iff_approved",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="contribution_proposal_amount_positive"
            ),
        ]

    def __str__(self):
        day = date_format(self.date, "SHORT_DATE_FORMAT")
        return f"{self.funder} · {money_format(self.amount)} · {day}"

    def programme_for_audit(self):
        return self.fund.programme

    def audit_context(self):
        return self.fund

    def get_absolute_url(self):
        return reverse("fund:contributions")

    @transition(
        field=status,
        source=Status.PROPOSED,
        target=Status.APPROVED,
        permission=contribution_proposal_may_approve,
        custom={"label": _("Approve and book the contribution"), "danger": True},
    )
    def approve(self, by, at, contribution):
        self.decided_by = by
        self.decided_at = at
        self.contribution = contribution

    @transition(
        field=status,
        source=Status.PROPOSED,
        target=Status.REJECTED,
        permission=is_programme_fund_admin,
        custom={"label": _("Reject the contribution")},
    )
    def reject(self, by, at):
        self.decided_by = by
        self.decided_at = at
