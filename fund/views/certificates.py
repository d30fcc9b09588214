"""Guarantee certificates: download for the lease's landlord and the programme's staff,
reissue by a fund administrator, and the public verification page (no login)."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from common.exceptions import DomainError
from common.permissions import role_required
from common.roles import Role
from common.security import rate_limited
from fund.forms.certificates import CertificateReissueForm, VerifyForm
from fund.models import Guarantee
from fund.models.certificates import certificate_code_grouped, certificate_code_normalise
from fund.selectors import guarantees as guarantee_selectors
from fund.selectors.certificates import certificate_current, certificate_verify
from fund.services.certificates import certificate_pdf_ensure, certificate_reissue
from fund.views.guarantees import _guarantee_or_404
from fund.views.ledger import _form_error


def _guarantee_for(request, pk) -> Guarantee:
    """The guarantee as the user's role may see it: a landlord only on their own leases."""
    if request.role == Role.LANDLORD:
        try:
            return guarantee_selectors.landlord_guarantee_get(
                user=request.user, programme=request.programme, pk=pk
            )
        except Guarantee.DoesNotExist as error:
            raise Http404 from error
    return _guarantee_or_404(request, pk)


@role_required(Role.FUND_ADMIN, Role.OPERATOR, Role.LANDLORD)
def certificate_download(request, pk):
    """The guarantee's current certificate, as issued (a snapshot), for the phone's viewer."""
    guarantee = _guarantee_for(request, pk)
    certificate = certificate_current(guarantee=guarantee)
    if certificate is None:
        raise Http404(_("No certificate has been issued for this guarantee."))
    response = HttpResponse(
        certificate_pdf_ensure(certificate=certificate), content_type="application/pdf"
    )
    filename = f"lettera-di-garanzia-{certificate.code_grouped}-v{certificate.version}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@role_required(Role.FUND_ADMIN)
def certificate_reissue_view(request, pk):
    """Issue a new version of the certificate; the current one is void from then on."""
    guarantee = _guarantee_or_404(request, pk)
    form = CertificateReissueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            certificate = certificate_reissue(
                actor=request.user, guarantee=guarantee, note=form.cleaned_data["note"]
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(
                request,
                _("Certificate version %(version)s issued: code %(code)s.")
                % {"version": certificate.version, "code": certificate.code_grouped},
            )
            return redirect(guarantee.get_absolute_url())
    context = {
        "guarantee": guarantee,
        "certificate": certificate_current(guarantee=guarantee),
        "form": form,
    }
    return render(request, "fund/certificate_reissue.html", context)


def _too_many(request) -> HttpResponse | None:
    if rate_limited(request, scope="verify", limit=settings.CERTIFICATE_VERIFY_RATE):
        response = render(request, "fund/verify_rate_limited.html", status=429)
        response["Retry-After"] = "60"
        return response
    return None


@never_cache
@require_GET
def verify_form(request):
    """Type the code printed on a certificate; the answer is on the code's own page."""
    form = VerifyForm(request.GET or None)
    if form.is_bound:
        if (limited := _too_many(request)) is not None:
            return limited
        if form.is_valid():
            code = certificate_code_normalise(form.cleaned_data["codice"])
            if code:
                return redirect("verify:certificate", code=certificate_code_grouped(code))
            form.add_error("codice", _("Type the code printed on the certificate."))
    return render(request, "fund/verify.html", {"form": form, "result": None})


@never_cache
@require_GET
def verify_certificate(request, code):
    """Whether the certificate with `code` is genuine and in force, nothing personal. An
    unknown code and a malformed one answer alike, with the same status."""
    if (limited := _too_many(request)) is not None:
        return limited
    result = certificate_verify(raw_code=code)
    context = {"form": VerifyForm(), "result": result}
    return render(request, "fund/verify.html", context, status=200 if result.found else 404)
