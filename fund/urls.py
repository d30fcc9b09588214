from django.urls import path

from fund.views import api_tokens as tviews
from fund.views import certificates as cviews
from fund.views import exports as xviews
from fund.views import guarantees as gviews
from fund.views import ledger as views
from fund.views import letters as lviews
from fund.views import payouts as pviews
from fund.views import portal, recovery

app_name = "fund"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("impostazioni/", views.fund_settings, name="settings"),
    path("contributi/", views.contributions, name="contributions"),
    path("contributi/nuovo/", views.contribution_create, name="contribution_create"),
    path("movimenti/", views.ledger, name="ledger"),
    path("movimenti/<int:pk>/", views.transaction_detail, name="transaction"),
    path("movimenti/<int:pk>/storno/", views.transaction_reverse_view, name="transaction_reverse"),
    path("conti/<slug:code>/", views.statement, name="statement"),
    path("stress-test/", views.stress_test, name="stress"),
    path("stress-test/<int:pk>/", views.stress_run, name="stress_run"),
    path("recuperi/", recovery.plan_list_view, name="recoveries"),
    path("recuperi/<int:pk>/", recovery.plan_detail, name="recovery"),
    path("recuperi/<int:pk>/rimborso/", recovery.payment_record, name="recovery_payment"),
    path("recuperi/<int:pk>/ore/", recovery.hours_log, name="recovery_hours"),
    path("recuperi/<int:pk>/rinuncia/", recovery.waiver_propose_view, name="recovery_waiver"),
    path("garanzie/", gviews.guarantee_list, name="guarantee_list"),
    path("garanzie/da-richiedere/", gviews.guarantee_request_list, name="guarantee_request_list"),
    path(
        "garanzie/da-richiedere/<int:lease_pk>/",
        gviews.guarantee_request_view,
        name="guarantee_request",
    ),
    # The landlord's portal.
    path("garanzie/mie/", portal.home, name="my_guarantees"),
    path("garanzie/mie/<int:pk>/", portal.guarantee_view, name="my_guarantee"),
    path("garanzie/mie/<int:pk>/richiesta/", portal.claim_create, name="my_claim_create"),
    path("garanzie/mie/richieste/<int:pk>/", portal.claim_view, name="my_claim"),
    path(
        "garanzie/mie/richieste/<int:pk>/documenti/",
        portal.claim_document_view,
        name="my_claim_document",
    ),
    path(
        "garanzie/mie/richieste/<int:pk>/documenti/<int:document_pk>/",
        lviews.my_claim_document_file,
        name="my_claim_document_file",
    ),
    path(
        "garanzie/mie/richieste/<int:pk>/lettere/<int:letter_pk>/",
        lviews.my_claim_letter,
        name="my_claim_letter",
    ),
    path(
        "garanzie/mie/contratti/<int:pk>/morosita/",
        portal.unpaid_report_view,
        name="my_unpaid_report",
    ),
    path("garanzie/mie/convenzioni/", portal.agreements_view, name="my_agreements"),
    path("garanzie/<int:pk>/", gviews.guarantee_detail, name="guarantee_detail"),
    path("garanzie/<int:pk>/richiesta/", gviews.claim_create, name="claim_create"),
    path("garanzie/<int:pk>/certificato/", cviews.certificate_download, name="certificate"),
    path(
        "garanzie/<int:pk>/certificato/nuovo/",
        cviews.certificate_reissue_view,
        name="certificate_reissue",
    ),
    path("chiavi-api/", tviews.api_tokens, name="api_tokens"),
    path("chiavi-api/<int:pk>/revoca/", tviews.api_token_revoke_view, name="api_token_revoke"),
    path("richieste/", gviews.claim_list, name="claim_list"),
    path("richieste/<int:pk>/", gviews.claim_detail, name="claim_detail"),
    path("richieste/<int:pk>/lettere/<int:letter_pk>/", lviews.claim_letter, name="claim_letter"),
    path("conto-bancario/", pviews.bank_account, name="bank_account"),
    path("bonifici/", pviews.payouts, name="payouts"),
    path("bonifici/<int:pk>/", pviews.payout_batch, name="payout_batch"),
    path("bonifici/<int:pk>/sepa.xml", pviews.payout_batch_file, name="payout_batch_file"),
    path("estratti-conto/", pviews.statements, name="fund_statements"),
    path("estratti-conto/<int:pk>/", pviews.statement_detail, name="fund_statement"),
    path("estratti-conto/caricamenti/<int:pk>/", pviews.statement_job, name="fund_statement_job"),
    path(
        "estratti-conto/caricamenti/<int:pk>/stato/",
        pviews.statement_job_status,
        name="fund_statement_job_status",
    ),
    path(
        "estratti-conto/righe/<int:pk>/abbina/",
        pviews.statement_line_match,
        name="fund_statement_line_match",
    ),
    path("riconciliazioni/", pviews.reconciliations, name="reconciliations"),
    path("riconciliazioni/<int:pk>/", pviews.reconciliation, name="reconciliation"),
    path("esporta/<slug:what>/", xviews.export, name="export"),
]
