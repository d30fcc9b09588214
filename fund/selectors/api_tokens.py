"""Reading API keys: the user's own list, and the key a request presents."""

from fund.models.api_tokens import API_TOKEN_SCHEME, ApiToken, api_token_hash


def api_tokens_for_user(*, user, programme):
    """The user's keys in the programme, newest first, revoked ones included."""
    return ApiToken.objects.filter(user=user, programme=programme).order_by("-created_at", "-id")


def api_token_get_for_user(*, user, programme, pk: int) -> ApiToken:
    return api_tokens_for_user(user=user, programme=programme).get(pk=pk)


def api_token_find(*, plain: str) -> ApiToken | None:
    """The usable key whose secret is `plain`, with its user and programme; None otherwise.
    Looked up by hash, so the comparison never touches the secret itself."""
    if not plain.startswith(f"{API_TOKEN_SCHEME}_") or len(plain) > 200:
        return None
    return (
        ApiToken.objects.usable()
        .select_related("user", "programme")
        .filter(key_hash=api_token_hash(plain), user__is_active=True)
        .first()
    )
