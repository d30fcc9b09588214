"""A claim's documents: filed with the claim or added while it is pending, checked by content,
stored privately under a random name, never left behind by a refused claim."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from common.exceptions import DomainError
from fund.models import Claim, ClaimDocument
from fund.services.claim_documents import claim_document_add
from fund.services.claims import claim_reject, claim_review, claim_submit
from fund.tests.guarantee_factories import active_guarantee, funded, guaranteed_lease

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def pdf(name="Diffida Rossi.pdf"):
    return SimpleUploadedFile(name, PDF)


@pytest.fixture
def guarantee(fund, programme, operator, fund_admin):
    funded(fund)
    lease = guaranteed_lease(programme=programme, operator=operator)
    return active_guarantee(fund=fund, lease=lease, operator=operator, admin=fund_admin)


@pytest.fixture
def landlord_user(guarantee, member):
    user = member("landlord", username="proprietaria")
    guarantee.lease.landlord.users.add(user)
    return user


def _first_due(guarantee):
    return [guarantee.lease.dues.order_by("month").first().pk]


def test_claim_filed_with_documents_stores_them_privately(guarantee, landlord_user):
    claim = claim_submit(
        actor=landlord_user,
        guarantee=guarantee,
        due_ids=_first_due(guarantee),
        documents=[("payment_demand", pdf()), ("lease", pdf("contratto.pdf"))],
    )
    documents = list(claim.documents.all())
    assert [d.kind for d in documents] == ["payment_demand", "lease"]
    path = Path(documents[0].file.path)
    assert path.is_relative_to(Path(settings.MEDIA_ROOT))
    assert "Rossi" not in path.name
    assert path.read_bytes() == PDF
    assert documents[0].content_type == "application/pdf"
    assert documents[0].uploaded_by == landlord_user


def test_a_bad_document_refuses_the_whole_claim(guarantee, landlord_user):
    with translation.override("it"), pytest.raises(DomainError) as error:
        claim_submit(
            actor=landlord_user,
            guarantee=guarantee,
            due_ids=_first_due(guarantee),
            documents=[
                ("payment_demand", pdf()),
                ("lease", SimpleUploadedFile("x.pdf", b"GIF89a")),
            ],
        )
    assert "non è un PDF" in error.value.message
    assert error.value.field == "documents"
    assert not Claim.objects.exists()
    assert not ClaimDocument.objects.exists()


def test_unknown_kind_is_refused(guarantee, landlord_user):
    with pytest.raises(DomainError):
        claim_submit(
            actor=landlord_user,
            guarantee=guarantee,
            due_ids=_first_due(guarantee),
            documents=[("passport", pdf())],
        )
    assert not Claim.objects.exists()


def test_documents_added_while_pending_not_once_closed(guarantee, landlord_user, fund_admin):
    claim = claim_submit(actor=landlord_user, guarantee=guarantee, due_ids=_first_due(guarantee))
    claim_review(actor=fund_admin, claim=claim)
    claim_document_add(actor=landlord_user, claim=claim, kind="rent_ledger", upload=pdf())
    assert claim.documents.count() == 1
    claim_reject(actor=fund_admin, claim=claim, note="Mesi già saldati")
    with pytest.raises(DomainError):
        claim_document_add(actor=landlord_user, claim=claim, kind="other", upload=pdf())
    assert claim.documents.count() == 1


def test_another_landlord_may_not_add_documents(guarantee, landlord_user, member):
    claim = claim_submit(actor=landlord_user, guarantee=guarantee, due_ids=_first_due(guarantee))
    stranger = member("landlord", username="estraneo")
    with pytest.raises(DomainError):
        claim_document_add(actor=stranger, claim=claim, kind="other", upload=pdf())
    assert not claim.documents.exists()
