from django import forms
from django.utils.translation import gettext_lazy as _


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the key"),
        max_length=80,
        help_text=_("What will use it, e.g. «Gestionale agenzia». You can revoke it at any time."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
