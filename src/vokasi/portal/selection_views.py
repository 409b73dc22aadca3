"""The public announcement of a published selection round, with its files for anyone to check."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from vokasi.selection.selectors import published_rounds, round_by_batch


def announcement(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = published_rounds().filter(pk=pk).first()
    if round_ is None:
        raise Http404
    return render(
        request,
        "portal/announcement.html",
        {"round": round_, "batches": round_by_batch(round_, public=True)},
    )


def round_file(request: HttpRequest, pk: int, which: str) -> HttpResponse:
    round_ = published_rounds().filter(pk=pk).first()
    if round_ is None or which not in ("input", "result"):
        raise Http404
    data = round_.input_file if which == "input" else round_.result_file
    response = HttpResponse(bytes(data or b""), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="seleksi-{round_.pk}-{which}.json"'
    return response
