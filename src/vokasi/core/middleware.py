from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.http import HttpRequest, HttpResponse
from django.utils import timezone


class CentreTimezoneMiddleware:
    """Shows times in the training centre's own zone (Bontang: WITA, Asia/Makassar).

    One installation normally serves one centre; each process remembers its zone for a
    minute (see catalog.selectors.current_centre_timezone), and the process that saves
    the centre forgets it at once (catalog.services.centre_saved).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from vokasi.catalog.selectors import current_centre_timezone

        zone = current_centre_timezone()
        if zone:
            timezone.activate(ZoneInfo(zone))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
