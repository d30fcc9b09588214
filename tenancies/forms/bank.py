from django import forms
from django.utils.translation import gettext_lazy as _

from tenancies.bank.statement_files import MAX_BYTES


class StatementUploadForm(forms.Form):
    account = forms.CharField(
        label=_("Bank account"),
        max_length=100,
        initial=_("Rent account"),
        help_text=_("Which of the programme's accounts the statement is of."),
    )
    file = forms.FileField(
        label=_("Statement file"),
        help_text=_(
            "CSV or XLSX exported from home banking, or camt.053 XML; at most 20 MB. Nothing "
            "is booked until you confirm the matches."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx,.xml"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 20 MB: split the statement by period.")
            )
        return upload
