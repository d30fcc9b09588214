from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("common.auth_urls")),
    path("", include("common.urls")),
    path("alloggi/", include("housing.urls")),
    path("nuclei/", include("tenancies.urls")),
    path("fondo/", include("fund.urls")),
    path("rendiconti/", include("reporting.urls")),
    path("verifica/", include("fund.verify_urls")),
    path("api/", include("fund.api.urls")),
    path("notifiche/", include("common.notifications.urls")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
