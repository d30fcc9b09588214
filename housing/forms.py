"""Forms of the housing pages. They validate input; the services do the writing."""

from decimal import Decimal

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from common import dates
from common.forms import EuroField, dated
from common.roles import Role
from common.selectors import users_in_programme
from housing.models import (
    CaretakerNote,
    Cohousing,
    Dwelling,
    Landlord,
    LandlordAgreement,
    LeaseType,
    SocialCondominium,
)
from housing.models.stock import MARKET_RENT_MAX, SHARED_COSTS_MAX
from housing.validators import normalise_iban, normalise_tax_code


def municipality_choices(programme, blank=None):
    choices = [(m, m) for m in programme.municipalities or []]
    return ([("", blank)] if blank else []) + choices


class LandlordForm(forms.ModelForm):
    class Meta:
        model = Landlord
        fields = [
            "kind",
            "name",
            "contact_person",
            "tax_code",
            "iban",
            "address",
            "municipality",
            "email",
            "phone",
            "users",
        ]
        widgets = {"users": forms.CheckboxSelectMultiple}

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["users"].queryset = users_in_programme(
            programme=programme, roles=[Role.LANDLORD]
        )
        self.fields["municipality"] = forms.ChoiceField(
            label=capfirst(_("municipality")),
            choices=municipality_choices(programme, blank="—"),
            required=False,
        )

    def clean_tax_code(self):
        return normalise_tax_code(self.cleaned_data.get("tax_code", ""))

    def clean_iban(self):
        return normalise_iban(self.cleaned_data.get("iban", ""))


class AgreementForm(forms.ModelForm):
    cap_per_lease = EuroField(label=_("Cap per lease"))
    max_monthly_rent = EuroField(label=_("Maximum monthly rent"))
    lease_types = forms.MultipleChoiceField(
        label=_("Accepted lease types"),
        choices=LeaseType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = LandlordAgreement
        fields = [
            "cover_months",
            "cap_per_lease",
            "max_monthly_rent",
            "lease_types",
            "signed_on",
            "valid_from",
            "valid_until",
            "notes",
        ]
        field_classes = {
            "signed_on": dated(dates.AGREEMENT),
            "valid_from": dated(dates.AGREEMENT),
            "valid_until": dated(dates.AGREEMENT),
        }


class DocumentForm(forms.Form):
    document = forms.FileField(
        label=_("Signed document"), help_text=_("The signed agreement, as a PDF file.")
    )


class DwellingForm(forms.ModelForm):
    rent = EuroField(label=_("Monthly rent"))
    service_charges = EuroField(label=_("Monthly service charges"), initial=Decimal("0"))
    market_rent = EuroField(
        label=_("Monthly market rent"),
        required=False,
        max_value=MARKET_RENT_MAX,
        help_text=_(
            "What the flat would rent for on the open market, per month: the rent below "
            "market the agreements secure is measured against it."
        ),
    )

    class Meta:
        model = Dwelling
        fields = [
            "landlord",
            "condominium",
            "address",
            "unit",
            "municipality",
            "floor",
            "rooms",
            "size_m2",
            "energy_class",
            "accessible",
            "rent",
            "service_charges",
            "market_rent",
            "market_rent_source",
            "market_rent_on",
            "available",
            "available_from",
            "notes",
        ]
        field_classes = {
            "available_from": dated(dates.DEADLINE),
            "market_rent_on": dated(dates.EVENT),
        }

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["landlord"].queryset = Landlord.objects.in_programme(programme)
        self.fields["condominium"].queryset = SocialCondominium.objects.in_programme(programme)
        self.fields["municipality"] = forms.ChoiceField(
            label=capfirst(_("municipality")), choices=municipality_choices(programme)
        )


class CondominiumForm(forms.ModelForm):
    class Meta:
        model = SocialCondominium
        fields = ["name", "address", "municipality", "caretaker", "notes"]

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["caretaker"].queryset = users_in_programme(
            programme=programme, roles=[Role.CARETAKER]
        )
        self.fields["municipality"] = forms.ChoiceField(
            label=capfirst(_("municipality")), choices=municipality_choices(programme)
        )


class CohousingForm(forms.ModelForm):
    class Meta:
        model = Cohousing
        fields = ["dwelling", "name", "places", "max_people_per_place", "house_agreement"]

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["dwelling"]
        else:
            self.fields["dwelling"].queryset = Dwelling.objects.in_programme(programme).filter(
                cohousing__isnull=True, condominium__isnull=True
            )


class CostSplitForm(forms.Form):
    total = EuroField(
        label=_("Monthly shared costs (EUR)"),
        max_value=SHARED_COSTS_MAX,
        help_text=_("Split in equal parts between the households living there."),
    )


class CaretakerNoteForm(forms.ModelForm):
    class Meta:
        model = CaretakerNote
        fields = ["kind", "happened_on", "dwelling", "resident_name", "text"]
        field_classes = {"happened_on": dated(dates.EVENT)}

    def __init__(self, *args, condominium, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.condominium = condominium
        self.fields["dwelling"].queryset = condominium.flats.all()


class VacancyForm(forms.Form):
    household_size = forms.IntegerField(
        label=_("People in the household"), min_value=1, max_value=20
    )
    max_rent = EuroField(
        label=_("Monthly budget (EUR)"),
        required=False,
        help_text=_("Rent plus service charges the household can afford."),
    )
    needs_accessibility = forms.BooleanField(label=_("Needs step-free access"), required=False)
    municipality = forms.ChoiceField(label=_("Preferred municipality"), required=False)
    only_municipality = forms.BooleanField(label=_("Only in that municipality"), required=False)

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = municipality_choices(programme, blank=_("any"))
