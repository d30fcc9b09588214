"""System checks of the fund's settings (`manage.py check --deploy`)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", ""}


@register(Tags.security, deploy=True)
def site_url_is_public(app_configs, **kwargs):
    """Certificates print SITE_URL in their QR code: a local address would be useless on
    paper, and a certificate once issued is never changed."""
    if urlsplit(settings.SITE_URL).hostname not in LOCAL_HOSTS | {None}:
        return []
    return [
        Warning(
            f"SITE_URL is {settings.SITE_URL!r}: guarantee certificates would print a QR code "
            "that nobody outside this machine can open.",
            hint="Set SITE_URL to the public address, e.g. https://fondo.example.org.",
            id="fund.W001",
        )
    ]
