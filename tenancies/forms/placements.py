"""Forms of the placement pages. The vacancy search reuses housing's form (same fields)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from housing.forms import VacancyForm
from tenancies.forms import DATE
from tenancies.models import Placement

__all__ = ["PlacementActivateForm", "PlacementEndForm", "PlacementNoteForm", "ProposalForm"]
PlacementSearchForm = VacancyForm


class ProposalForm(forms.Form):
    place_number = forms.TypedChoiceField(label=_("Place"), coerce=int)
    proposed_on = forms.DateField(label=_("Proposed on"), widget=DATE)
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


class PlacementNoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, note_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        if note_required:
            self.fields["note"].required = True
            self.fields["note"].label = _("Reason (required)")


class PlacementActivateForm(PlacementNoteForm):
    on = forms.DateField(label=_("Moved in on"), widget=DATE)
    field_order = ["on", "note"]


class PlacementEndForm(PlacementNoteForm):
    on = forms.DateField(label=_("Ended on"), widget=DATE)
    reason = forms.ChoiceField(label=_("End reason"), choices=Placement.EndReason.choices)
    field_order = ["on", "reason", "note"]
