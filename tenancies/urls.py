from django.urls import path

from tenancies.views import (
    arrears,
    documents,
    enrollment,
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
    path("contratti/<int:pk>/pagamento/", leases.payment_new_view, name="payment_new"),
    path(
        "contratti/<int:pk>/<slug:transition>/",
        leases.lease_transition_view,
        name="lease_transition",
    ),
    path("morosita/", arrears.arrears_dashboard_view, name="arrears_dashboard"),
    path("morosita/<int:pk>/", arrears.arrears_case_view, name="arrears_case"),
    path("morosita/<int:pk>/contatto/", arrears.arrears_contact_view, name="arrears_contact"),
    path("morosita/<int:pk>/piano/", arrears.arrears_plan_view, name="arrears_plan"),
    path("morosita/<int:pk>/sfratto/", arrears.arrears_escalate_view, name="arrears_escalate"),
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
    path(
        "<int:pk>/percorso/<int:enrollment_pk>/<slug:step>/",
        enrollment.enrollment_step_view,
        name="enrollment_step",
    ),
    path("<int:pk>/patti/nuovo/", pacts.pact_create_view, name="pact_create"),
    path("<int:pk>/patti/<int:pact_pk>/", pacts.pact_detail_view, name="pact_detail"),
    path("<int:pk>/patti/<int:pact_pk>/verifica/", pacts.pact_review_view, name="pact_review"),
    path("<int:pk>/patti/<int:pact_pk>/pdf/", pacts.pact_pdf_view, name="pact_pdf"),
    path(
        "<int:pk>/patti/<int:pact_pk>/impegni/<int:commitment_pk>/elimina/",
        pacts.commitment_remove_view,
        name="commitment_remove",
    ),
    path("<int:pk>/patti/<int:pact_pk>/<slug:step>/", pacts.pact_step_view, name="pact_step"),
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
    path(
        "<int:pk>/sistemazioni/<int:placement_pk>/<slug:step>/",
        placements.placement_step_view,
        name="placement_step",
    ),
]
