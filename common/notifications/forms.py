from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from common.notifications.models import NotificationSettings


class PreferencesForm(forms.Form):
    """Language, e-mail frequency, and two boxes per kind the user may receive."""

    language = forms.ChoiceField(label=_("Language of the messages"), choices=settings.LANGUAGES)
    email_frequency = forms.ChoiceField(
        label=_("E-mail"),
        choices=NotificationSettings.Frequency.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = kinds
        for kind in kinds:
            self.fields[f"in_app__{kind.code}"] = forms.BooleanField(
                label=_("In the application"), required=False
            )
            self.fields[f"email__{kind.code}"] = forms.BooleanField(
                label=_("By e-mail"), required=False
            )

    def kind_rows(self):
        """(kind, its in-app box, its e-mail box), for the template."""
        return [
            (kind, self[f"in_app__{kind.code}"], self[f"email__{kind.code}"]) for kind in self.kinds
        ]

    def choices(self) -> dict[str, tuple[bool, bool]]:
        data = self.cleaned_data
        return {
            kind.code: (data[f"in_app__{kind.code}"], data[f"email__{kind.code}"])
            for kind in self.kinds
        }

    @staticmethod
    def initial_for(*, current, preferences, kinds) -> dict:
        initial = {"language": current.language, "email_frequency": current.email_frequency}
        for kind in kinds:
            in_app, email = preferences.get(kind.code, (True, True))
            initial[f"in_app__{kind.code}"] = in_app
            initial[f"email__{kind.code}"] = email
        return initial
