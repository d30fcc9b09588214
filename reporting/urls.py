from django.urls import path

from reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.monitor, name="monitor"),
    path("indicatori.xlsx", views.indicators_xlsx, name="indicators_xlsx"),
    path("fondo/", views.fund_health, name="fund_health"),
    path("obiettivi/", views.targets, name="targets"),
    path("obiettivi/nuovo/", views.target_create_view, name="target_create"),
    path("obiettivi/<int:pk>/", views.target_edit, name="target_edit"),
    path("rapporti/", views.reports, name="reports"),
    path("rapporti/nuovo/", views.report_create, name="report_create"),
    path("rapporti/<int:pk>/", views.report_detail, name="report_detail"),
    path("rapporti/<int:pk>/stato/", views.report_status, name="report_status"),
    path("rapporti/<int:pk>/pdf/", views.report_pdf, name="report_pdf"),
]
