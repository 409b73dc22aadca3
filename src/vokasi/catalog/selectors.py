"""Reads of the catalogue."""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.db.models import QuerySet

from vokasi.catalog.models import Batch, BatchState, Programme, TrainingCentre

_TZ_CACHE_KEY = "vokasi:centre-timezone"


def current_centre() -> TrainingCentre | None:
    """The centre this installation serves (the first one; multi-centre is not yet needed)."""
    return TrainingCentre.objects.select_related("region").order_by("pk").first()


def current_centre_timezone() -> str | None:
    zone: str | None = cache.get(_TZ_CACHE_KEY)
    if zone is None:
        centre = TrainingCentre.objects.order_by("pk").values_list("timezone", flat=True).first()
        zone = centre or ""
        cache.set(_TZ_CACHE_KEY, zone, 300)
    return zone or None


def forget_centre_timezone() -> None:
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
