"""Sending notifications: rows written in the caller's transaction, mail after it commits.

Domain apps call `notify` (or `notify_each` for many messages in a constant number of queries,
as the monthly run does) from their services; this app knows no domain model.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from common.notifications.kinds import kind_get
from common.notifications.models import (
    Notification,
    NotificationPreference,
    NotificationSettings,
)

logger = logging.getLogger(__name__)

TITLE_MAX = Notification._meta.get_field("title").max_length


@dataclass(frozen=True)
class Message:
    """One notification to several users: `context` fills the kind's templates."""

    recipients: Iterable
    kind: str
    context: dict
    programme: object = None  # a Programme or its id
    link: str = ""


def _user_id(user) -> int:
    return user if isinstance(user, int) else user.pk


def _programme_id(programme) -> int | None:
    return programme if programme is None or isinstance(programme, int) else programme.pk


def _settings_of(user) -> NotificationSettings:
    try:
        return user.notification_settings
    except NotificationSettings.DoesNotExist:
        return NotificationSettings(user=user)


def _render(kind, context: dict, language: str) -> tuple[str, str]:
    with translation.override(language):
        subject = render_to_string(kind.subject_template, context)
        body = render_to_string(kind.body_template, context)
    subject = " ".join(subject.split())  # one line: it is an e-mail subject too
    if len(subject) > TITLE_MAX:
        subject = subject[: TITLE_MAX - 1] + "…"
    return subject, body.strip()


def notify(*, recipients, kind: str, context: dict, programme=None, link: str = ""):
    """Tell `recipients` (users or user ids) about something, each as their preferences say:
    in the inbox, by e-mail after the current transaction commits, in their language."""
    return notify_each(
        [Message(recipients=recipients, kind=kind, context=context, programme=programme, link=link)]
    )


def notify_each(messages: Iterable[Message]) -> list[Notification]:
    """`notify` for many messages at once, in a constant number of queries."""
    messages = list(messages)
    for message in messages:
        kind_get(message.kind)  # an unknown kind is a programming error, even with no recipient
    wanted = {
        id(message): sorted({_user_id(user) for user in message.recipients if user is not None})
        for message in messages
    }
    user_ids = {pk for ids in wanted.values() for pk in ids}
    if not user_ids:
        return []
    users = {
        user.pk: user
        for user in get_user_model()
        .objects.filter(pk__in=user_ids, is_active=True)
        .select_related("notification_settings")
    }
    preferences = {
        (p.user_id, p.kind): p
        for p in NotificationPreference.objects.filter(
            user_id__in=user_ids, kind__in={m.kind for m in messages}
        )
    }
    rows, rendered = [], {}
    for message in messages:
        kind = kind_get(message.kind)
        for user_id in wanted[id(message)]:
            user = users.get(user_id)
            if user is None:
                continue
            preference = preferences.get((user_id, kind.code))
            in_inbox = preference.in_app if preference else True
            email = (preference.email if preference else True) and bool(user.email)
            if not (in_inbox or email):
                continue
            language = _settings_of(user).language
            key = (id(message), language)
            if key not in rendered:
                rendered[key] = _render(kind, message.context, language)
            title, body = rendered[key]
            rows.append(
                Notification(
                    recipient=user,
                    kind=kind.code,
                    title=title,
                    body=body,
                    link=message.link,
                    programme_id=_programme_id(message.programme),
                    in_inbox=in_inbox,
                    email_wanted=email,
                )
            )
    created = Notification.objects.bulk_create(rows)
    immediate = [
        n.pk
        for n in created
        if n.email_wanted
        and _settings_of(n.recipient).email_frequency == NotificationSettings.Frequency.IMMEDIATE
    ]
    if immediate:
        transaction.on_commit(lambda: notification_emails_send(ids=immediate))
    return created


def _claim(queryset, now: datetime) -> list[Notification]:
    """Take the unsent rows of `queryset` for sending (marked sent under lock), so two senders
    (the after-commit mail and the digest) never send the same notification twice."""
    with transaction.atomic():
        rows = list(
            queryset.filter(email_wanted=True, emailed_at__isnull=True)
            .select_for_update(of=("self",))
            .select_related("recipient__notification_settings", "programme")
            .order_by("created_at", "pk")
        )
        Notification.objects.filter(pk__in=[n.pk for n in rows]).update(emailed_at=now)
    return rows


def _release(rows: list[Notification]) -> None:
    """Sending failed: leave them to the next attempt (the daily digest sends what is unsent)."""
    Notification.objects.filter(pk__in=[n.pk for n in rows]).update(emailed_at=None)


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _email_for(notification: Notification) -> mail.EmailMessage:
    language = _settings_of(notification.recipient).language
    with translation.override(language):
        body = render_to_string(
            "notifications/email_body.txt",
            {
                "notification": notification,
                "open_url": _absolute(reverse("notifications:open", args=[notification.pk])),
                "preferences_url": _absolute(reverse("notifications:preferences")),
            },
        )
    return mail.EmailMessage(
        subject=notification.title, body=body, to=[notification.recipient.email]
    )


def notification_emails_send(*, ids: list[int]) -> int:
    """E-mail the notifications `ids` that are still unsent, one message each; returns how many
    left. Run after the commit that created them; a failure leaves them for the digest."""
    rows = _claim(Notification.objects.filter(pk__in=ids), timezone.now())
    if not rows:
        return 0
    try:
        with mail.get_connection() as connection:
            return connection.send_messages([_email_for(n) for n in rows]) or 0
    except Exception:
        logger.exception("notification e-mail failed; the daily digest will retry")
        _release(rows)
        return 0


def _digest_for(user, rows: list[Notification], now: datetime) -> mail.EmailMessage:
    language = _settings_of(user).language
    with translation.override(language):
        context = {
            "user": user,
            "notifications": rows,
            "day": timezone.localdate(now),
            "inbox_url": _absolute(reverse("notifications:inbox")),
            "preferences_url": _absolute(reverse("notifications:preferences")),
        }
        for n in rows:
            n.open_url = _absolute(reverse("notifications:open", args=[n.pk]))
        subject = " ".join(render_to_string("notifications/digest_subject.txt", context).split())
        body = render_to_string("notifications/digest_body.txt", context)
    return mail.EmailMessage(subject=subject, body=body, to=[user.email])


def digest_send(*, now: datetime | None = None) -> int:
    """One e-mail per user with every notification still unsent (the digest readers' day, and
    any immediate mail that failed). Safe to repeat: what was sent is marked and never resent.
    Returns the number of e-mails sent."""
    now = now or timezone.now()
    user_ids = (
        Notification.objects.filter(email_wanted=True, emailed_at__isnull=True, created_at__lte=now)
        .order_by()
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    sent = 0
    with mail.get_connection() as connection:
        for user_id in sorted(set(user_ids)):
            rows = _claim(
                Notification.objects.filter(recipient_id=user_id, created_at__lte=now), now
            )
            if not rows:
                continue
            user = rows[0].recipient
            if not user.email:
                continue  # the address was removed since: marked, nothing to send to
            try:
                sent += connection.send_messages([_digest_for(user, rows, now)]) or 0
            except Exception:
                logger.exception("notification digest to user %s failed", user_id)
                _release(rows)
    return sent


def notification_mark_read(*, user, notification: Notification) -> Notification:
    """Mark one of the user's notifications read (once: the first reading time stays)."""
    if notification.recipient_id != user.pk:
        raise PermissionError("not the recipient")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notifications_mark_all_read(*, user) -> int:
    """Mark every unread notification of the user read; returns how many."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notification_preferences_save(
    *, user, language: str, email_frequency: str, choices: dict[str, tuple[bool, bool]]
) -> None:
    """Save the user's language, e-mail frequency and, per kind, (in the inbox, by e-mail)."""
    with transaction.atomic():
        current = NotificationSettings.objects.select_for_update().filter(user=user).first()
        current = current or NotificationSettings(user=user)
        current.language = language
        current.email_frequency = email_frequency
        current.full_clean()
        current.save()
        for code, (in_app, email) in choices.items():
            kind_get(code)
            NotificationPreference.objects.update_or_create(
                user=user, kind=code, defaults={"in_app": in_app, "email": email}
            )


def notifications_mail_skip_pending() -> int:
    """Mark every notification still to be e-mailed as mailed without sending it: for demo
    data, whose events are made-up history nobody should be e-mailed about. Returns how many."""
    return Notification.objects.filter(email_wanted=True, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
