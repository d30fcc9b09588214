"""Every tenancies URL, for every role: only the programme's operators see households; another
programme's operator gets 404 on every household URL; everyone else gets 403."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from common.roles import Role
from common.tests.two_factor import login_verified
from tenancies.services.documents import document_upload
from tenancies.services.pacts import pact_sign
from tenancies.tests.factories import MemberFactory

PROGRAMME_URLS = [
    ("caseload", {}, "get"),
    ("household_list", {}, "get"),
    ("waiting_list", {}, "get"),
    ("policy_edit", {}, "get"),
    ("household_refer", {}, "get"),
]
HOUSEHOLD_URLS = [
    ("household_detail", {}, "get"),
    ("household_edit", {}, "get"),
    ("timeline", {}, "get"),
    ("member_add", {}, "get"),
    ("member_edit", {"member_pk": "member"}, "get"),
    ("enrollment_open", {}, "post"),
    ("pact_create", {}, "get"),
    ("pact_detail", {"pact_pk": "pact"}, "get"),
    ("pact_pdf", {"pact_pk": "pact"}, "get"),
    ("commitment_remove", {"pact_pk": "pact", "commitment_pk": "commitment"}, "post"),
    ("document_upload", {}, "get"),
    ("document_download", {"document_pk": "document"}, "get"),
]
ALL_URLS = PROGRAMME_URLS + HOUSEHOLD_URLS


@pytest.fixture
def world(enrolled, operator):
    pact = enrolled.pacts.get()
    pact_sign(actor=operator, pact=pact, place="Montichiari", household_signatory="Mario Rossi")
    document = document_upload(
        actor=operator,
        household=enrolled,
        kind="identity",
        title="Carta d'identità",
        upload=SimpleUploadedFile("ci.pdf", b"%PDF-1.4 test"),
    )
    return {
        "household": enrolled,
        "member": MemberFactory(household=enrolled, relation="child", last_name="Rossi"),
        "enrollment": enrolled.enrollments.get(),
        "pact": pact,
        "commitment": pact.commitments.first(),
        "document": document,
    }


def url_for(name, kwargs, world):
    resolved = {key: world[value].pk if value in world else value for key, value in kwargs.items()}
    if (name, kwargs, "get") in PROGRAMME_URLS:
        return reverse(f"tenancies:{name}")
    return reverse(f"tenancies:{name}", kwargs={"pk": world["household"].pk, **resolved})


def expected(role, name, method, other_programme_operator=False):
    is_household_url = name in {n for n, _k, _m in HOUSEHOLD_URLS}
    if role is None:
        return 302
    if role != Role.OPERATOR:
        return 403
    if other_programme_operator and is_household_url:
        return 404
    return 302 if method == "post" else 200


@pytest.mark.parametrize(("name", "kwargs", "method"), ALL_URLS)
def test_every_url_for_every_role(world, client, member, other_programme, name, kwargs, method):
    url = url_for(name, kwargs, world)
    cases = [(None, None, False)]
    for role in Role.values:
        user = (
            world["household"].operator
            if role == Role.OPERATOR
            else member(role, username=f"{role}-{name}")
        )
        cases.append((role, user, False))
    cases.append(
        (
            Role.OPERATOR,
            member("operator", programme=other_programme, username=f"elsewhere-{name}"),
            True,
        )
    )
    for role, user, elsewhere in cases:
        client.logout()
        if user is not None:
            login_verified(client, user)
        response = getattr(client, method)(url)
        if response.streaming:
            # Consuming the stream closes the file (the test client's wrapper closes it).
            b"".join(response.streaming_content)
        want = expected(role, name, method, other_programme_operator=elsewhere)
        assert response.status_code == want, (role, elsewhere, url, response.status_code)


def test_a_landlord_sees_no_household_link_in_the_menu(client, member, world):
    login_verified(client, member("landlord", username="landlord-menu"))
    page = client.get(reverse("common:dashboard")).content.decode()
    assert reverse("tenancies:household_list") not in page
    assert world["household"].name not in page
