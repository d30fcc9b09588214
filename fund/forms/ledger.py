from decimal import Decimal

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from common import dates
from common.forms import DecimalNumberField, PlausibleDateField
from common.quickforms import QuickFormRenderer
from fund.models import AccountCode, Contribution, Transaction
from fund.models.funds import LEVERAGE_MAX, LEVERAGE_MIN
from fund.stress import WORK_BUDGET, stress_work


def money_field(label, **kwargs):
    kwargs.setdefault("min_value", Decimal("0.01"))
    return DecimalNumberField(
        label=label,
        max_digits=12,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        **kwargs,
    )


class FundForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    leverage = DecimalNumberField(
        label=_("Leverage"),
        max_digits=5,
        decimal_places=2,
        min_value=LEVERAGE_MIN,
        max_value=LEVERAGE_MAX,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_(
            "Guarantee exposure allowed per euro in the bank: 1,00 means fully backed by cash."
        ),
    )
    leverage_reason = forms.CharField(
        label=_("Why the leverage changes"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "A change of leverage applies only when a second fund administrator approves it."
        ),
    )
    cover_months = forms.IntegerField(
        label=_("Default cover, in months of rent"), min_value=1, max_value=36
    )
    cover_cap = money_field(_("Default cap per lease (EUR)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The same words as the service's refusal, naming the range.
        message = _("The leverage must be between %(min)s and %(max)s.") % {
            "min": number_format(LEVERAGE_MIN, 2),
            "max": number_format(LEVERAGE_MAX, 2),
        }
        errors = self.fields["leverage"].error_messages
        errors["min_value"] = errors["max_value"] = message


class ContributionForm(forms.Form):
    funder = forms.CharField(label=_("Funder"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Contribution.Kind.choices)
    amount = money_field(_("Amount (EUR)"))
    date = PlausibleDateField(label=_("Date received"), kind=dates.CONTRIBUTION)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReverseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the reversal"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("It stays on the ledger with the reversing transaction."),
    )


class LedgerFilterForm(forms.Form):
    default_renderer = QuickFormRenderer  # drawn on every ledger page: see common.quickforms
    start = PlausibleDateField(label=_("From"), required=False, kind=dates.PERIOD)
    end = PlausibleDateField(label=_("To"), required=False, kind=dates.PERIOD)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All"))] + Transaction.Kind.choices
    )
    account = forms.ChoiceField(
        label=_("Account"), required=False, choices=[("", _("All"))] + AccountCode.choices
    )
    q = forms.CharField(label=_("Description contains"), required=False, max_length=100)


class PeriodForm(forms.Form):
    default_renderer = QuickFormRenderer  # drawn on every statement page
    start = PlausibleDateField(label=_("From"), kind=dates.PERIOD)
    end = PlausibleDateField(label=_("To"), kind=dates.PERIOD)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The period ends before it starts."))
        return data


def percent_field(label, **kwargs):
    return DecimalNumberField(
        label=label,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        max_digits=6,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        **kwargs,
    )


class StressForm(forms.Form):
    cash = money_field(
        _("Cash at the start (EUR)"),
        min_value=Decimal("0"),
        help_text=_("Today's cash by default."),
    )
    guarantees = forms.IntegerField(label=_("Number of guarantees"), min_value=0, max_value=5000)
    average_guarantee = money_field(_("Average guarantee (EUR)"))
    monthly_claim_probability = percent_field(
        _("Monthly claim probability (%)"),
        help_text=_("Chance that a guaranteed lease has a claim in a given month."),
    )
    claim_share = percent_field(_("Average claim, as % of the guarantee"))
    recovery_rate = percent_field(
        _("Recovery rate (%)"), help_text=_("Share of each payout the household repays.")
    )
    horizon_months = forms.IntegerField(label=_("Horizon (months)"), min_value=12, max_value=36)
    runs = forms.IntegerField(label=_("Simulated runs"), min_value=100, max_value=2000)
    seed = forms.IntegerField(label=_("Random seed"), min_value=0, max_value=10**9)
    max_ruin_probability = percent_field(
        _("Highest acceptable run-dry probability (%)"),
        help_text=_("Used to find the highest safe leverage."),
    )

    def clean(self):
        data = super().clean()
        needed = ("cash", "guarantees", "average_guarantee", "runs", "horizon_months")
        if all(data.get(name) is not None for name in needed):
            work = stress_work(**{name: data[name] for name in needed})
            if work > WORK_BUDGET:
                raise forms.ValidationError(
                    _(
                        "This simulation is too large: %(work)s guarantee-months (the largest "
                        "portfolio, the typed-in one or cash × 6 ÷ the average guarantee, × runs "
                        "× months); the limit is %(limit)s. Lower the runs, the months or the "
                        "guarantees."
                    ),
                    code="too_much_work",
                    params={
                        "work": number_format(work, force_grouping=True),
                        "limit": number_format(WORK_BUDGET, force_grouping=True),
                    },
                )
        return data
