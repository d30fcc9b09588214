from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localdate
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, FSMModelMixin, transition

from common import dates
from common.models import AuditedModel, ProgrammeQuerySet
from common.roles import is_programme_operator


class SupportPactQuerySet(ProgrammeQuerySet):
    programme_path = "household__programme"


def pact_has_both_sides(pact) -> bool:
    """Guard for signing: the household and the programme each commit to something."""
    parties = {c.party for c in pact.commitments.all()}
    return {PactCommitment.Party.HOUSEHOLD, PactCommitment.Party.PROGRAMME} <= parties


def pact_household_enrolled(pact) -> bool:
    """Guard for signing: a pact is signed only with an enrolled household."""
    from tenancies.models.enrollment import Enrollment

    return pact.household.enrollments.filter(status=Enrollment.Status.ENROLLED).exists()


class SupportPact(FSMModelMixin, AuditedModel):
    """The patto: what the household and the programme each commit to, and its reviews."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SIGNED = "signed", _("Signed, in force")
        UNDER_REVIEW = "under_review", pgettext_lazy("pact status", "Under review")
        COMPLETED = "completed", _("Completed")
        BROKEN = "broken", _("Broken")

    # States of a pact that was signed (in force or over).
    SIGNED_STATES = (Status.SIGNED, Status.UNDER_REVIEW, Status.COMPLETED, Status.BROKEN)
    CLOSED_STATES = (Status.COMPLETED, Status.BROKEN)

    # How the pact's transitions read on a timeline: their names ("sign", "complete") are
    # too common to register project-wide, where another model's verb would read as ours.
    audit_verbs = {
        "sign": _("pact signed"),
        "start_review": _("pact review opened"),
        "resume": _("pact continues after review"),
        "complete": _("pact completed"),
        "declare_broken": _("pact broken"),
    }

    household = models.ForeignKey(
        "tenancies.Household",
        on_delete=models.PROTECT,
        related_name="pacts",
        verbose_name=_("household"),
    )
    status = FSMField(
        _("status"), default=Status.DRAFT, choices=Status.choices, protected=True, max_length=20
    )
    goal = models.TextField(
        _("shared goal"), help_text=_("What the household wants to achieve, in its own words.")
    )
    plausible_dates = {
        "starts_on": dates.DEADLINE,
        "ends_on": dates.DEADLINE,
        "next_review_on": dates.DEADLINE,
        "signed_on": dates.EVENT,
    }
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    review_every_months = models.PositiveSmallIntegerField(_("review every (months)"), default=3)
    next_review_on = models.DateField(_("next review on"), null=True, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_at_place = models.CharField(_("signed at"), max_length=100, blank=True)
    signed_by_household = models.CharField(
        _("signed for the household by"), max_length=200, blank=True
    )
    signed_by_operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("signed for the programme by"),
    )
    # What the pact said when it was signed (the facts its PDF prints): the signed document is
    # a snapshot, so later changes to the household or its members never rewrite it.
    signed_facts = models.JSONField(_("facts as signed"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = SupportPactQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("support pact")
        verbose_name_plural = _("support pacts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")),
                name="pact_ends_after_start",
            ),
        ]

    def __str__(self):
        return str(_("Pact of %(household)s") % {"household": self.household})

    def programme_for_audit(self):
        return self.household.programme

    def audit_context(self):
        return self.household

    def get_absolute_url(self):
        return reverse("tenancies:pact_detail", args=[self.household_id, self.pk])

    def is_editable(self) -> bool:
        """Goal, dates and commitments change only while the pact is a draft."""
        return self.status == self.Status.DRAFT

    def review_overdue(self, today: date | None = None) -> bool:
        return (
            self.status == self.Status.SIGNED
            and self.next_review_on is not None
            and self.next_review_on < (today or localdate())
        )

    @transition(
        field=status,
        source=Status.DRAFT,
        target=Status.SIGNED,
        conditions=[pact_has_both_sides, pact_household_enrolled],
        permission=is_programme_operator,
        custom={"label": _("Sign the pact")},
    )
    def sign(self, on, place, household_signatory, operator, next_review_on):
        self.signed_on = on
        self.signed_at_place = place
        self.signed_by_household = household_signatory
        self.signed_by_operator = operator
        self.next_review_on = next_review_on

    @transition(
        field=status,
        source=Status.SIGNED,
        target=Status.UNDER_REVIEW,
        permission=is_programme_operator,
        custom={"label": _("Open a review")},
    )
    def start_review(self):
        pass

    @transition(
        field=status,
        source=Status.UNDER_REVIEW,
        target=Status.SIGNED,
        permission=is_programme_operator,
        custom={"label": _("Continue the pact")},
    )
    def resume(self, next_review_on):
        self.next_review_on = next_review_on

    @transition(
        field=status,
        source=Status.UNDER_REVIEW,
        target=Status.COMPLETED,
        permission=is_programme_operator,
        custom={"label": _("Complete the pact")},
    )
    def complete(self):
        self.next_review_on = None

    @transition(
        field=status,
        source=Status.UNDER_REVIEW,
        target=Status.BROKEN,
        permission=is_programme_operator,
        custom={"label": _("Declare the pact broken"), "needs_note": True, "danger": True},
    )
    def declare_broken(self):
        self.next_review_on = None


class PactCommitment(AuditedModel):
    """One commitment in a pact, by the household or by the programme."""

    class Party(models.TextChoices):
        HOUSEHOLD = "household", _("The household")
        PROGRAMME = "programme", _("The programme")

    pact = models.ForeignKey(
        SupportPact, on_delete=models.CASCADE, related_name="commitments", verbose_name=_("pact")
    )
    party = models.CharField(_("who commits"), max_length=20, choices=Party.choices)
    description = models.CharField(_("commitment"), max_length=300)
    plausible_dates = {"due_on": dates.DEADLINE}
    due_on = models.DateField(_("by"), null=True, blank=True)
    hours = models.PositiveSmallIntegerField(
        _("hours"), null=True, blank=True, help_text=_("E.g. hours of community activity.")
    )

    class Meta:
        ordering = ["party", "due_on", "pk"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")

    def __str__(self):
        return self.description

    def programme_for_audit(self):
        return self.pact.household.programme

    def audit_context(self):
        return self.pact.household


class PactReview(AuditedModel):
    """A review meeting: how the commitments went."""

    class Outcome(models.TextChoices):
        ON_TRACK = "on_track", _("Commitments kept")
        PARTLY = "partly", _("Partly kept")
        NOT_KEPT = "not_kept", _("Not kept")

    pact = models.ForeignKey(
        SupportPact, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("pact")
    )
    plausible_dates = {"held_on": dates.EVENT}
    held_on = models.DateField(_("held on"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    note = models.TextField(_("note"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reviewer"),
    )

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("pact review")
        verbose_name_plural = _("pact reviews")

    def __str__(self):
        return str(
            _("Review of %(date)s") % {"date": date_format(self.held_on, "SHORT_DATE_FORMAT")}
        )

    def programme_for_audit(self):
        return self.pact.household.programme

    def audit_context(self):
        return self.pact.household
