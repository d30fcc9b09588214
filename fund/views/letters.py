"""Downloads of a claim's letters (decision letters, payout orders) and, for the landlord,
of the documents they filed: always through the claim as the user's role may see it, so
another landlord's or another programme's claim is a 404."""

from django.http import FileResponse, Http404, HttpResponse

from common.exceptions import DomainError
from common.permissions import role_required
from common.roles import Role
from fund.models import ClaimDocument, ClaimLetter
from fund.selectors.letters import claim_letter_get
from fund.selectors.portal import claim_documents
from fund.services.letters import claim_letter_pdf
from fund.views.guarantees import _claim_or_404
from fund.views.portal import _claim as _landlord_claim


def _letter_response(letter: ClaimLetter) -> HttpResponse:
    try:
        content = claim_letter_pdf(letter)
    except DomainError as error:
        raise Http404(str(error)) from error
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{letter.filename()}"'
    response["Cache-Control"] = "private, no-store"
    return response


@role_required(Role.FUND_ADMIN, Role.OPERATOR)
def claim_letter(request, pk, letter_pk):
    """A letter of the claim, as issued, for the programme's fund administrators and operators."""
    claim = _claim_or_404(request, pk)
    try:
        letter = claim_letter_get(claim, letter_pk)
    except ClaimLetter.DoesNotExist as error:
        raise Http404 from error
    return _letter_response(letter)


@role_required(Role.LANDLORD)
def my_claim_letter(request, pk, letter_pk):
    """A decision letter on the landlord's own claim, as issued (readable on a phone)."""
    claim = _landlord_claim(request, pk)
    try:
        letter = claim_letter_get(claim, letter_pk, for_landlord=True)
    except ClaimLetter.DoesNotExist as error:
        raise Http404 from error
    return _letter_response(letter)


@role_required(Role.LANDLORD)
def my_claim_document_file(request, pk, document_pk):
    """A document filed on the landlord's own claim, as stored."""
    claim = _landlord_claim(request, pk)
    try:
        document = claim_documents(claim).get(pk=document_pk)
    except ClaimDocument.DoesNotExist as error:
        raise Http404 from error
    extension = document.file.name.rsplit(".", 1)[-1] if "." in document.file.name else "bin"
    response = FileResponse(
        document.file.open("rb"),
        content_type=document.content_type,
        as_attachment=True,
        filename=f"richiesta-{claim.pk}-documento-{document.pk}.{extension}",
    )
    response["Cache-Control"] = "private, no-store"
    return response
