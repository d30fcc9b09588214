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
