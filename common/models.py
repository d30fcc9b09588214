from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, FSMModelMixin, transition

from common.dates import PlausibleDatesMixin
from common.roles import Role

# How long a closed household's personal data is kept before pseudonymisation: at least a year
# (a case may reopen), at most 30 (nothing here needs longer; the ledger keeps its figures).
RETENTION_YEARS_MIN = 1
RETENTION_YEARS_MAX = 30
RETENTION_YEARS_DEFAULT = 10


class Programme(models.Model):
    """A welfare project (e.g. #genera_azioni – Bassa Bresciana): it scopes all other data."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("short name"), unique=True)
    lead_organisation = models.CharField(_("lead organisation"), max_length=200, blank=True)
    municipalities = models.JSONField(
        _("municipalities"),
        default=list,
        blank=True,
        help_text=_("The municipalities the programme serves."),
    )
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    retention_years = models.PositiveSmallIntegerField(
        _("retention period in years"),
        default=RETENTION_YEARS_DEFAULT,
        validators=[
            MinValueValidator(RETENTION_YEARS_MIN),
            MaxValueValidator(RETENTION_YEARS_MAX),
        ],
        help_text=_(
            "Years after a household's case closed before its personal data is pseudonymised."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    retention_years__gte=RETENTION_YEARS_MIN,
                    retention_years__lte=RETENTION_YEARS_MAX,
                ),
                name="programme_retention_years_bounded",
            ),
        ]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A user's single role in one programme."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("programme"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["programme__name", "user__username"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "programme"], name="membership_one_role_per_programme"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="membership_role_valid"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.programme} · {self.get_role_display()}"


class AuditEvent(models.Model):
    """One thing that happened: who did what to which object, in which programme.

    Written by services inside their own transaction, so an event exists exactly when the change
    it describes was committed. `context` is the object whose timeline should also show the event
    (the household, for a change to one of its leases); it may be empty.
    """

    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        related_name="audit_events",
        null=True,
        blank=True,
        verbose_name=_("programme"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="audit_events",
        null=True,
        blank=True,
        verbose_name=_("actor"),
        help_text=_("Empty when the system acted (monthly run, import)."),
    )
    target_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("object type")
    )
    target_id = models.CharField(_("object id"), max_length=64)
    target = GenericForeignKey("target_type", "target_id")
    target_repr = models.CharField(_("object"), max_length=255)
    context_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    context_id = models.CharField(max_length=64, blank=True)
    context = GenericForeignKey("context_type", "context_id")
    verb = models.CharField(_("action"), max_length=64)
    from_state = models.CharField(_("from"), max_length=64, blank=True)
    to_state = models.CharField(_("to"), max_length=64, blank=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["target_type", "target_id"]),
            models.Index(fields=["context_type", "context_id"]),
        ]

    def __str__(self):
        return (
            f"{self.created_at:%Y-%m-%d %H:%M} {self.actor or '-'} {self.verb} {self.target_repr}"
        )

    @property
    def verb_label(self) -> str:
        """The action in words: a model's `audit_verbs`, its FSM transition's label, or a
        common verb."""
        from common.audit import verb_label

        return verb_label(self.target_type.model_class(), self.verb)

    @property
    def from_label(self) -> str:
        return self._state_label(self.from_state)

    @property
    def to_label(self) -> str:
        return self._state_label(self.to_state)

    def _state_label(self, value: str) -> str:
        """A state's display name from the target model's choices (the raw value otherwise)."""
        if not value:
            return ""
        model = self.target_type.model_class()
        try:
            field = model._meta.get_field(self.data.get("field", "status"))
        except FieldDoesNotExist:
            return value
        return str(dict(field.flatchoices).get(value, value))


class AuditedModel(PlausibleDatesMixin, models.Model):
    """Base for domain models whose changes land on the audit trail.

    `programme_for_audit` and `audit_context` tell `common.fsm.transition_run` where an event
    belongs; override them where the programme or the timeline owner is not a direct field.
    The dates listed in `plausible_dates` are kept to their kind's range (common.dates) by
    `full_clean()`.
    """

    class Meta:
        abstract = True

    def programme_for_audit(self):
        return getattr(self, "programme", None)

    def audit_context(self):
        return None


class ProgrammeQuerySet(models.QuerySet):
    """Querysets of data that belongs to a programme. `programme_path` is the lookup to it."""

    programme_path = "programme"

    def in_programme(self, programme):
        return self.filter(**{self.programme_path: programme})

    def visible_to(self, user, roles=None):
        """Rows of every programme where `user` holds one of `roles` (any role if None)."""
        memberships = Membership.objects.filter(user=user)
        if roles is not None:
            memberships = memberships.filter(role__in=list(roles))
        return self.filter(**{f"{self.programme_path}__in": memberships.values("programme_id")})


class TaskQuerySet(ProgrammeQuerySet):
    def open(self):
        return self.filter(status=Task.Status.OPEN)

    def for_record(self, record):
        return self.filter(
            record_type=ContentType.objects.get_for_model(record), record_id=record.pk
        )


class Task(FSMModelMixin, models.Model):
    """A dated duty an operator has to do about one record (an eviction case's deadline, a pact
    review, an alert…), in the inbox until the duty is resolved or someone closes it by hand.

    It lives here, beside the audit trail, because every app opens tasks (housing for the
    caretaker's alerts, tenancies for cases, fund for claims) and dependencies point to common
    only. The record is generic; `context` is the household whose timeline the record belongs
    to (the record's `audit_context`), so a family's tasks are found without knowing its app.
    Services open, move and close tasks through `common.duties.task_sync`, never by hand.
    """

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("task status", "Open")
        DONE = "done", pgettext_lazy("task status", "Done")
        DISMISSED = "dismissed", pgettext_lazy("task status", "Dismissed")

    audit_verbs = {
        "resolve": _("task closed: its duty was resolved"),
        "complete": _("task done"),
        "dismiss": _("task dismissed"),
        "task_reassigned": _("task reassigned"),
    }

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("programme")
    )
    kind = models.CharField(_("kind"), max_length=30)
    # Which of the record's duties this is (an eviction case has several deadlines at once).
    key = models.CharField(max_length=40, blank=True)
    record_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("record type")
    )
    record_id = models.PositiveBigIntegerField(_("record id"))
    record = GenericForeignKey("record_type", "record_id")
    context_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    context_id = models.PositiveBigIntegerField(null=True, blank=True)
    context = GenericForeignKey("context_type", "context_id")
    due_on = models.DateField(_("due on"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="tasks",
        null=True,
        blank=True,
        verbose_name=_("assigned to"),
        help_text=_("Empty: the programme's team shares it."),
    )
    status = FSMField(
        _("state"), default=Status.OPEN, choices=Status.choices, protected=True, db_index=True
    )
    dismiss_reason = models.TextField(_("reason for dismissal"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=pgettext_lazy("task", "opened by"),
    )
    closed_at = models.DateTimeField(pgettext_lazy("task", "closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("closed by"),
    )

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [
            models.Index(fields=["programme", "status", "due_on"], name="task_inbox_idx"),
            models.Index(fields=["owner", "status", "due_on"], name="task_owner_idx"),
            models.Index(fields=["record_type", "record_id"], name="task_record_idx"),
            models.Index(fields=["context_type", "context_id"], name="task_context_idx"),
        ]
        constraints = [
            # One open task per duty: a resolved duty that comes back opens a new one.
            models.UniqueConstraint(
                fields=["record_type", "record_id", "kind", "key"],
                condition=models.Q(status="open"),
                name="task_one_open_per_duty",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="dismissed") | ~models.Q(dismiss_reason=""),
                name="task_dismissal_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.kind_label} · {self.due_on:%d/%m/%Y}"

    def programme_for_audit(self):
        return self.programme

    def audit_context(self):
        return self.context

    @property
    def kind_label(self) -> str:
        from common.duties import source_for_kind

        source = source_for_kind(self.kind)
        return str(source.label) if source else self.kind

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def _close(self, by):
        from django.utils import timezone

        self.closed_at = timezone.now()
        self.closed_by = by if by is not None and by.is_authenticated else None

    @transition(field=status, source=Status.OPEN, target=Status.DONE)
    def resolve(self, by=None):
        """The duty's own service resolved it (the hearing was held, the alert handled)."""
        self._close(by)

    @transition(
        field=status,
        source=Status.OPEN,
        target=Status.DONE,
        custom={"label": _("Mark as done")},
    )
    def complete(self, by):
        self._close(by)

    @transition(
        field=status,
        source=Status.OPEN,
        target=Status.DISMISSED,
        custom={"label": _("Dismiss")},
    )
    def dismiss(self, reason: str, by):
        self.dismiss_reason = reason
        self._close(by)
