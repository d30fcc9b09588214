from django import forms
from django.utils.translation import gettext_lazy as _

from common import dates
from common.forms import PlausibleDateField
from tenancies.bank.statement_files import MAX_BYTES


class BankAccountForm(forms.Form):
    account_holder = forms.CharField(
        label=_("Account holder"),
        max_length=70,
        help_text=_("As the bank knows the fund: the payer's name in every SEPA transfer."),
    )
    iban = forms.CharField(label=_("IBAN"), max_length=42)
    bic = forms.CharField(label=_("BIC"), max_length=14, required=False)


class PayoutBatchForm(forms.Form):
    claims = forms.ModelMultipleChoiceField(
        label=_("Approved payouts"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one approved payout.")},
    )
    execution_date = PlausibleDateField(
        label=_("Requested execution date"), kind=dates.PAYMENT, required=False
    )

    def __init__(self, *args, claims, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["claims"].queryset = claims
        self.fields["claims"].label_from_instance = self._label

    @staticmethod
    def _label(claim):
        from common.money import money_format

        return _("Claim #%(number)s – %(landlord)s – %(amount)s") % {
            "number": claim.pk,
            "landlord": claim.guarantee.lease.landlord,
            "amount": money_format(claim.amount),
        }


class FundStatementUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Statement file"),
        help_text=_(
            "The fund's account as home banking exports it: CSV or XLSX, or camt.053 XML; at "
            "most 20 MB. Debits confirm the payouts sent to the bank."
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


class PeriodOpenForm(forms.Form):
    start = PlausibleDateField(label=_("From"), kind=dates.EVENT)
    end = PlausibleDateField(label=_("To"), kind=dates.EVENT)


class LineMatchForm(forms.Form):
    transaction = forms.ModelChoiceField(
        label=_("Ledger transaction"), queryset=None, widget=forms.RadioSelect, empty_label=None
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["transaction"].queryset = candidates
