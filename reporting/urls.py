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
]
