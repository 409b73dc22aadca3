"""Reads of the catalogue."""

from __future__ import annotations

import datetime as dt
import time

from django.core.cache import cache
from django.db.models import QuerySet

from vokasi.catalog.models import Batch, BatchState, Programme, TrainingCentre

_TZ_CACHE_KEY = "vokasi:centre-timezone"
# Every request asks for the zone (CentreTimezoneMiddleware). The shared cache is the
# database by default, so each process also keeps the answer for a minute: one query a
# minute per process instead of one per request. A changed zone reaches the other
# processes within that minute.
_TZ_LOCAL_SECONDS = 60.0
_tz_local: tuple[str, float] | None = None


def current_centre() -> TrainingCentre | None:
    """The centre this installation serves (the first one; multi-centre is not yet needed)."""
    return TrainingCentre.objects.select_related("region").order_by("pk").first()


def current_centre_timezone() -> str | None:
    global _tz_local
    now = time.monotonic()
    if _tz_local is not None and _tz_local[1] > now:
        return _tz_local[0] or None
    zone: str | None = cache.get(_TZ_CACHE_KEY)
    if zone is None:
        centre = TrainingCentre.objects.order_by("pk").values_list("timezone", flat=True).first()
        zone = centre or ""
        cache.set(_TZ_CACHE_KEY, zone, 300)
    _tz_local = (zone, now + _TZ_LOCAL_SECONDS)
    return zone or None


def forget_centre_timezone() -> None:
    global _tz_local
    _tz_local = None
    cache.delete(_TZ_CACHE_KEY)


def batches_open_for_registration(*, today: dt.date) -> QuerySet[Batch]:
    return (
        Batch.objects.filter(
            state=BatchState.OPEN, registration_opens__lte=today, registration_closes__gte=today
        )
        .select_related("programme", "funding", "venue_partner")
        .order_by("registration_closes", "code")
    )


def batches_for_public(*, today: dt.date) -> QuerySet[Batch]:
    """Batches a visitor may see: open, soon open, in selection or running; never a batch
    held inside a prison, whose participants are nominated and must not be exposed."""
    return (
        Batch.objects.filter(state__in=[BatchState.OPEN, BatchState.SELECTION, BatchState.RUNNING])
        .exclude(venue_partner__kind="prison")
        .select_related("programme", "funding")
        .order_by("training_starts", "code")
    )


def programmes_for_public() -> QuerySet[Programme]:
    return Programme.objects.filter(active=True).prefetch_related("units").order_by("field", "name")
