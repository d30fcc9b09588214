from django.urls import path

from tenancies.views import (
    arrears,
    bank,
    documents,
    enrollment,
    eviction,
    households,
    leases,
    pacts,
    placements,
)

app_name = "tenancies"

urlpatterns = [
    path("contratti/", leases.lease_list_view, name="lease_list"),
    path("contratti/nuovo/", leases.lease_new_view, name="lease_new"),
    path("contratti/<int:pk>/", leases.lease_detail_view, name="lease_detail"),
    path("contratti/<int:pk>/modifica/", leases.lease_edit_view, name="lease_edit"),
    path("contratti/<int:pk>/pagamento/", leases.payment_new_view, name="payment_new"),
    path("estratti-conto/", bank.statement_list_view, name="statement_list"),
    path("estratti-conto/<int:pk>/", bank.statement_detail_view, name="statement_detail"),
    path(
        "estratti-conto/<int:pk>/conferma/", bank.statement_confirm_view, name="statement_confirm"
    ),
    path("estratti-conto/righe/<int:pk>/", bank.statement_line_view, name="statement_line"),
    path("morosita/", arrears.arrears_dashboard_view, name="arrears_dashboard"),
    path("morosita/<int:pk>/", arrears.arrears_case_view, name="arrears_case"),
    path("sfratti/", eviction.eviction_dashboard_view, name="eviction_dashboard"),
    path("sfratti/nuovo/", eviction.eviction_open_view, name="eviction_open"),
    path("sfratti/regole/", eviction.eviction_rules_view, name="eviction_rules"),
    path("sfratti/regole/impostazioni/", eviction.eviction_policy_view, name="eviction_policy"),
    path("sfratti/calendario/", eviction.eviction_calendar_view, name="eviction_calendar"),
    path("sfratti/calendario/<str:token>.ics", eviction.eviction_feed_view, name="eviction_feed"),
    path(
        "sfratti/da-morosita/<int:pk>/",
        eviction.eviction_from_arrears_view,
        name="eviction_from_arrears",
    ),
    path("sfratti/<int:pk>/", eviction.eviction_case_view, name="eviction_case"),
    path("sfratti/<int:pk>/incontro/", eviction.eviction_meeting_view, name="eviction_meeting"),
    path("sfratti/<int:pk>/accesso/", eviction.eviction_access_view, name="eviction_access"),
    path(
        "sfratti/<int:pk>/rinvio-accesso/",
        eviction.eviction_postpone_view,
        name="eviction_postpone",
    ),
    path(
        "sfratti/<int:pk>/grazia-precedente/",
        eviction.eviction_past_grace_view,
        name="eviction_past_grace",
    ),
    path("sfratti/<int:pk>/atti/", eviction.eviction_paper_view, name="eviction_paper"),
    path("sfratti/<int:pk>/fondo/", eviction.eviction_fund_view, name="eviction_fund"),
    path(
        "sfratti/<int:pk>/fondo/<int:application_pk>/decisione/",
        eviction.eviction_fund_decide_view,
        name="eviction_fund_decide",
    ),
    path(
        "sfratti/<int:pk>/fondo/<int:application_pk>/incasso/",
        eviction.eviction_fund_receive_view,
        name="eviction_fund_receive",
    ),
    path("", households.caseload_view, name="caseload"),
    path("elenco/", households.household_list_view, name="household_list"),
    path("attesa/", households.waiting_list_view, name="waiting_list"),
    path("regole/", households.policy_edit_view, name="policy_edit"),
    path("nuovo/", households.household_refer_view, name="household_refer"),
    path("<int:pk>/", households.household_detail_view, name="household_detail"),
    path("<int:pk>/modifica/", households.household_edit_view, name="household_edit"),
    path("<int:pk>/cronologia/", households.timeline_view, name="timeline"),
    path("<int:pk>/componenti/nuovo/", households.member_form_view, name="member_add"),
    path(
        "<int:pk>/componenti/<int:member_pk>/",
        households.member_form_view,
        name="member_edit",
    ),
    path("<int:pk>/percorso/nuovo/", enrollment.enrollment_open_view, name="enrollment_open"),
    path("<int:pk>/patti/nuovo/", pacts.pact_create_view, name="pact_create"),
    path("<int:pk>/patti/<int:pact_pk>/", pacts.pact_detail_view, name="pact_detail"),
    path("<int:pk>/patti/<int:pact_pk>/pdf/", pacts.pact_pdf_view, name="pact_pdf"),
    path(
        "<int:pk>/patti/<int:pact_pk>/impegni/<int:commitment_pk>/elimina/",
        pacts.commitment_remove_view,
        name="commitment_remove",
    ),
    path("<int:pk>/documenti/nuovo/", documents.document_upload_view, name="document_upload"),
    path(
        "<int:pk>/documenti/<int:document_pk>/",
        documents.document_download_view,
        name="document_download",
    ),
    path(
        "<int:pk>/sistemazioni/nuova/",
        placements.placement_propose_view,
        name="placement_propose",
    ),
    path(
        "<int:pk>/sistemazioni/<int:placement_pk>/",
        placements.placement_detail_view,
        name="placement_detail",
    ),
]
