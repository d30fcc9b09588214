"""The REST API for landlords: keys stored hashed and revocable, only landlords in, the same
scoping as the pages (another landlord's object is a 404), claims filed with documents through
claim_submit, refusals as 400s in Italian naming the field, nothing private about the household,
and a schema that validates."""

import hashlib
import json
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from common.exceptions import DomainError
from common.models import Membership
from common.money import eur
from fund.models import ApiToken, Claim, ClaimDocument
from fund.models.api_tokens import api_token_hash
from fund.selectors.guarantees import claimable_dues
from fund.services.api_tokens import api_token_create, api_token_revoke
from tests.access_world import CODICE_FISCALE, HOUSEHOLD_NAME, access_world_build

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NON_LANDLORDS = ("operator_a", "operator_b", "fund_admin", "caretaker", "monitor")


@pytest.fixture(scope="module")
def world(module_db, tmp_path_factory):
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("documents")):
        world = access_world_build()
        _key, world.key_b = api_token_create(
            actor=world.users["landlord_b"], programme=world.programme, name="Agenzia B"
        )
        yield world


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()  # throttles and the certificate check count per test
    yield
    cache.clear()


def api(key=None) -> Client:
    headers = {"HTTP_ACCEPT_LANGUAGE": "it"}
    if key:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return Client(**headers)


def _raw_key(user, programme, name="diretta") -> str:
    """A key row made directly, as for a user whose role changed after creating it."""
    plain = f"fgc_{user.pk:08d}_{name}"
    ApiToken.objects.create(
        user=user,
        programme=programme,
        name=name,
        prefix=f"{user.pk:08d}"[:8],
        key_hash=api_token_hash(plain),
    )
    return plain


def urls_for(world) -> dict:
    """Every API URL of landlord A's objects (names as in fund/api/urls.py)."""
    g, lease, claim = world.guarantee.pk, world.lease.pk, world.claim.pk
    return {
        "api:guarantee-list": reverse("api:guarantee-list"),
        "api:guarantee-detail": reverse("api:guarantee-detail", args=[g]),
        "api:guarantee-claimable-months": reverse("api:guarantee-claimable-months", args=[g]),
        "api:lease-list": reverse("api:lease-list"),
        "api:lease-detail": reverse("api:lease-detail", args=[lease]),
        "api:claim-list": reverse("api:claim-list"),
        "api:claim-detail": reverse("api:claim-detail", args=[claim]),
    }


DETAILS = (
    "api:guarantee-detail",
    "api:guarantee-claimable-months",
    "api:lease-detail",
    "api:claim-detail",
)


# --- keys ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_key_is_stored_as_its_sha256_only(world):
    token, plain = api_token_create(
        actor=world.users["landlord_a"], programme=world.programme, name="Prova"
    )
    assert plain.startswith(f"fgc_{token.prefix}_") and len(plain) > 40
    assert token.key_hash == hashlib.sha256(plain.encode()).hexdigest()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM fund_apitoken")
        assert plain not in repr(cursor.fetchall())
    assert api(plain).get(reverse("api:guarantee-list")).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.django_db
def test_a_revoked_key_fails_at_once(world):
    token, plain = api_token_create(
        actor=world.users["landlord_a"], programme=world.programme, name="Da revocare"
    )
    assert api(plain).get(reverse("api:claim-list")).status_code == 200
    api_token_revoke(actor=world.users["landlord_a"], token=token)
    response = api(plain).get(reverse("api:claim-list"))
    assert response.status_code == 401
    assert response.json()["detail"] == "Chiave API non valida."


@pytest.mark.django_db
@pytest.mark.parametrize(
    "header",
    ["Bearer fgc_00000000_wrong", "Bearer not-a-key", "Bearer", "Token a b", "Bearer é"],
)
def test_a_wrong_or_missing_key_is_401(world, header):
    url = reverse("api:guarantee-list")
    assert Client().get(url).status_code == 401
    response = Client(HTTP_AUTHORIZATION=header.encode().decode("latin-1")).get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.django_db
def test_only_the_owner_revokes_a_key(world):
    with pytest.raises(DomainError):
        api_token_revoke(actor=world.users["landlord_b"], token=world.api_token)


@pytest.mark.django_db
@pytest.mark.parametrize("role", NON_LANDLORDS)
def test_other_roles_may_not_create_keys(world, role):
    with pytest.raises(DomainError):
        api_token_create(actor=world.users[role], programme=world.programme, name="x")


@pytest.mark.django_db
@pytest.mark.parametrize("role", NON_LANDLORDS)
def test_other_roles_get_403_on_every_operation(world, role):
    user = world.users[role]
    programme = Membership.objects.filter(user=user).first().programme
    key = _raw_key(user, programme, name=role)
    for name, url in urls_for(world).items():
        assert api(key).get(url).status_code == 403, (role, name)
    assert api(key).post(reverse("api:claim-list"), {}).status_code == 403


@pytest.mark.django_db
def test_a_landlord_who_lost_the_role_is_refused(world):
    user = world.users["landlord_b"]
    Membership.objects.filter(user=user, programme=world.programme).update(role="monitor")
    assert api(world.key_b).get(reverse("api:guarantee-list")).status_code == 403


# --- the key page -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_key_page_shows_a_new_key_once_and_revokes(world):
    from common.tests.two_factor import login_verified

    client = login_verified(Client(HTTP_ACCEPT_LANGUAGE="it"), world.users["landlord_a"])
    url = reverse("fund:api_tokens")
    response = client.post(url, {"name": "Gestionale nuovo"})
    assert response.status_code == 200
    plain = re.search(r'id="new-api-key">([^<]+)<', response.content.decode()).group(1)
    assert api(plain).get(reverse("api:lease-list")).status_code == 200
    listed = client.get(url).content.decode()
    assert "Gestionale nuovo" in listed and plain not in listed
    token = ApiToken.objects.get(name="Gestionale nuovo")
    client.post(reverse("fund:api_token_revoke", args=[token.pk]))
    assert api(plain).get(reverse("api:lease-list")).status_code == 401
    assert "revocata il" in client.get(url).content.decode()


# --- reading, scoped ------------------------------------------------------------------------


@pytest.mark.django_db
def test_landlord_a_reads_its_guarantees_leases_and_claims(world):
    client = api(world.api_key)
    guarantees = client.get(reverse("api:guarantee-list")).json()
    assert guarantees["count"] == 1
    g = guarantees["results"][0]
    assert g["id"] == world.guarantee.pk and g["status"] == "active"
    assert g["amount"] == f"{world.guarantee.amount.amount:.2f}"
    assert g["remaining_cover"] == g["amount"]
    assert g["valid_until"] == world.lease.end_date.isoformat()
    assert g["lease"]["tenant_name"] == HOUSEHOLD_NAME
    assert g["landlord"]["id"] == world.landlord.pk
    lease = client.get(reverse("api:lease-detail", args=[world.lease.pk])).json()
    assert lease["rent"] == f"{world.lease.rent.amount:.2f}"
    assert lease["dwelling"]["address"] == world.lease.dwelling.address
    claim = client.get(reverse("api:claim-detail", args=[world.claim.pk])).json()
    assert claim["status"] == "submitted" and claim["payout"] is None
    assert [m["due_id"] for m in claim["months"]] == [world.claim.months.get().due_id]
    months = client.get(reverse("api:guarantee-claimable-months", args=[world.guarantee.pk]))
    assert [m["id"] for m in months.json()] == [d.pk for d in claimable_dues(lease=world.lease)]


@pytest.mark.django_db
def test_another_landlord_gets_404_on_every_object_and_empty_lists(world):
    client = api(world.key_b)
    for name, url in urls_for(world).items():
        response = client.get(url)
        if name in DETAILS:
            assert response.status_code == 404, name
        else:
            assert response.status_code == 200 and response.json()["count"] == 0, name
    due = claimable_dues(lease=world.lease)[0]
    response = client.post(
        reverse("api:claim-list"),
        {"guarantee": world.guarantee.pk, "dues": [due.pk]},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not Claim.objects.filter(submitted_by=world.users["landlord_b"]).exists()


@pytest.mark.django_db
def test_unknown_and_huge_ids_are_404(world):
    client = api(world.api_key)
    for pk in (0, 999999, 10**17):
        assert client.get(reverse("api:claim-detail", args=[pk])).status_code == 404
    assert client.get("/api/v1/claims/abc/").status_code == 404


@pytest.mark.django_db
def test_lists_are_paginated(world):
    response = api(world.api_key).get(reverse("api:claim-list"), {"page_size": 1})
    assert set(response.json()) == {"count", "next", "previous", "results"}
    assert api(world.api_key).get(reverse("api:claim-list"), {"page": 9}).status_code == 404


@pytest.mark.django_db
def test_nothing_private_about_the_household_in_any_payload(world):
    household = world.household
    household.referral_note = "Nota riservata sul nucleo"
    household.vulnerability_factors = ["disability"]
    household.phone = "+39 333 1234567"
    household.email = "nucleo.riservato@example.org"
    household.isee = eur("4321.98")
    household.save(
        update_fields=["referral_note", "vulnerability_factors", "phone", "email", "isee"]
    )
    client = api(world.api_key)
    text = ""
    for url in urls_for(world).values():
        response = client.get(url)
        assert response.status_code == 200
        text += response.content.decode()
    assert HOUSEHOLD_NAME in text  # the name is there: the check below is not vacuous
    forbidden = [
        CODICE_FISCALE,
        "codice_fiscale",
        "Nota riservata",
        "note riservat",
        "isee",
        "ISEE",
        "4321",
        "vulnerab",
        "disability",
        "333 1234567",
        "nucleo.riservato",
        "Carta d'identit",
        "identity",
        "members",
        '"household"',
    ]
    assert [word for word in forbidden if word in text] == []


# --- filing a claim ---------------------------------------------------------------------------


def _pdf(name="diffida.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.mark.django_db
def test_filing_a_claim_with_a_document(world):
    due = claimable_dues(lease=world.lease)[0]
    response = api(world.api_key).post(
        reverse("api:claim-list"),
        {
            "guarantee": world.guarantee.pk,
            "dues": [due.pk],
            "note": "Due mensilità",
            "documents": [_pdf()],
            "document_kinds": ["payment_demand"],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    claim = Claim.objects.get(pk=body["id"])
    assert claim.submitted_by == world.users["landlord_a"]
    assert [m["due_id"] for m in body["months"]] == [due.pk]
    assert [d["kind"] for d in body["documents"]] == ["payment_demand"]
    assert body["amount"] == f"{due.outstanding:.2f}"
    assert response["Location"].endswith(f"/api/v1/claims/{claim.pk}/")
    with ClaimDocument.objects.get(claim=claim).file.open("rb") as stored:
        assert stored.read() == PDF
    assert api(world.api_key).get(response["Location"]).status_code == 200


@pytest.mark.django_db
def test_a_month_already_claimed_is_a_400_in_italian_on_dues(world):
    claimed = world.claim.months.get().due_id
    response = api(world.api_key).post(
        reverse("api:claim-list"),
        {"guarantee": world.guarantee.pk, "dues": [claimed]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "non si possono richiedere" in response.json()["dues"][0]


@pytest.mark.django_db
def test_a_document_that_is_not_what_it_says_is_a_400_on_documents(world):
    due = claimable_dues(lease=world.lease)[0]
    response = api(world.api_key).post(
        reverse("api:claim-list"),
        {
            "guarantee": world.guarantee.pk,
            "dues": [due.pk],
            "documents": [
                SimpleUploadedFile("x.pdf", b"GIF89a...", content_type="application/pdf")
            ],
            "document_kinds": ["lease"],
        },
    )
    assert response.status_code == 400
    assert "non è un PDF" in response.json()["documents"][0]
    assert not ClaimDocument.objects.filter(claim__months__due=due).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data, field",
    [
        ({"dues": [1]}, "guarantee"),
        ({"guarantee": 1}, "dues"),
        ({"guarantee": 1, "dues": []}, "dues"),
        ({"guarantee": 1, "dues": ["x"]}, "dues"),
        ({"guarantee": 1, "dues": [1], "document_kinds": ["lease"]}, "document_kinds"),
        ({"guarantee": 1, "dues": [1], "document_kinds": ["passport"]}, "document_kinds"),
    ],
)
def test_malformed_requests_are_400_naming_the_field(world, data, field):
    response = api(world.api_key).post(
        reverse("api:claim-list"), json.dumps(data), content_type="application/json"
    )
    assert response.status_code == 400
    assert field in response.json()


# --- certificate check ------------------------------------------------------------------------


@pytest.mark.django_db
def test_certificate_check_without_a_key_answers_like_the_page(world):
    code = world.guarantee.certificates.get(voided_at__isnull=True).code
    found = Client().get(reverse("api:certificate-verify", args=[code]))
    assert found.status_code == 200
    body = found.json()
    assert body["found"] is True and body["state"] == "in_force" and body["in_force"] is True
    assert body["amount"] == f"{world.guarantee.amount.amount:.2f}"
    unknown = Client().get(reverse("api:certificate-verify", args=["ABCD-EFGH-JKMN-PQRS"]))
    malformed = Client().get(reverse("api:certificate-verify", args=["%%%"]))
    assert unknown.status_code == malformed.status_code == 404
    assert set(unknown.json()) == set(malformed.json()) == set(body)
    assert unknown.json()["found"] is False
    assert HOUSEHOLD_NAME not in found.content.decode()


@pytest.mark.django_db
@override_settings(CERTIFICATE_VERIFY_RATE=3)
def test_certificate_check_is_rate_limited_with_the_page(world):
    url = reverse("api:certificate-verify", args=["ABCD-EFGH-JKMN-PQRS"])
    Client().get(reverse("verify:certificate", args=["ABCD-EFGH-JKMN-PQRS"]))
    statuses = [Client().get(url).status_code for _ in range(3)]
    assert statuses == [404, 404, 429]


# --- the schema and its docs ----------------------------------------------------------------


def test_the_schema_validates(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert "/api/v1/claims/" in target.read_text()


@pytest.mark.django_db
def test_schema_and_docs_are_served_without_any_other_origin():
    schema = Client().get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200 and schema.json()["openapi"].startswith("3.")
    docs = Client().get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "<style" not in html and "http" not in html.split("<body>")[1]
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts and all('src="/' in attributes for attributes in scripts)
    init = Client().get("/api/docs/", {"script": ""})
    assert init.status_code == 200 and init["Content-Type"].startswith("application/javascript")


def _api_url_names(resolver=None, namespace=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _api_url_names(entry, inner)
        elif isinstance(entry, URLPattern) and namespace.startswith("api:"):
            yield f"{namespace}{entry.name}"


@pytest.mark.django_db
def test_every_api_url_is_checked_here(world):
    """The permission matrix leaves the API to this module: a new operation gets its rows."""
    public = {"api:schema", "api:docs", "api:certificate-verify"}
    assert set(_api_url_names()) == set(urls_for(world)) | public
