from django import forms
from django.utils.translation import gettext_lazy as _

from common.roles import Role
from common.selectors import users_in_programme


def _operators(programme):
    return users_in_programme(programme=programme, roles=[Role.OPERATOR])


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


class TaskDismissForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it not needed?"), max_length=500, widget=forms.TextInput()
    )


class TaskReassignForm(forms.Form):
    owner = forms.ModelChoiceField(
        label=_("Assign to"),
        queryset=None,
        required=False,
        empty_label=_("The team (unassigned)"),
    )

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _operators(programme)
        self.fields["owner"].label_from_instance = _name


class CaseloadReassignForm(forms.Form):
    from_user = forms.ModelChoiceField(label=_("Operator handing over"), queryset=None)
    to_user = forms.ModelChoiceField(label=_("Colleague taking over"), queryset=None)

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("from_user", "to_user"):
            self.fields[name].queryset = _operators(programme)
            self.fields[name].label_from_instance = _name
