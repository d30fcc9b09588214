from django.urls import path

from common import views

app_name = "common"

urlpatterns = [
    path("cruscotto/", views.dashboard, name="dashboard"),
    path("cerca/", views.search_view, name="search"),
    path("programma/", views.programme_switch, name="programme_switch"),
    path("passo/<slug:workflow>/<int:pk>/<slug:step>/", views.step_view, name="step"),
]
