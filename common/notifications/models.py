"""What a user was told, and how each user wants to be told."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One message to one user, rendered in the user's language when it was sent (a snapshot:
    later changes to the record it is about do not rewrite it).

    `in_inbox`: shown in the user's inbox; `email_wanted`: to be e-mailed (at once or in the
    daily digest), and `emailed_at` says when it was. Rows are written in the transaction of
    the change they announce, so they exist exactly when it committed; mail leaves after.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=50)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    programme = models.ForeignKey(
        "common.Programme",
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("programme"),
    )
    in_inbox = models.BooleanField(_("shown in the inbox"), default=True)
    email_wanted = models.BooleanField(_("to be e-mailed"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            # The inbox and the header's unread count.
            models.Index(
                fields=["recipient", "in_inbox", "read_at"], name="notification_inbox_idx"
            ),
            # The mail still to send (immediately or in the digest).
            models.Index(
                fields=["emailed_at"],
                condition=models.Q(email_wanted=True, emailed_at__isnull=True),
                name="notification_unsent_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(in_inbox=True) | models.Q(email_wanted=True),
                name="notification_goes_somewhere",
            ),
        ]

    def __str__(self):
        return f"{self.recipient} · {self.title}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationSettings(models.Model):
    """A user's language for messages and how often e-mail comes. No row: the defaults."""

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", _("Immediately, one e-mail per notification")
        DAILY = "daily", _("Once a day, in a digest")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_settings",
        verbose_name=_("user"),
    )
    language = models.CharField(
        _("language of the messages"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    email_frequency = models.CharField(
        _("e-mail"), max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(email_frequency__in=["immediate", "daily"]),
                name="notification_settings_frequency_valid",
            ),
        ]

    def __str__(self):
        return str(self.user)


class NotificationPreference(models.Model):
    """Whether a user wants one kind of notification in the inbox and by e-mail. No row for a
    kind: both on."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=50)
    in_app = models.BooleanField(_("in the application"), default=True)
    email = models.BooleanField(_("by e-mail"), default=True)

    class Meta:
        ordering = ["user", "kind"]
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"], name="notification_preference_one_per_kind"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.kind}"
