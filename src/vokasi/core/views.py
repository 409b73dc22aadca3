"""Access control shared by every staff view."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import AccessMixin
from django.http import HttpRequest, HttpResponse, HttpResponseBase

from vokasi.core.models import User
from vokasi.core.roles import Perm


def request_user(request: HttpRequest) -> User:
    """The logged-in user, for views behind PermRequiredMixin or an equivalent check."""
    assert isinstance(request.user, User)
    return request.user


class PermRequiredMixin(AccessMixin):
    """Anonymous visitors go to the login page; a logged-in user without `perm` gets 403."""

    perm: Perm = Perm.BACKOFFICE
    raise_exception = False

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if not user.is_authenticated:
            return self.handle_no_permission()
        assert isinstance(user, User)
        if not user.can(self.perm):
            self.raise_exception = True
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc,no-any-return]


def healthz(request: HttpRequest) -> HttpResponse:
    """For the reverse proxy and the operator: answers without touching the database."""
    return HttpResponse("ok", content_type="text/plain")
