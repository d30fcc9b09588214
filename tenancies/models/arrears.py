"""Arrears cases: what operators do when rent goes unpaid, and the plans that cure it."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, FSMModelMixin, transition
from djmoney.models.fields import MoneyField

from common import dates
from common.models import AuditedModel, ProgrammeQuerySet
from common.money import money_format
from common.roles import is_programme_operator


class ArrearsCaseQuerySet(ProgrammeQuerySet):
    def open(self):
        """Cases still being worked: a final state (cured, escalated) is never open."""
        return self.exclude(status__in=ArrearsCase.FINAL_STATES)


class ArrearsCase(FSMModelMixin, AuditedModel):
    """One episode of arrears on a lease, from the day it crossed the threshold until cured
    (or handed to eviction prevention). A lease has at most one open case; a case in a final
    state never blocks a new one when new arrears arise."""

    class Status(models.TextChoices):
        OPENED = "opened", _("Opened")
        CONTACTED = "contacted", _("Household contacted")
        PLAN_AGREED = "plan_agreed", _("Repayment plan agreed")
        PLAN_BROKEN = "plan_broken", _("Plan broken")
        CLAIMED = "claimed", _("Claimed on the guarantee")
        CURED = "cured", _("Cured")
        ESCALATED = "escalated", _("Escalated to eviction prevention")

    class Origin(models.TextChoices):
        MONTHLY_RUN = "monthly_run", _("Monthly run")
        LANDLORD_REPORT = "landlord_report", _("Landlord's report")
        OPERATOR = "operator", _("Operator")

    FINAL_STATES = (Status.CURED, Status.ESCALATED)

    programme = models.ForeignKey(
        "common.Programme",
        on_delete=models.PROTECT,
        related_name="arrears_cases",
        verbose_name=_("programme"),
    )
    lease = models.ForeignKey(
        "tenancies.Lease",
        on_delete=models.PROTECT,
        related_name="arrears_cases",
        verbose_name=_("lease"),
    )
    status = FSMField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPENED, protected=True
    )
    origin = models.CharField(_("opened by"), max_length=20, choices=Origin.choices)
    plausible_dates = {
        "opened_on": dates.EVENT,
        "next_action_due": dates.DEADLINE,
        "closed_on": dates.EVENT,
    }
    opened_on = models.DateField(_("opened on"))
    amount_at_opening = MoneyField(
        _("arrears when opened"), max_digits=12, decimal_places=2, default_currency="EUR"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="arrears_cases",
        null=True,
        blank=True,
        verbose_name=pgettext_lazy("arrears case", "owner"),
    )
    next_action = models.CharField(_("next action"), max_length=200, blank=True)
    next_action_due = models.DateField(_("next action due"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    landlord_note = models.TextField(_("landlord's report"), blank=True)

    objects = ArrearsCaseQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("arrears case")
        verbose_name_plural = _("arrears cases")
        indexes = [
            # The arrears desk's cases table and overdue actions: by state, next action first.
            models.Index(
                fields=["programme", "status", "next_action_due"], name="arrearscase_desk_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["lease"],
                condition=~models.Q(status__in=["cured", "escalated"]),
                name="arrearscase_one_open_per_lease",
            ),
        ]

    audit_verbs = {"opened": _("arrears case opened"), "reported": _("unpaid rent reported")}

    def __str__(self):
        return _("Arrears on %(lease)s") % {"lease": self.lease}

    def audit_context(self):
        return self.lease.household

    def get_absolute_url(self):
        return reverse("tenancies:arrears_case", args=[self.pk])

    def get_status_display(self) -> str:
        # Django's rebuilds a dict of every choice, translating each label, on each call
        # (~40 µs): the desk's table shows 25 cases a page. Same label, one lookup.
        try:
            return str(self.Status(self.status).label)
        except ValueError:
            return self.status

    @property
    def is_escalated(self) -> bool:
        """Handed to eviction prevention: the page offers to open the eviction case."""
        return self.status == self.Status.ESCALATED

    @transition(
        field=status,
        source=Status.OPENED,
        target=Status.CONTACTED,
        permission=is_programme_operator,
        custom={"label": _("Household contacted"), "needs_note": True},
    )
    def contact(self):
        pass

    @transition(
        field=status,
        source=[Status.OPENED, Status.CONTACTED, Status.PLAN_BROKEN],
        target=Status.PLAN_AGREED,
        permission=is_programme_operator,
        custom={"label": _("Agree a repayment plan")},
    )
    def agree_plan(self):
        pass

    @transition(
        field=status,
        source=Status.PLAN_AGREED,
        target=Status.PLAN_BROKEN,
        custom={"label": _("Plan broken")},
    )
    def break_plan(self):
        pass

    @transition(
        field=status,
        source=[Status.OPENED, Status.CONTACTED, Status.PLAN_BROKEN],
        target=Status.CLAIMED,
        custom={"label": _("Claim on the guarantee")},
    )
    def claim(self):
        pass

    @transition(
        field=status,
        source=[
            Status.OPENED,
            Status.CONTACTED,
            Status.PLAN_AGREED,
            Status.PLAN_BROKEN,
            Status.CLAIMED,
        ],
        target=Status.CURED,
        custom={"label": _("Cured")},
    )
    def cure(self, *, on):
        self.closed_on = on

    @transition(
        field=status,
        source=[Status.CONTACTED, Status.PLAN_BROKEN, Status.CLAIMED],
        target=Status.ESCALATED,
        permission=is_programme_operator,
        custom={"label": _("Escalate to eviction prevention"), "needs_note": True, "danger": True},
    )
    def escalate(self, *, on):
        self.closed_on = on


class RepaymentPlan(AuditedModel):
    """Instalments that add up exactly to the arrears a household agreed to repay. Progress is
    derived from the payments that settle the dues the plan covers."""

    case = models.ForeignKey(ArrearsCase, on_delete=models.PROTECT, related_name="plans")
    plausible_dates = {"agreed_on": dates.EVENT, "covers_until": dates.DEADLINE}
    agreed_on = models.DateField(_("agreed on"))
    covers_until = models.DateField(
        _("covers dues up to"), help_text=_("Dues falling due up to this date are in the plan.")
    )
    total = MoneyField(_("total"), max_digits=12, decimal_places=2, default_currency="EUR")
    is_current = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        ordering = ["-agreed_on", "-id"]
        verbose_name = _("repayment plan")
        verbose_name_plural = _("repayment plans")
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(is_current=True),
                name="repaymentplan_one_current_per_case",
            ),
        ]

    def __str__(self):
        return _("Plan of %(date)s") % {"date": date_format(self.agreed_on, "SHORT_DATE_FORMAT")}

    def programme_for_audit(self):
        return self.case.programme

    def audit_context(self):
        return self.case.lease.household


class Instalment(models.Model):
    plan = models.ForeignKey(RepaymentPlan, on_delete=models.CASCADE, related_name="instalments")
    due_date = models.DateField(_("due date"))
    amount = MoneyField(_("amount"), max_digits=12, decimal_places=2, default_currency="EUR")

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="instalment_positive"),
        ]

    def __str__(self):
        return f"{date_format(self.due_date, 'SHORT_DATE_FORMAT')} {money_format(self.amount)}"


class ArrearsPolicy(AuditedModel):
    """A programme's thresholds for opening arrears cases. Defaults follow L. 392/1978 art. 5."""

    programme = models.OneToOneField(
        "common.Programme", on_delete=models.CASCADE, related_name="arrears_policy"
    )
    grace_days = models.PositiveSmallIntegerField(
        _("days after the due date before a case opens"),
        default=20,
        help_text=_("L. 392/1978 art. 5: rent unpaid 20 days after it falls due."),
    )
    charges_months = models.PositiveSmallIntegerField(
        _("overdue amount, in months of rent, that opens a case at once"),
        default=2,
        help_text=_("L. 392/1978 art. 5: unpaid charges above two months' rent."),
    )

    class Meta:
        verbose_name = _("arrears policy")
        verbose_name_plural = _("arrears policies")

    def __str__(self):
        return str(self.programme)
