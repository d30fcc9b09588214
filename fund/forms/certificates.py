from django import forms
from django.utils.translation import gettext_lazy as _


class CertificateReissueForm(forms.Form):
    note = forms.CharField(
        label=_("Why a new version"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. the landlord's name was corrected. The current version becomes void."),
    )


class VerifyForm(forms.Form):
    """The code printed on a certificate, typed on a phone: big, no autocorrection."""

    codice = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        help_text=_("The 16 letters and digits under the QR code, e.g. ABCD-EFGH-JKMN-PQRS."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "autocorrect": "off",
                "spellcheck": "false",
                "inputmode": "text",
                "enterkeyhint": "go",
                "class": "code-input",
            }
        ),
    )
