from __future__ import annotations

from typing import Any

from django.test import RequestFactory

from vokasi.core.throttle import client_ip


def test_forwarded_for_counts_only_behind_the_proxy(settings: Any) -> None:
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 5.6.7.8"
    )
    settings.BEHIND_PROXY = False
    assert client_ip(request) == "10.1.1.1"
    settings.BEHIND_PROXY = True
    assert client_ip(request) == "5.6.7.8"
