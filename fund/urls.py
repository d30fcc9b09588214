from django.urls import path

from fund.views import ledger as views

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
]
