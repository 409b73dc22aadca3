"""The site's URLs plus the two baselines bench/registration.py measures beside the
registration POST. Used only by the benchmark's server (bench/bench_settings.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from vokasi.core.models import AuditEntry


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@csrf_exempt
@require_POST
def insert(request: HttpRequest) -> HttpResponse:
    """One INSERT of one small row (an audit entry), in autocommit."""
    entry = AuditEntry.objects.create(
        action="bench.insert", object_type="bench", object_id="0", object_repr="bench"
    )
    return HttpResponse(str(entry.pk), content_type="text/plain")


urlpatterns = [
    path("bench/trivial/", trivial),
    path("bench/insert/", insert),
    path("", include("vokasi.urls")),
]
