"""Every URL × every role (OWASP ASVS level 3, access control): who gets the page, who is sent to
log in, who is refused, and who is told the object does not exist.

One world (tests/access_world.py) for the module: programme A with one object of every kind,
programme B with its own operator. Each row of `ROWS` names a URL pattern, builds its arguments
from the world and says what each role gets on GET; for every role refused there, a POST is
refused too and changes nothing in the database. Another programme's operator and another
landlord never get programme A's or landlord A's objects (404 or 403, never 200), and pages that
do answer 200 to them, to the monitor or to the caretaker never show the household's name or tax
code. `test_every_url_is_in_the_matrix` walks the URL resolver: a URL added without a row here
fails, naming it. Adding a row: copy the nearest one, list in `ok` the roles of programme A
that get the page, and set `scoped=False` when the URL names no object (a list or a form).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from common.tests.two_factor import login_verified
from common.workflows import _WORKFLOWS
from tests.access_world import (
    CODICE_FISCALE,
    DWELLING_ADDRESS,
    HOUSEHOLD_NAME,
    LANDLORD_NAME,
    access_world_build,
)
from tests.lifecycle_world import fingerprint, fingerprint_diff

ANON, OP, OP_B, ADM, CT, MON, LL, LL_B = (
    "anonymous",
    "operator_a",
    "operator_b",  # operator of programme B
    "fund_admin",
    "caretaker",
    "monitor",
    "landlord_a",  # the landlord of the world's lease
    "landlord_b",  # another landlord of programme A
)


ROLES = (ANON, OP, OP_B, ADM, CT, MON, LL, LL_B)
SIGNED_IN = ROLES[1:]
STAFF = (OP, ADM)

OK, LOGIN, REDIRECT, DENIED, NOT_FOUND, NOT_ALLOWED = 200, "login", "redirect", 403, 404, 405
REFUSED = (LOGIN, DENIED, NOT_FOUND)

# Not ours to test: Django's admin has its own staff permission checks (and our own tests of the
# audit log's read-only admin); static files are served only with DEBUG on. The REST API answers
# keys, not sessions: fund/tests/test_api.py walks its URLs for every role with its own table.
EXCLUDED_NAMESPACES = ("admin", "api")

# What each role must never read on any page it gets: the household's personal data (name, tax
# code), and for those outside it, landlord A and its flat (as in a form's list of choices).
EVERYTHING = (HOUSEHOLD_NAME, CODICE_FISCALE, LANDLORD_NAME, DWELLING_ADDRESS)
NO_PERSONAL_DATA = {
    ANON: EVERYTHING,
    OP_B: EVERYTHING,
    CT: EVERYTHING,
    MON: EVERYTHING,
    LL_B: EVERYTHING,
    LL: (CODICE_FISCALE,),  # landlord A sees its tenant's name and lease, nothing more
}


def _no_kwargs(world):
    return {}


@dataclass(frozen=True)
class Row:
    """One URL and what each role gets on GET.

    `ok`: the roles of programme A that get the page (200). Roles not listed get 403; the
    anonymous visitor is sent to log in. Operator B and landlord B get what their programme A
    twin gets on a list or form (`scoped=False`: their own data, none of A's), and 404 on a
    page about one of A's or landlord A's objects. `post_only`: the view answers only POST (GET
    by an allowed role is 405). `public`: no login needed. `outcomes` overrides any role.
    """

    name: str
    kwargs: Callable = _no_kwargs
    ok: tuple = ()
    scoped: bool = True
    post_only: bool = False
    public: bool = False
    outcomes: dict = field(default_factory=dict)
    variant: str = ""

    @property
    def id(self):
        return f"{self.name}[{self.variant}]" if self.variant else self.name

    def expected(self) -> dict:
        allowed = NOT_ALLOWED if self.post_only else OK
        result = {role: (allowed if role in self.ok else DENIED) for role in SIGNED_IN}
        result[ANON] = allowed if self.public else LOGIN
        for twin, other in ((OP, OP_B), (LL, LL_B)):
            if twin in self.ok:
                result[other] = NOT_FOUND if self.scoped and not self.post_only else allowed
        if self.public:
            result.update(dict.fromkeys(SIGNED_IN, allowed))
        result.update(self.outcomes)
        return result

    def post_refused(self) -> list:
        """Who must be refused a POST: whoever is refused the GET, and for a POST-only view
        (whose GET may be 405 for all) anyone not allowed plus the other programme's twin."""
        if self.public:
            return []
        expected = self.expected()
        refused = [role for role in ROLES if expected[role] in REFUSED]
        if self.post_only:
            refused += [ANON, *(role for role in SIGNED_IN if role not in self.ok)]
        refused += self.cross_roles()
        return list(dict.fromkeys(refused))

    def cross_roles(self) -> tuple:
        """Roles that hold the page's role elsewhere: never to reach programme A's objects."""
        if not self.scoped or self.public:
            return ()
        return tuple(other for twin, other in ((OP, OP_B), (LL, LL_B)) if twin in self.ok)


def kw(**getters):
    """kwargs from the world: `kw(pk="lease")` → {"pk": world.lease.pk}."""

    def build(world):
        return {key: getattr(world, value).pk for key, value in getters.items()}

    return build


def step(workflow, obj, name, ok, **outcomes):
    return Row(
        "common:step",
        lambda w: {"workflow": workflow, "pk": getattr(w, obj).pk, "step": name},
        ok=ok,
        variant=workflow,
        outcomes=outcomes,
    )


# `@require_POST` outside the role check: GET is 405 for everyone, the POST is what is checked.
POST_FIRST = dict.fromkeys(ROLES, NOT_ALLOWED)
# A step that is not possible now sends its allowed role back to the object's page.
NOT_NOW = REDIRECT


ROWS = [
    # --- accounts and the shell ----------------------------------------------------------
    Row("set_language", public=True, outcomes=dict.fromkeys(ROLES, REDIRECT)),
    Row("home", outcomes=dict.fromkeys(SIGNED_IN, REDIRECT)),
    Row("login", public=True, outcomes=dict.fromkeys(SIGNED_IN, REDIRECT)),
    Row("logout", public=True, post_only=True),
    # The second factor: a verified fund administrator is sent on; the others have no device,
    # so the code page sends them to the set-up page, which any signed-in person may use.
    Row("two_factor_verify", outcomes=dict.fromkeys(SIGNED_IN, REDIRECT)),
    Row(
        "two_factor_setup",
        ok=tuple(role for role in SIGNED_IN if role != "fund_admin"),
        scoped=False,
        outcomes={"fund_admin": REDIRECT},
    ),
    Row("password_change", ok=SIGNED_IN, scoped=False),
    Row("password_change_done", ok=SIGNED_IN, scoped=False),
    Row("password_reset", public=True),
    Row("password_reset_done", public=True),
    Row(
        "password_reset_confirm",
        lambda w: {"uidb64": "MQ", "token": "not-a-token"},
        public=True,
    ),
    Row("password_reset_complete", public=True),
    # The monitor's overview is reporting's indicators page: the dashboard sends them there.
    Row("common:dashboard", ok=SIGNED_IN, scoped=False, outcomes={MON: REDIRECT}),
    Row("common:search", ok=STAFF, scoped=False),
    Row(
        "common:programme_switch",
        ok=SIGNED_IN,
        scoped=False,
        post_only=True,
        outcomes={ANON: NOT_ALLOWED},
    ),
    # Notifications: every signed-in person has an inbox and preferences; one notification is
    # its recipient's alone (operator A's here): anyone else is told it does not exist.
    Row("notifications:inbox", ok=SIGNED_IN, scoped=False),
    Row("notifications:preferences", ok=SIGNED_IN, scoped=False),
    Row("notifications:mark_all_read", ok=SIGNED_IN, scoped=False, post_only=True),
    Row(
        "notifications:open",
        kw(pk="notification"),
        outcomes={**dict.fromkeys(SIGNED_IN, NOT_FOUND), OP: REDIRECT},
    ),
    Row(
        "notifications:mark_read",
        kw(pk="notification"),
        outcomes={**dict.fromkeys(SIGNED_IN, NOT_FOUND), OP: NOT_ALLOWED},
    ),
    # The generic step view, once per workflow (each has its own object getter).
    step("agreement", "agreement", "suspend", STAFF),
    step("lease", "lease", "end", (OP,)),
    step("placement", "placement", "placement_end", (OP,)),
    step("arrears_case", "arrears_case", "contact", (OP,)),
    step("eviction", "eviction", "hold_hearing", (OP,)),
    step("enrollment", "enrollment", "exit", (OP,)),
    step("pact", "pact", "sign", (OP,), operator_a=NOT_NOW),
    step("guarantee", "guarantee", "release", (ADM,), fund_admin=NOT_NOW),
    # Landlords and operators reach a claim's steps too (to send requested documents back), so
    # a step not theirs sends them back to the claim; another landlord's claim is a 404.
    step(
        "claim",
        "claim",
        "review",
        (ADM,),
        operator_a=NOT_NOW,
        landlord_a=NOT_NOW,
        operator_b=NOT_FOUND,
        landlord_b=NOT_FOUND,
    ),
    step("recovery_plan", "plan", "activate", (ADM,)),
    step("recovery_waiver", "waiver", "reject", (ADM,)),
    step("leverage_change", "leverage_change", "reject", (ADM,)),
    step("payee_change", "payee_change", "reject", (ADM,)),
    step("contribution_proposal", "contribution_proposal", "reject", (ADM,)),
    step("payout_batch", "payout_batch", "cancel", (ADM,)),
    step("reconciliation_period", "reconciliation_period", "close", (ADM,)),
    # --- housing --------------------------------------------------------------------------
    Row("housing:landlord_list", ok=STAFF, scoped=False),
    Row("housing:landlord_create", ok=STAFF, scoped=False),
    Row("housing:landlord_detail", kw(pk="landlord"), ok=STAFF),
    Row("housing:landlord_update", kw(pk="landlord"), ok=STAFF),
    Row("housing:agreement_create", kw(landlord_pk="landlord"), ok=STAFF),
    Row("housing:agreement_list", ok=STAFF, scoped=False),
    Row("housing:agreement_detail", kw(pk="agreement"), ok=STAFF),
    Row("housing:agreement_update", kw(pk="agreement"), ok=STAFF),
    Row("housing:agreement_document", kw(pk="agreement"), ok=STAFF),
    Row("housing:agreement_document_upload", kw(pk="agreement"), ok=STAFF),
    Row("housing:dwelling_list", ok=STAFF, scoped=False),
    Row("housing:dwelling_create", ok=STAFF, scoped=False),
    Row("housing:dwelling_detail", kw(pk="dwelling"), ok=STAFF),
    Row("housing:dwelling_update", kw(pk="dwelling"), ok=STAFF),
    Row("housing:vacancy_search", ok=STAFF, scoped=False),
    Row("housing:condominium_list", ok=STAFF, scoped=False),
    Row("housing:condominium_create", ok=STAFF, scoped=False),
    Row("housing:condominium_detail", kw(pk="condominium"), ok=STAFF),
    Row("housing:condominium_update", kw(pk="condominium"), ok=STAFF),
    Row("housing:cohousing_list", ok=STAFF, scoped=False),
    Row("housing:cohousing_create", ok=STAFF, scoped=False),
    Row("housing:cohousing_detail", kw(pk="cohousing"), ok=STAFF),
    Row("housing:cohousing_update", kw(pk="cohousing"), ok=STAFF),
    Row("housing:cohousing_costs", kw(pk="cohousing"), ok=STAFF),
    Row("housing:alert_list", ok=STAFF, scoped=False),
    Row("housing:alert_handle", kw(pk="alert"), ok=STAFF, post_only=True),
    Row("housing:caretaker_home", ok=(CT,), scoped=False),
    Row("housing:caretaker_condominium", kw(pk="condominium"), ok=(CT,)),
    Row("housing:caretaker_note_create", kw(pk="condominium"), ok=(CT,)),
    # --- households, leases, arrears, evictions ---------------------------------------------
    Row("tenancies:inbox", ok=(OP,), scoped=False),
    Row("tenancies:task_done", kw(pk="task"), ok=(OP,), post_only=True),
    Row("tenancies:task_dismiss", kw(pk="task"), ok=(OP,), post_only=True),
    Row("tenancies:task_reassign", kw(pk="task"), ok=(OP,), post_only=True),
    Row("tenancies:caseload_reassign", ok=(OP,), scoped=False),
    Row("tenancies:lease_list", ok=(OP,), scoped=False),
    Row("tenancies:lease_new", ok=(OP,), scoped=False),
    Row("tenancies:lease_detail", kw(pk="lease"), ok=(OP,)),
    # An active lease is no longer edited: back to its page.
    Row("tenancies:lease_edit", kw(pk="lease"), ok=(OP,), outcomes={OP: REDIRECT}),
    Row("tenancies:payment_new", kw(pk="lease"), ok=(OP,)),
    Row("tenancies:arrears_dashboard", ok=(OP,), scoped=False),
    Row("tenancies:arrears_case", kw(pk="arrears_case"), ok=(OP,)),
    Row("tenancies:eviction_dashboard", ok=(OP,), scoped=False),
    Row("tenancies:eviction_open", ok=(OP,), scoped=False),
    Row("tenancies:eviction_rules", ok=STAFF, scoped=False),
    Row("tenancies:eviction_policy", ok=(OP,), scoped=False),
    Row("tenancies:eviction_calendar", ok=(OP,), scoped=False),
    # The secret in the address is the login (calendar apps subscribe without a session).
    Row(
        "tenancies:eviction_feed",
        lambda w: {"token": w.calendar_token},
        public=True,
        variant="token",
    ),
    Row(
        "tenancies:eviction_feed",
        lambda w: {"token": "not-a-token"},
        public=True,
        outcomes=dict.fromkeys(ROLES, NOT_FOUND),
        variant="wrong-token",
    ),
    Row("tenancies:eviction_from_arrears", kw(pk="arrears_case"), ok=(OP,)),
    Row("tenancies:eviction_case", kw(pk="eviction"), ok=(OP,)),
    Row("tenancies:eviction_meeting", kw(pk="eviction"), ok=(OP,), post_only=True),
    Row("tenancies:eviction_access", kw(pk="eviction"), ok=(OP,), post_only=True),
    Row("tenancies:eviction_postpone", kw(pk="eviction"), ok=(OP,), post_only=True),
    Row("tenancies:eviction_past_grace", kw(pk="eviction"), ok=(OP,), post_only=True),
    Row("tenancies:eviction_paper", kw(pk="eviction"), ok=(OP,), post_only=True),
    Row("tenancies:eviction_fund", kw(pk="eviction"), ok=(OP,), post_only=True),
    Row(
        "tenancies:eviction_fund_decide",
        kw(pk="eviction", application_pk="application"),
        ok=(OP,),
        post_only=True,
    ),
    Row(
        "tenancies:eviction_fund_receive",
        kw(pk="eviction", application_pk="application"),
        ok=(OP,),
        post_only=True,
    ),
    Row("tenancies:statement_list", ok=(OP,), scoped=False),
    Row("tenancies:statement_detail", kw(pk="statement"), ok=(OP,)),
    Row("tenancies:statement_confirm", kw(pk="statement"), ok=(OP,), post_only=True),
    Row("tenancies:statement_line", kw(pk="statement_line"), ok=(OP,)),
    Row("tenancies:statement_job", kw(pk="statement_job"), ok=(OP,)),
    Row("tenancies:statement_job_status", kw(pk="statement_job"), ok=(OP,)),
    Row("tenancies:import_list", ok=(OP,), scoped=False),
    Row("tenancies:import_detail", kw(pk="import_run"), ok=(OP,)),
    Row("tenancies:import_status", kw(pk="import_run"), ok=(OP,)),
    Row("tenancies:import_confirm", kw(pk="import_run"), ok=(OP,), post_only=True),
    Row("tenancies:import_template", lambda w: {"kind": "landlords"}, ok=(OP,), scoped=False),
    Row("tenancies:caseload", ok=(OP,), scoped=False),
    Row("tenancies:household_list", ok=(OP,), scoped=False),
    Row("tenancies:waiting_list", ok=(OP,), scoped=False),
    Row("tenancies:policy_edit", ok=(OP,), scoped=False),
    Row("tenancies:household_refer", ok=(OP,), scoped=False),
    Row("tenancies:household_detail", kw(pk="household"), ok=(OP,)),
    Row("tenancies:household_edit", kw(pk="household"), ok=(OP,)),
    Row("tenancies:timeline", kw(pk="household"), ok=(OP,)),
    Row("tenancies:member_add", kw(pk="household"), ok=(OP,)),
    Row("tenancies:member_edit", kw(pk="household", member_pk="member"), ok=(OP,)),
    Row(
        "tenancies:enrollment_open",
        kw(pk="household"),
        ok=(OP,),
        post_only=True,
        outcomes=POST_FIRST,
    ),
    # Privacy: the household's export is its operator's (POST); retention and the access log
    # are the fund administrators'.
    Row("tenancies:household_export", kw(pk="household"), ok=(OP,), post_only=True),
    Row("tenancies:privacy", ok=(ADM,), scoped=False),
    Row("tenancies:access_log", kw(pk="household"), ok=(ADM,)),
    Row("tenancies:household_pseudonymise", kw(pk="household"), ok=(ADM,), post_only=True),
    Row("tenancies:pact_create", kw(pk="household"), ok=(OP,)),
    Row("tenancies:pact_detail", kw(pk="household", pact_pk="pact"), ok=(OP,)),
    Row("tenancies:pact_pdf", kw(pk="household", pact_pk="pact"), ok=(OP,)),
    Row(
        "tenancies:commitment_remove",
        kw(pk="household", pact_pk="pact", commitment_pk="commitment"),
        ok=(OP,),
        post_only=True,
        outcomes=POST_FIRST,
    ),
    Row("tenancies:document_upload", kw(pk="household"), ok=(OP,)),
    Row("tenancies:document_download", kw(pk="household", document_pk="document"), ok=(OP,)),
    Row("tenancies:placement_propose", kw(pk="household"), ok=(OP,)),
    Row("tenancies:placement_detail", kw(pk="household", placement_pk="placement"), ok=(OP,)),
    # --- the fund -------------------------------------------------------------------------
    Row("fund:dashboard", ok=(OP, ADM, MON), scoped=False),
    # --- reporting: aggregates for the monitor; targets and fund health for administrators
    Row("reporting:monitor", ok=(OP, ADM, MON), scoped=False),
    Row("reporting:indicators_xlsx", ok=(OP, ADM, MON), scoped=False),
    Row("reporting:fund_health", ok=(ADM,), scoped=False),
    Row("reporting:targets", ok=(ADM,), scoped=False),
    Row("reporting:target_create", ok=(ADM,), scoped=False),
    Row("reporting:target_edit", kw(pk="target"), ok=(ADM,)),
    # Funder reports: written by the administrators, downloaded by monitors too (aggregates).
    Row("reporting:reports", ok=(ADM, MON), scoped=False),
    Row("reporting:report_create", ok=(ADM,), scoped=False),
    Row("reporting:report_detail", kw(pk="funder_report"), ok=(ADM,)),
    Row("reporting:report_status", kw(pk="funder_report"), ok=(ADM,)),
    Row("reporting:report_pdf", kw(pk="funder_report"), ok=(ADM, MON)),
    Row("fund:settings", ok=(ADM,), scoped=False),
    Row("fund:contributions", ok=(ADM,), scoped=False),
    Row("fund:contribution_create", ok=(ADM,), scoped=False),
    Row("fund:ledger", ok=(ADM,), scoped=False),
    Row("fund:transaction", kw(pk="transaction"), ok=(ADM,)),
    Row("fund:transaction_reverse", kw(pk="transaction"), ok=(ADM,)),
    Row("fund:statement", lambda w: {"code": "bank"}, ok=(ADM,), scoped=False),
    Row("fund:stress", ok=(ADM,), scoped=False),
    Row("fund:stress_run", kw(pk="stress_run"), ok=(ADM,)),
    Row("fund:recoveries", ok=STAFF, scoped=False),
    Row("fund:recovery", kw(pk="plan"), ok=STAFF),
    Row("fund:recovery_payment", kw(pk="plan"), ok=(ADM,)),
    Row("fund:recovery_hours", kw(pk="plan"), ok=(ADM,)),
    Row("fund:recovery_waiver", kw(pk="plan"), ok=(ADM,)),
    Row("fund:guarantee_list", ok=STAFF, scoped=False),
    Row("fund:guarantee_request_list", ok=(OP,), scoped=False),
    Row(
        "fund:guarantee_request",
        kw(lease_pk="lease"),
        ok=(OP,),
        post_only=True,
        outcomes=POST_FIRST,
    ),
    Row("fund:my_guarantees", ok=(LL,), scoped=False),
    Row("fund:my_claim_create", kw(pk="guarantee"), ok=(LL,)),
    # The landlord's portal: their guarantee, claim, lease and agreements only.
    Row("fund:my_guarantee", kw(pk="guarantee"), ok=(LL,)),
    Row("fund:my_claim", kw(pk="claim"), ok=(LL,)),
    Row(
        "fund:my_claim_document",
        kw(pk="claim"),
        ok=(LL,),
        post_only=True,
        outcomes=POST_FIRST,
    ),
    Row("fund:my_unpaid_report", kw(pk="lease"), ok=(LL,)),
    Row("fund:my_agreements", ok=(LL,), scoped=False),
    Row("fund:guarantee_detail", kw(pk="guarantee"), ok=STAFF),
    # The guarantee certificate: its landlord, the programme's staff; reissued by the fund.
    Row("fund:certificate", kw(pk="guarantee"), ok=(OP, ADM, LL)),
    Row("fund:certificate_reissue", kw(pk="guarantee"), ok=(ADM,)),
    # Its public check: anyone, no login, nothing personal (the leak search reads it).
    Row("verify:form", public=True),
    Row(
        "verify:certificate",
        lambda w: {"code": w.guarantee.certificates.get(voided_at__isnull=True).code},
        public=True,
    ),
    # A landlord's API keys: its own list and form; revoking another landlord's key is a 404.
    Row("fund:api_tokens", ok=(LL,), scoped=False),
    Row("fund:api_token_revoke", kw(pk="api_token"), ok=(LL,), post_only=True),
    Row("fund:claim_create", kw(pk="guarantee"), ok=(OP,)),
    Row("fund:claim_list", ok=STAFF, scoped=False),
    Row("fund:claim_detail", kw(pk="claim"), ok=STAFF),
    # A claim's letters: the programme's staff all of them (never monitors); its landlord the
    # decision letter only, and the documents they filed on their own claim.
    Row("fund:claim_letter", kw(pk="decided_claim", letter_pk="decision_letter"), ok=STAFF),
    Row(
        "fund:my_claim_letter",
        kw(pk="decided_claim", letter_pk="decision_letter"),
        ok=(LL,),
    ),
    Row(
        "fund:my_claim_document_file",
        kw(pk="claim", document_pk="claim_document"),
        ok=(LL,),
    ),
    # The fund's bank: its account, SEPA payout files, its statements, the reconciliation.
    Row("fund:bank_account", ok=(ADM,), scoped=False),
    Row("fund:payouts", ok=(ADM,), scoped=False),
    Row("fund:payout_batch", kw(pk="payout_batch"), ok=(ADM,)),
    Row("fund:payout_batch_file", kw(pk="payout_batch"), ok=(ADM,)),
    Row("fund:fund_statements", ok=(ADM,), scoped=False),
    Row("fund:fund_statement", kw(pk="fund_statement"), ok=(ADM,)),
    Row("fund:fund_statement_job", kw(pk="fund_statement_job"), ok=(ADM,)),
    Row("fund:fund_statement_job_status", kw(pk="fund_statement_job"), ok=(ADM,)),
    Row("fund:fund_statement_line_match", kw(pk="fund_statement_line"), ok=(ADM,)),
    Row("fund:reconciliations", ok=(ADM,), scoped=False),
    Row("fund:reconciliation", kw(pk="reconciliation_period"), ok=(ADM,)),
    *(
        Row(
            "fund:export",
            lambda w, what=what: {"what": what},
            ok=(ADM,),
            scoped=False,
            variant=what,
        )
        for what in ("movimenti", "richieste", "bonifici", "recuperi")
    ),
]


def mixed(name, get=NOT_FOUND, **getters):
    """Programme B's parent with programme A's child (`pk` of B's household or case, the other
    keys A's objects): the child is looked up under the parent, so both operators get 404 (on
    POST; `get` is what the operators get on GET, 405 for a POST-only view)."""
    return Row(
        name,
        kw(**getters),
        post_only=get != NOT_FOUND,
        outcomes=POST_FIRST if get == POST_FIRST else {OP: get, OP_B: get},
        variant="B's parent, A's child",
    )


ROWS += [
    mixed("tenancies:member_edit", pk="household_b", member_pk="member"),
    mixed("tenancies:pact_detail", pk="household_b", pact_pk="pact"),
    mixed("tenancies:pact_pdf", pk="household_b", pact_pk="pact"),
    mixed(
        "tenancies:commitment_remove",
        get=POST_FIRST,
        pk="household_b",
        pact_pk="pact",
        commitment_pk="commitment",
    ),
    mixed("tenancies:document_download", pk="household_b", document_pk="document"),
    mixed("tenancies:placement_detail", pk="household_b", placement_pk="placement"),
    mixed(
        "tenancies:eviction_fund_decide",
        get=NOT_ALLOWED,
        pk="eviction_b",
        application_pk="application",
    ),
    mixed(
        "tenancies:eviction_fund_receive",
        get=NOT_ALLOWED,
        pk="eviction_b",
        application_pk="application",
    ),
]

# --- the world and its clients -------------------------------------------------------------


@pytest.fixture(scope="module")
def world(module_db, tmp_path_factory):
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("documents")):
        world = access_world_build()
        # One login per role for the module: the sessions live in the module's transaction.
        world.sessions = {}
        for role, user in world.users.items():
            if user is not None:
                client = login_verified(Client(), user)
                world.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
        yield world


def client_for(world, role) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="it")
    if role != ANON:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
    return client


def outcome(response):
    if response.status_code in (301, 302, 303):
        return LOGIN if urlsplit(response.url).path == reverse("login") else REDIRECT
    return response.status_code


def body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def close(response):
    """Let a download's file go: consuming a streaming response closes it through the test
    client's wrapper. Never `response.close()`: it fires request_finished, whose
    close_old_connections drops a PostgreSQL connection inside the test's transaction."""
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
    return response


# --- the tests ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.id)
def test_permission_matrix(row, world):
    _row_check(row, world)


# The page benchmark's bare pages (common.benchmark_views) exist only with BENCHMARK=true, which
# routes config.urls_benchmark: every signed-in member gets them, and they show nobody's data.
BENCHMARK_URLCONF = "config.urls_benchmark"
BENCHMARK_ROWS = [
    Row("benchmark:bare_one", ok=(OP, ADM, CT, MON, LL), scoped=False),
    Row("benchmark:bare_many", ok=(OP, ADM, CT, MON, LL), scoped=False),
]


@pytest.mark.django_db
@pytest.mark.parametrize("row", BENCHMARK_ROWS, ids=lambda row: row.id)
def test_permission_matrix_of_the_benchmark_pages(row, world):
    with override_settings(ROOT_URLCONF=BENCHMARK_URLCONF):
        _row_check(row, world)


def _row_check(row, world):
    url = reverse(row.name, kwargs=row.kwargs(world))
    expected = row.expected()

    actual, leaks = {}, {}
    for role in ROLES:
        response = client_for(world, role).get(url)
        actual[role] = outcome(response)
        text = body(response) if actual[role] == OK and role in NO_PERSONAL_DATA else ""
        close(response)
        found = [secret for secret in NO_PERSONAL_DATA.get(role, ()) if secret in text]
        if found:
            leaks[role] = found
    assert actual == expected, f"GET {url}: {_differences(expected, actual)}"
    assert not leaks, f"GET {url} shows personal data to {leaks}"

    # Everyone refused on GET is refused on POST too, and the database does not move.
    refused = row.post_refused()
    before = fingerprint()
    for role in refused:
        got = outcome(close(client_for(world, role).post(url, {"note": "x"})))
        assert got in REFUSED, f"POST {url} as {role}: {got}"
        if role in row.cross_roles():
            assert got in (DENIED, NOT_FOUND), f"POST {url} as {role}: {got}"
    assert fingerprint_diff(before, fingerprint()) == {}, f"refused POSTs to {url} wrote"


def _differences(expected, actual) -> str:
    return ", ".join(
        f"{role}: expected {expected[role]}, got {actual[role]}"
        for role in ROLES
        if expected[role] != actual[role]
    )


@pytest.mark.django_db
def test_the_staff_see_what_the_leak_check_looks_for(world):
    """The leak check is not vacuous: programme A's operator reads every marker on its pages."""
    client = client_for(world, OP)
    pages = [
        reverse("tenancies:household_detail", kwargs={"pk": world.household.pk}),
        reverse("tenancies:lease_detail", kwargs={"pk": world.lease.pk}),
    ]
    text = "".join(body(client.get(url)) for url in pages)
    assert all(marker in text for marker in EVERYTHING), [m for m in EVERYTHING if m not in text]


def test_other_programmes_and_landlords_never_get_a_page_about_ours():
    """The table itself says so: a row that granted programme A's object to operator B or
    landlord A's to landlord B would be a leak written down as expected."""
    for row in ROWS:
        expected = row.expected()
        for role in row.cross_roles():
            assert expected[role] in (DENIED, NOT_FOUND, NOT_ALLOWED), (row.id, role)


def _url_names(resolver=None, namespace=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace
            if inner in EXCLUDED_NAMESPACES:
                continue
            yield from _url_names(entry, f"{namespace}{inner}:" if inner else namespace)
        elif isinstance(entry, URLPattern):
            if str(entry.pattern).lstrip("^").startswith(settings.STATIC_URL.strip("/")):
                continue  # static files, routed only with DEBUG on
            yield f"{namespace}{entry.name}" if entry.name else f"<unnamed {entry.pattern}>"


def test_every_benchmark_url_is_in_the_matrix():
    """With BENCHMARK on, the URLs it adds are exactly the bare pages, each with its row (the
    application's own are test_every_url_is_in_the_matrix's)."""
    with override_settings(ROOT_URLCONF=BENCHMARK_URLCONF):
        with_benchmark = set(_url_names())
    added = with_benchmark - set(_url_names())
    assert added == {row.name for row in BENCHMARK_ROWS}


def test_every_url_is_in_the_matrix():
    names = set(_url_names())
    covered = {row.name for row in ROWS}
    missing = sorted(names - covered)
    assert not missing, f"URL patterns without a row in the permission matrix: {missing}"
    assert not covered - names, f"rows for URLs that no longer exist: {covered - names}"
    steps = {row.variant for row in ROWS if row.name == "common:step"}
    assert not set(_WORKFLOWS) - steps, (
        f"workflows without a common:step row: {sorted(set(_WORKFLOWS) - steps)}"
    )
    posts = sum(len(row.post_refused()) for row in ROWS)
    print(
        f"\npermission matrix: {len(names)} URL patterns in {len(ROWS)} rows × {len(ROLES)} "
        f"roles = {len(ROWS) * len(ROLES)} GET checks, and {posts} refused POSTs"
    )
