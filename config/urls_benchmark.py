"""The application's URLs plus the bare pages of the page benchmark (settings.BENCHMARK)."""

from django.urls import include, path

from config.urls import urlpatterns as application_urlpatterns

urlpatterns = [
    *application_urlpatterns,
    path("banco/", include("common.benchmark_urls")),
]
