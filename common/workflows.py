"""Each workflow declared once: its steps, the form and service of each, the row to lock first.

A `Workflow` names, for one FSM model, the steps people take on its pages. Whether a step may
happen now, and by whom (four eyes included), is decided by the django-fsm transition's
conditions and permission, nowhere else: the page lists `next_steps` from the transitions the
user may take, and the one generic view (`common.views.step_view`) confirms and runs any of
them through its service. Services keep only what needs the database under lock (capacity,
cover, cash). Apps register their workflows in `<app>/workflows.py`, imported at start-up.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class StepForm(forms.Form):
    """The form of a step: a note, required where the transition says `needs_note`.

    Subclasses add fields named like the service's keyword arguments (`on`, `reason`…): the
    generic view passes `cleaned_data` to the service as they are.
    """

    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, obj=None, note_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.obj = obj
        if note_required and "note" in self.fields:
            self.fields["note"].required = True
            self.fields["note"].label = _("Reason (required)")


@dataclass(frozen=True)
class Step:
    """One step of a workflow: the transition `name`, and the service that runs it.

    The service is called as `service(actor=user, <object_arg>=obj, **form.cleaned_data)`.
    `context(obj, user)` adds what the person must see to decide (the confirm page shows it);
    `template` replaces the generic confirm page when a step needs its own layout.
    """

    name: str
    service: Callable
    form: type[forms.Form] = StepForm
    context: Callable | None = None
    template: str = "common/transition_confirm.html"


@dataclass(frozen=True)
class Workflow:
    """The steps people take on one model, and how the generic view finds its objects.

    `get_object(request, pk)` returns the object scoped to the user (Http404 otherwise).
    `parent` is the lookup path of the row `transition_run` locks before the object itself
    (e.g. ``"guarantee__lease"`` for a claim), so that every service touching a lease locks
    the lease first and no two services lock the same rows in opposite orders.
    """

    key: str
    model: type[models.Model]
    object_arg: str
    get_object: Callable
    steps: tuple[Step, ...]
    parent: str | None = None
    field_name: str = "status"
    # `object_url(request, obj)`: the object's page for this user, when it is not the same
    # page for everyone (a landlord follows a claim on the portal, staff on the fund's pages).
    object_url: Callable | None = None
    _by_name: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self):
        self._by_name.update({step.name: step for step in self.steps})

    def step(self, name: str) -> Step | None:
        return self._by_name.get(name)

    def parent_model(self):
        """The model at the end of `parent`'s lookup path."""
        model = self.model
        for part in self.parent.split("__"):
            model = model._meta.get_field(part).related_model
        return model

    def available(self, obj, user) -> dict[str, dict]:
        """The registered steps `user` may take on `obj` now, by name, with their labels."""
        getter = getattr(obj, f"get_available_user_{self.field_name}_transitions")
        result = {}
        for meta in getter(user):
            if meta.name in self._by_name and meta.name not in result:
                result[meta.name] = {
                    "name": meta.name,
                    "label": str(meta.custom.get("label", meta.name.replace("_", " "))),
                    "danger": bool(meta.custom.get("danger", False)),
                    "needs_note": bool(meta.custom.get("needs_note", False)),
                }
        return result

    def next_steps(self, obj, user) -> list[dict]:
        """The steps to offer on `obj`'s page, in the order the workflow declares them."""
        available = self.available(obj, user)
        return [
            {**available[step.name], "url": self.step_url(obj, step.name)}
            for step in self.steps
            if step.name in available
        ]

    def back_url(self, request, obj) -> str:
        """Where the step view sends the user back to: the object's page as they see it."""
        if self.object_url is not None:
            return self.object_url(request, obj)
        return obj.get_absolute_url()

    def step_url(self, obj, name: str) -> str:
        return reverse("common:step", args=[self.key, obj.pk, name])

    def run(self, step: Step, *, actor, obj, data: dict):
        return step.service(actor=actor, **{self.object_arg: obj}, **data)


def object_getter(*roles, queryset: Callable):
    """A `get_object` for a workflow: only for `roles` (else 403), from `queryset(request)`
    scoped to what the user may see (else 404)."""
    from common.permissions import has_role

    def get(request, pk):
        if not has_role(request, roles):
            raise PermissionDenied
        return get_object_or_404(queryset(request), pk=pk)

    return get


_WORKFLOWS: dict[str, Workflow] = {}
_BY_MODEL: dict[type, Workflow] = {}


def workflow_register(workflow: Workflow) -> Workflow:
    """Make a workflow known to the generic view and to `transition_run` (at start-up)."""
    _WORKFLOWS[workflow.key] = workflow
    _BY_MODEL[workflow.model] = workflow
    return workflow


def workflow_get(key: str) -> Workflow | None:
    return _WORKFLOWS.get(key)


def workflow_for_model(model) -> Workflow | None:
    return _BY_MODEL.get(model)


def workflows_all() -> list[Workflow]:
    return list(_WORKFLOWS.values())


def next_steps(obj, user) -> list[dict]:
    """The steps `user` may take on `obj` now (empty when no workflow is registered)."""
    workflow = workflow_for_model(type(obj))
    return workflow.next_steps(obj, user) if workflow else []
