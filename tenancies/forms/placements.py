"""Forms of the placement pages. The vacancy search reuses housing's form (same fields)."""

from django import forms
from django.utils.timezone import localdate
from django.utils.translation import gettext_lazy as _

from common import dates
from common.forms import PlausibleDateField
from housing.forms import VacancyForm
from tenancies.forms.households import NoteForm
from tenancies.models import Placement

__all__ = ["PlacementActivateForm", "PlacementEndForm", "ProposalForm"]
PlacementSearchForm = VacancyForm


class ProposalForm(forms.Form):
    place_number = forms.TypedChoiceField(label=_("Place"), coerce=int)
    proposed_on = PlausibleDateField(label=_("Proposed on"), kind=dates.EVENT)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, free_places: list[int], cohousing: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if cohousing:
            choices = [(n, _("Place %(n)s") % {"n": n}) for n in free_places]
        else:
            choices = [(1, _("The whole flat"))]
        self.fields["place_number"].choices = choices


class PlacementActivateForm(NoteForm):
    on = PlausibleDateField(label=_("Moved in on"), kind=dates.EVENT)
    field_order = ["on", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = localdate()


class PlacementEndForm(NoteForm):
    on = PlausibleDateField(label=_("Ended on"), kind=dates.EVENT)
    reason = forms.ChoiceField(label=_("End reason"), choices=Placement.EndReason.choices)
    field_order = ["on", "reason", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = localdate()
