"""Password validators of our own: Italian messages, and the hook that tells the apps when a
password changed (Django calls every validator's `password_changed` after saving a new one:
password change, password reset, the admin and `manage.py changepassword` alike)."""

from django.contrib.auth import password_validation
from django.dispatch import Signal
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Sent with `user` after a user's password changed and was saved.
password_changed = Signal()


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's rule with a message we translate: Django 5.2 changed its wording, and its
    Italian catalogue still has only the old one, so the message showed in English."""

    def get_error_message(self):
        return ngettext(
            "This password is too short. It must contain at least %(min_length)d character.",
            "This password is too short. It must contain at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}


class PasswordChangeAnnouncer:
    """Accepts every password; after a change, sends `password_changed` so that secrets
    tied to the old password (calendar-feed addresses) stop working."""

    def validate(self, password, user=None):
        return None

    def password_changed(self, password, user=None):
        if user is not None and user.pk is not None:
            password_changed.send(sender=type(user), user=user)

    def get_help_text(self):
        return _(
            "Changing your password logs out your other sessions and stops your calendar addresses."
        )
