"""The outbox page for staff: what was sent to whom, what failed and why, and a way to
send a failed message again. Recipients are always masked: staff need to see that a
message went out, not whose number it was (UU PDP); the body is not shown, since it may
hold a confirmation code."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from vokasi.core.models import User
from vokasi.core.roles import Perm
from vokasi.core.views import PermRequiredMixin
from vokasi.notifications import selectors
from vokasi.notifications.models import Channel, Message, MessageState
from vokasi.notifications.services import MessageError, message_retry

# The training staff who answer "I never got my code", and administrators. The list shows
# who is being written to and about what, so it stays with the roles that may see
# personal data; instructors, partner officers and viewers have no need of it.
OUTBOX_PERM = Perm.PERSONAL_DATA_VIEW


class OutboxView(PermRequiredMixin, ListView[Message]):
    perm = OUTBOX_PERM
    template_name = "notifications/outbox.html"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Message]:
        return selectors.message_list(
            state=self.request.GET.get("state", ""), channel=self.request.GET.get("channel", "")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        counts = selectors.message_counts()
        return super().get_context_data(**kwargs) | {
            "states": MessageState.choices,
            "channels": Channel.choices,
            "state_counts": [
                (value, label, counts[value]) for value, label in MessageState.choices
            ],
            "filters": self.request.GET,
        }


class RetryView(PermRequiredMixin, View):
    perm = OUTBOX_PERM

    def post(self, request: HttpRequest, pk: int) -> HttpResponseRedirect:
        message = get_object_or_404(Message, pk=pk)
        assert isinstance(request.user, User)
        try:
            message_retry(message=message, actor=request.user)
        except MessageError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The message is queued to be sent again."))
        return redirect("notifications:outbox")
