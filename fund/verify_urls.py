"""The public certificate check (no login): /verifica/ and /verifica/<code>/."""

from django.urls import path

from fund.views import certificates

app_name = "verify"

urlpatterns = [
    path("", certificates.verify_form, name="form"),
    path("<str:code>/", certificates.verify_certificate, name="certificate"),
]
