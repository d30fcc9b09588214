"""Our own key authentication: DRF's TokenAuthentication keeps keys in plain text, ours keeps
only their SHA-256 (fund.models.api_tokens)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from fund.selectors.api_tokens import api_token_find
from fund.services.api_tokens import api_token_mark_used

KEYWORDS = (b"bearer", b"token")


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <key>` (or `Token <key>`). An unknown, revoked or malformed key is
    refused (401); no header at all leaves the request anonymous for public operations."""

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() not in KEYWORDS:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Malformed API key header."))
        try:
            plain = header[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed(_("Invalid API key.")) from error
        token = api_token_find(plain=plain)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid API key."))
        api_token_mark_used(token=token)
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "fund.api.authentication.ApiTokenAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A key created on the page «Chiavi API» (/fondo/chiavi-api/).",
        }
