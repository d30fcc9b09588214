"""The landlord's API keys: create one (shown once), list them, revoke one."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from common.exceptions import DomainError
from common.pagination import paginate
from common.permissions import role_required
from common.roles import Role
from fund.forms.api_tokens import ApiTokenForm
from fund.models import ApiToken
from fund.selectors.api_tokens import api_token_get_for_user, api_tokens_for_user
from fund.services.api_tokens import api_token_create, api_token_revoke
from fund.views.ledger import _form_error


@never_cache
@role_required(Role.LANDLORD)
def api_tokens(request):
    """The list, and the form that creates a key; the new key is on this answer only."""
    form = ApiTokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            token, plain = api_token_create(
                actor=request.user, programme=request.programme, name=form.cleaned_data["name"]
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            created = {"token": token, "plain": plain}
            form = ApiTokenForm()
    page = paginate(request, api_tokens_for_user(user=request.user, programme=request.programme))
    context = {"form": form, "page": page, "created": created}
    return render(request, "fund/api_tokens.html", context)


@role_required(Role.LANDLORD)
@require_POST
def api_token_revoke_view(request, pk):
    try:
        token = api_token_get_for_user(user=request.user, programme=request.programme, pk=pk)
    except ApiToken.DoesNotExist as error:
        raise Http404 from error
    try:
        api_token_revoke(actor=request.user, token=token)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Key «%(name)s» revoked: it no longer works.") % {"name": token.name}
        )
    return redirect("fund:api_tokens")
