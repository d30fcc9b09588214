"""/api/: the versioned operations under v1/, the OpenAPI schema and its docs page."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from fund.api import views

app_name = "api"

router = SimpleRouter()
router.register("guarantees", views.GuaranteeViewSet, basename="guarantee")
router.register("leases", views.LeaseViewSet, basename="lease")
router.register("claims", views.ClaimViewSet, basename="claim")

v1 = [
    *router.urls,
    path(
        "certificates/<str:code>/", views.CertificateVerifyView.as_view(), name="certificate-verify"
    ),
]

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="fund/api_docs.html"
        ),
        name="docs",
    ),
]
