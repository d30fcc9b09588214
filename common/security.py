"""Who is asking: the client's address as seen through the reverse proxies we trust."""

from ipaddress import ip_address

from django.conf import settings


def client_ip(request) -> str | None:
    """The client's address. Each trusted proxy appends the address it received the request
    from to X-Forwarded-For, so the client is the `TRUSTED_PROXY_COUNT`-th entry from the
    right; whatever stands further left was written by the client and is not believed. With
    no trusted proxy (the default) the header is ignored and REMOTE_ADDR is the client."""
    remote_addr = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote_addr
    forwarded = [
        part.strip()
        for part in request.META.get(settings.FORWARDED_FOR_HEADER, "").split(",")
        if part.strip()
    ]
    if len(forwarded) < count:
        # The request did not pass through all our proxies: trust only the connection.
        return remote_addr
    candidate = forwarded[-count]
    try:
        return str(ip_address(candidate))
    except ValueError:
        return remote_addr


def rate_limited(request, *, scope: str, limit: int, period: int = 60) -> bool:
    """Count this request against `limit` per `period` seconds for its client address in
    `scope`; True once the address is over the limit. A fixed window in Django's cache: with
    several processes the cache must be shared (CACHE_URL) for the limit to hold across them."""
    from django.core.cache import cache
    from django.utils.timezone import now

    window = int(now().timestamp()) // period
    key = f"rate:{scope}:{client_ip(request) or 'unknown'}:{window}"
    # add() is a no-op when the key exists, so two first requests cannot reset each other.
    cache.add(key, 0, timeout=period)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=period)
        count = 1
    return count > limit
