from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from vokasi.core.roles import Perm


def site(request: HttpRequest) -> dict[str, Any]:
    from vokasi.catalog.selectors import current_centre

    return {"centre": current_centre(), "Perm": Perm, "LANGUAGES": settings.LANGUAGES}
