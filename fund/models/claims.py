"""The claims landlords make on guarantees and the rent months each claim covers."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, FSMModelMixin, transition
from djmoney.models.fields import MoneyField

from common import dates
from common.models import AuditedModel, ProgrammeQuerySet
from common.roles import is_programme_fund_admin, is_programme_operator
from fund.models.guarantees import Guarantee


def claim_may_approve(claim, user) -> bool:
    """Four eyes without override: a fund administrator who neither submitted nor reviewed the
    claim, superusers included. The transition's permission and the service's re-check."""
    if user is None or user.pk in (claim.submitted_by_id, claim.reviewed_by_id):
        return False
    return is_programme_fund_admin(claim, user)


def claim_may_provide_documents(claim, user) -> bool:
    """The landlord's logins and the programme's operators answer a request for documents."""
    if user is None or not user.is_authenticated:
        return False
    lease = claim.guarantee.lease
    if lease.landlord.users.filter(pk=user.pk).exists():
        return True
    return is_programme_operator(claim, user)


def claim_has_new_documents(claim) -> bool:
    """At least one document was added since the fund asked for them."""
    if claim.documents_requested_at is None:
        return False
    return claim.documents.filter(uploaded_at__gte=claim.documents_requested_at).exists()


def claim_may_pay(claim, user) -> bool:
    """Who may send the payout to the bank: a fund administrator who neither submitted,
    reviewed nor approved the claim (four eyes on the money leaving the fund)."""
    if user is None or user.pk == claim.approved_by_id:
        return False
    return claim_may_approve(claim, user)


class ClaimQuerySet(ProgrammeQuerySet):
    programme_path = "guarantee__fund__programme"


class Claim(FSMModelMixin, AuditedModel):
    """A landlord's request that the fund pay specific unpaid rent months of a guaranteed lease."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        UNDER_REVIEW = "under_review", pgettext_lazy("claim status", "Under review")
        DOCUMENTS_REQUESTED = "documents_requested", _("Documents requested")
        APPROVED = "approved", _("Approved")
        SENT = "sent", pgettext_lazy("claim status", "Sent to the bank")
        PAID = "paid", _("Paid")
        REJECTED = "rejected", _("Rejected")

    PENDING = (
        Status.SUBMITTED,
        Status.UNDER_REVIEW,
        Status.DOCUMENTS_REQUESTED,
        Status.APPROVED,
        Status.SENT,
    )

    guarantee = models.ForeignKey(
        Guarantee, on_delete=models.PROTECT, related_name="claims", verbose_name=_("guarantee")
    )
    amount = MoneyField(
        _("claimed amount"), max_digits=12, decimal_places=2, default_currency="EUR"
    )
    status = FSMField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.SUBMITTED,
        protected=True,
    )
    note = models.TextField(_("note"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("reviewed by"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("approved by"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("rejected by"),
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    # What the fund asked the landlord for, and when: the landlord's home lists the claim until
    # a document added since then is sent back for review.
    documents_request = models.TextField(_("documents requested"), blank=True)
    documents_requested_at = models.DateTimeField(
        _("documents requested at"), null=True, blank=True
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("sent to the bank by"),
    )
    payout_batch = models.ForeignKey(
        "fund.PayoutBatch",
        on_delete=models.PROTECT,
        related_name="claims",
        null=True,
        blank=True,
        verbose_name=_("SEPA batch"),
    )
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("paid by"),
    )
    plausible_dates = {"paid_on": dates.PAYMENT}
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    # The landlord's IBAN approved (four eyes, housing.PayeeChange) when the payout was sent:
    # the only account the payout goes to; a change still awaiting approval never is.
    payee_iban = models.CharField(_("paid to IBAN"), max_length=34, blank=True, editable=False)
    payout_transaction = models.OneToOneField(
        "fund.Transaction",
        on_delete=models.PROTECT,
        related_name="claim_paid",
        null=True,
        blank=True,
        verbose_name=_("payout transaction"),
    )
    payment = models.OneToOneField(
        "tenancies.Payment",
        on_delete=models.PROTECT,
        related_name="fund_claim",
        null=True,
        blank=True,
        verbose_name=_("payment on the lease"),
    )
    # The payout's SEPA end-to-end id, drawn at random when the payout is sent: nobody can book
    # a payment with it beforehand (and tenancies keeps its prefix for the fund anyway).
    payout_reference = models.CharField(
        _("payout bank reference"), max_length=80, blank=True, default="", editable=False
    )

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="claim_amount_positive"),
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(rejection_reason=""),
                name="claim_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="documents_requested")
                | (
                    ~models.Q(documents_request="") & models.Q(documents_requested_at__isnull=False)
                ),
                name="claim_documents_request_stated",
            ),
            models.UniqueConstraint(
                fields=["payout_reference"],
                condition=~models.Q(payout_reference=""),
                name="claim_payout_reference_unique",
            ),
        ]

    def __str__(self):
        return _("Claim #%(number)s") % {"number": self.pk}

    def programme_for_audit(self):
        return self.guarantee.fund.programme

    def audit_context(self):
        return self.guarantee.lease.household

    def get_absolute_url(self):
        return reverse("fund:claim_detail", args=[self.pk])

    @transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.UNDER_REVIEW,
        permission=is_programme_fund_admin,
        custom={"label": _("Take into review")},
    )
    def review(self, *, by):
        self.reviewed_by = by

    @transition(
        field=status,
        source=[Status.SUBMITTED, Status.UNDER_REVIEW],
        target=Status.DOCUMENTS_REQUESTED,
        permission=is_programme_fund_admin,
        custom={"label": _("Request documents"), "needs_note": True},
    )
    def request_documents(self, *, by, at, request):
        # Asking for documents is reviewing: whoever asks can no longer approve (four eyes).
        if self.reviewed_by_id is None:
            self.reviewed_by = by
        self.documents_request = request
        self.documents_requested_at = at

    @transition(
        field=status,
        source=Status.DOCUMENTS_REQUESTED,
        target=Status.UNDER_REVIEW,
        conditions=[claim_has_new_documents],
        permission=claim_may_provide_documents,
        custom={"label": _("Send the documents")},
    )
    def provide_documents(self):
        pass

    @transition(
        field=status,
        source=Status.UNDER_REVIEW,
        target=Status.APPROVED,
        permission=claim_may_approve,
        custom={"label": _("Approve")},
    )
    def approve(self, *, by):
        self.approved_by = by

    @transition(
        field=status,
        source=Status.APPROVED,
        target=Status.SENT,
        permission=claim_may_pay,
        custom={"label": _("Send to the bank")},
    )
    def send(self, *, by, batch, reference, payee_iban):
        self.sent_by = by
        self.payout_batch = batch
        self.payout_reference = reference
        self.payee_iban = payee_iban

    @transition(
        field=status,
        source=Status.SENT,
        target=Status.APPROVED,
        permission=is_programme_fund_admin,
        custom={"label": _("Recall from the bank"), "needs_note": True, "danger": True},
    )
    def recall(self, *, by):
        self.sent_by = None
        self.payout_batch = None
        self.payout_reference = ""
        self.payee_iban = ""

    @transition(
        field=status,
        source=Status.SENT,
        target=Status.PAID,
        permission=is_programme_fund_admin,
        custom={"label": _("Confirm the payout")},
    )
    def pay(self, *, by, on, transaction, payment):
        self.paid_by = by
        self.paid_on = on
        self.payout_transaction = transaction
        self.payment = payment

    @transition(
        field=status,
        source=[
            Status.SUBMITTED,
            Status.UNDER_REVIEW,
            Status.DOCUMENTS_REQUESTED,
            Status.APPROVED,
        ],
        target=Status.REJECTED,
        permission=is_programme_fund_admin,
        custom={"label": _("Reject"), "needs_note": True, "danger": True},
    )
    def reject(self, *, by, reason):
        self.decided_by = by
        self.rejection_reason = reason


class ClaimMonth(models.Model):
    """One rent month a claim asks the fund to pay; a month is in one live claim at most."""

    claim = models.ForeignKey(
        Claim, on_delete=models.PROTECT, related_name="months", verbose_name=_("claim")
    )
    due = models.ForeignKey(
        "tenancies.RentDue",
        on_delete=models.PROTECT,
        related_name="fund_claims",
        verbose_name=_("rent month"),
    )
    amount = MoneyField(_("amount"), max_digits=12, decimal_places=2, default_currency="EUR")
    # False once the claim is rejected, so the month may be claimed again; the unique
    # constraint below keeps a month in at most one live (or paid) claim.
    live = models.BooleanField(default=True)

    class Meta:
        ordering = ["due__month"]
        verbose_name = _("claimed month")
        verbose_name_plural = _("claimed months")
        constraints = [
            models.UniqueConstraint(
                fields=["due"], condition=models.Q(live=True), name="claimmonth_paid_once"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="claimmonth_amount_positive"
            ),
        ]

    def __str__(self):
        return f"{self.due.month:%m/%Y}: {self.amount}"
