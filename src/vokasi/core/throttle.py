"""A small fixed-window rate limit on sign-up, login and code requests.

Sign-ups and code requests count every attempt (each one costs a message). Logins count
only failures: a centre's staff share one office connection, and their correct logins
must not lock each other out.

Counted in Django's cache. With several app servers, point CACHES at a shared store
(the database cache or Redis) so that every server counts the same attempts.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    # Behind the reverse proxy the README describes, REMOTE_ADDR is the proxy; the proxy
    # appends the client to X-Forwarded-For, so the last entry is the one it saw.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "") if settings.BEHIND_PROXY else ""
    if forwarded:
        return str(forwarded).split(",")[-1].strip()
    return str(request.META.get("REMOTE_ADDR", ""))


def too_many(key: str, *, limit: int, seconds: int) -> bool:
    """Counts one attempt under `key`; True once more than `limit` happened in the window."""
    cache_key = f"throttle:{key}"
    if cache.add(cache_key, 1, seconds):
        return False
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, seconds)
        return False
    return count > limit


def throttled(
    request: HttpRequest, action: str, *, account: str = "", limit: int = 10, seconds: int = 600
) -> bool:
    """True when this IP, or this account, tried `action` too often lately."""
    by_ip = too_many(_ip_key(request, action), limit=limit * 3, seconds=seconds)
    by_account = bool(account) and too_many(
        f"{action}:acct:{account}", limit=limit, seconds=seconds
    )
    return by_ip or by_account


def _ip_key(request: HttpRequest, action: str) -> str:
    return f"{action}:ip:{client_ip(request)}"


def failures_exceeded(
    request: HttpRequest, action: str, *, account: str = "", limit: int = 10
) -> bool:
    """True when this account failed `action` `limit` times lately, or this IP three times
    as often; counts nothing."""
    by_ip = cache.get(f"throttle:{_ip_key(request, action)}", 0) >= limit * 3
    return by_ip or (bool(account) and cache.get(f"throttle:{action}:acct:{account}", 0) >= limit)


def failure(request: HttpRequest, action: str, *, account: str = "", seconds: int = 600) -> None:
    """Counts one failed `action` for this IP and this account."""
    too_many(_ip_key(request, action), limit=0, seconds=seconds)
    if account:
        too_many(f"{action}:acct:{account}", limit=0, seconds=seconds)


def failures_forget(action: str, *, account: str) -> None:
    """After a success: the account's own count starts again (the IP's does not, or one
    good account would let a guesser go on from the same connection)."""
    cache.delete(f"throttle:{action}:acct:{account}")
