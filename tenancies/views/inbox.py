"""The operator's inbox: every dated duty of every workflow, as tasks (common.duties)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.timezone import localdate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from common.duties import task_complete, task_dismiss, task_reassign
from common.exceptions import DomainError
from common.pagination import paginate
from common.roles import Role
from common.selectors import users_in_programme
from common.task_selectors import (
    SHOWS,
    inbox_counts,
    inbox_rows_prepare,
    inbox_tasks,
    task_get_for_operator,
)
from tenancies.forms.inbox import CaseloadReassignForm, TaskDismissForm, TaskReassignForm
from tenancies.services.households import caseload_reassign
from tenancies.views.common import form_error, operator_required

GROUPS = (
    ("overdue", pgettext_lazy("tasks", "Overdue")),
    ("today", gettext_lazy("Today")),
    ("week", gettext_lazy("This week")),
    ("later", gettext_lazy("Later")),
)


def _owner_options(operators, owner_id, cache):
    """The reassign form's <option>s with the task's owner selected, rendered once per owner
    (a page's tasks mostly share a few owners) instead of one template loop per row."""
    if owner_id not in cache:
        cache[owner_id] = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((pk, " selected" if pk == owner_id else "", label) for pk, label in operators),
        )
    return cache[owner_id]


_PK = 2_147_483_647  # a placeholder pk: each row's links are this one reversal, filled in


def _task_urls(tasks) -> None:
    """Each row's three form actions, reversed once per page rather than three times a row."""
    names = {
        "done_url": "task_done",
        "dismiss_url": "task_dismiss",
        "reassign_url": "task_reassign",
    }
    patterns = {attr: reverse(f"tenancies:{name}", args=[_PK]) for attr, name in names.items()}
    for task in tasks:
        for attr, pattern in patterns.items():
            setattr(task, attr, pattern.replace(str(_PK), str(task.pk)))


def _inbox_context(request):
    programme, today = request.programme, localdate()
    show = request.GET.get("show", "mine")
    if show not in SHOWS:
        show = "mine"
    page = paginate(
        request,
        inbox_tasks(user=request.user, programme=programme, show=show),
    )
    rows = list(page)
    inbox_rows_prepare(rows, today=today)
    # Read once for every row's choice of colleague.
    operators = [
        (user.pk, user.get_full_name() or user.username)
        for user in users_in_programme(programme=programme, roles=[Role.OPERATOR])
    ]
    _task_urls(rows)
    options: dict = {}
    for task in rows:
        task.owner_options = _owner_options(operators, task.owner_id, options)
    groups = [
        (key, label, [t for t in rows if t.group == key])
        for key, label in ((k, str(v)) for k, v in GROUPS)
    ]
    return {
        "programme": programme,
        "show": show,
        "page": page,
        "groups": [g for g in groups if g[2]],
        "rows": rows,
        "counts": inbox_counts(user=request.user, programme=programme, today=today),
        "reassign_form": TaskReassignForm(programme=programme),
        "dismiss_form": TaskDismissForm(),
    }


@operator_required
def inbox_view(request):
    return render(request, "tenancies/inbox.html", _inbox_context(request))


def _back(request):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("tenancies:inbox")


def _refused(request, error) -> None:
    message = error.message if isinstance(error, DomainError) else "; ".join(error.messages)
    messages.error(request, message)


@operator_required
@require_POST
def task_done_view(request, pk):
    task = task_get_for_operator(user=request.user, programme=request.programme, pk=pk)
    try:
        task_complete(actor=request.user, task=task)
    except (DomainError, ValidationError) as error:
        _refused(request, error)
    else:
        messages.success(request, _("Task marked as done."))
    return _back(request)


@operator_required
@require_POST
def task_dismiss_view(request, pk):
    task = task_get_for_operator(user=request.user, programme=request.programme, pk=pk)
    form = TaskDismissForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the task is dismissed."))
        return _back(request)
    try:
        task_dismiss(actor=request.user, task=task, reason=form.cleaned_data["reason"])
    except (DomainError, ValidationError) as error:
        _refused(request, error)
    else:
        messages.success(request, _("Task dismissed."))
    return _back(request)


@operator_required
@require_POST
def task_reassign_view(request, pk):
    task = task_get_for_operator(user=request.user, programme=request.programme, pk=pk)
    form = TaskReassignForm(request.POST, programme=request.programme)
    if not form.is_valid():
        messages.error(request, _("Choose an operator of the programme."))
        return _back(request)
    try:
        task_reassign(actor=request.user, task=task, owner=form.cleaned_data["owner"])
    except (DomainError, ValidationError) as error:
        _refused(request, error)
    else:
        messages.success(request, _("Task reassigned."))
    return _back(request)


@operator_required
def caseload_reassign_view(request):
    """Hand one operator's caseload to another: the form, and the step itself."""
    form = CaseloadReassignForm(request.POST or None, programme=request.programme)
    if request.method == "POST" and form.is_valid():
        try:
            moved = caseload_reassign(
                actor=request.user,
                programme=request.programme,
                from_user=form.cleaned_data["from_user"],
                to_user=form.cleaned_data["to_user"],
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                _("Caseload handed over: %(households)s households, %(tasks)s open tasks.") % moved,
            )
            return redirect("tenancies:inbox")
    return render(
        request,
        "tenancies/caseload_handover.html",
        {"form": form, "programme": request.programme},
        status=400 if form.errors else 200,
    )
