"""The public site: the centre, its open batches and its programme catalogue."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from vokasi.catalog.models import Batch, Programme
from vokasi.catalog.selectors import (
    batches_for_public,
    batches_open_for_registration,
    programmes_for_public,
)
from vokasi.selection.selectors import published_rounds
from vokasi.training.selectors import seats_taken

# How many selection announcements the home page lists, newest first.
HOME_ANNOUNCEMENTS = 5


def _with_seats(batches: list[Batch]) -> list[Batch]:
    taken = seats_taken(batches)
    for batch in batches:
        batch.seats_left = max(batch.quota - taken.get(batch.pk, 0), 0)  # type: ignore[attr-defined]
    return batches


def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    batches = list(batches_for_public(today=today))
    open_now = _with_seats(
        list(batches_open_for_registration(today=today).exclude(venue_partner__kind="prison"))
    )
    shown = {b.pk for b in open_now}
    upcoming = [b for b in batches if b.pk not in shown]
    return render(
        request,
        "portal/home.html",
        {
            "open_batches": open_now,
            "other_batches": upcoming,
            "announcements": list(published_rounds()[:HOME_ANNOUNCEMENTS]),
            "today": today,
        },
    )


def programme_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    public = batches_for_public(today=today)
    programmes = programmes_for_public().prefetch_related(
        Prefetch("batches", queryset=public, to_attr="public_batches")
    )
    return render(request, "portal/programme_list.html", {"programmes": programmes})


def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(programmes_for_public(), pk=pk)
    today = timezone.localdate()
    batches = _with_seats(list(batches_for_public(today=today).filter(programme=programme)))
    return render(
        request, "portal/programme_detail.html", {"programme": programme, "batches": batches}
    )


def batch_detail(request: HttpRequest, code: str) -> HttpResponse:
    today = timezone.localdate()
    batch = batches_for_public(today=today).filter(code=code).first()
    if batch is None:
        raise Http404
    _with_seats([batch])
    programme: Programme = batch.programme
    return render(request, "portal/batch_detail.html", {"batch": batch, "programme": programme})
