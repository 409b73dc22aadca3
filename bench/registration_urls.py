"""The site's URLs plus the two baselines bench/registration.py measures beside the
registration POST. Used only by the benchmark's server (bench/bench_settings.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import include, path
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from vokasi.core.models import AuditEntry
from vokasi.core.roles import Perm
from vokasi.core.views import PermRequiredMixin


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


class Received(PermRequiredMixin, View):
    """The registration request's shape with none of its work: the same session, user,
    permission and CSRF check, the same multipart body parsed, and a redirect. What the
    framework costs before the first line of registration runs. With `?store=1` it also
    inserts one row, as the insert baseline does: the least any registration that keeps
    something could cost."""

    perm = Perm.APPLICATIONS_MANAGE

    def post(self, request: HttpRequest) -> HttpResponse:
        if "nik" not in request.POST or "ktp" not in request.FILES:
            return HttpResponse("incomplete", status=400, content_type="text/plain")
        if request.GET.get("store"):
            AuditEntry.objects.create(
                action="bench.received", object_type="bench", object_id="0", object_repr="bench"
            )
        return HttpResponseRedirect("/bench/trivial/")


urlpatterns = [
    path("bench/trivial/", trivial),
    path("bench/insert/", insert),
    path("bench/received/", Received.as_view()),
    path("", include("vokasi.urls")),
]
