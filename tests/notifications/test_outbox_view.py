"""The staff outbox page: who may see it, filters, masking, and sending a failed one again."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.notifications.conftest import Enqueue
from vokasi.core.models import AuditEntry, User
from vokasi.notifications.models import Channel, Message, MessageState

pytestmark = pytest.mark.urls("tests.notifications.urls")


def _failed(enqueue: Enqueue, **overrides: Any) -> Message:
    message = enqueue(**overrides)
    Message.objects.filter(pk=message.pk).update(
        state=MessageState.FAILED, attempts=6, last_error="smtp: connection refused"
    )
    message.refresh_from_db()
    return message


def test_only_administrators_and_training_staff_see_the_outbox(
    client: Client, login: Any, admin: User, staff: User, instructor: User, viewer: User
) -> None:
    url = reverse("notifications:outbox")
    assert client.get(url).status_code == 302  # to the login page
    for user, status in [(admin, 200), (staff, 200), (instructor, 403), (viewer, 403)]:
        assert login(user).get(url).status_code == status, user.role


def test_the_list_masks_recipients_and_filters(
    login: Any, staff: User, enqueue: Enqueue, whatsapp_file: Any
) -> None:
    enqueue(recipient="budi.santoso@example.id")
    _failed(enqueue, channel=Channel.WHATSAPP, recipient="081234567890", idempotency_key="wa")
    client = login(staff)
    page = client.get(reverse("notifications:outbox")).content.decode()
    assert "bu***@example.id" in page and "budi.santoso" not in page
    assert "6281******890" in page and "6281234567890" not in page
    assert "482913" in page  # the subject names the code…
    failed = client.get(reverse("notifications:outbox"), {"state": "failed"}).content.decode()
    assert "6281******890" in failed and "bu***@example.id" not in failed
    by_email = client.get(reverse("notifications:outbox"), {"channel": "email"}).content.decode()
    assert "bu***@example.id" in by_email and "6281******890" not in by_email
    # Odd query strings are ignored, not an error.
    assert client.get(reverse("notifications:outbox"), {"state": "x" * 50}).status_code == 200


def test_the_list_takes_a_fixed_number_of_queries(
    login: Any, staff: User, enqueue: Enqueue, django_assert_max_num_queries: Any
) -> None:
    for n in range(30):
        enqueue(idempotency_key=f"k{n}")
    client = login(staff)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("notifications:outbox")).status_code == 200


def test_staff_send_a_failed_message_again(
    login: Any, staff: User, enqueue: Enqueue, django_capture_on_commit_callbacks: Any
) -> None:
    message = _failed(enqueue)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = login(staff).post(reverse("notifications:retry", args=[message.pk]))
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.state == MessageState.SENT
    assert len(mail.outbox) == 1
    entry = AuditEntry.objects.get(action="message.retry")
    assert entry.actor == staff and entry.data["attempts"] == 6


def test_a_message_that_did_not_fail_is_not_sent_again(
    login: Any, staff: User, enqueue: Enqueue
) -> None:
    message = enqueue()
    mail.outbox.clear()
    response = login(staff).post(reverse("notifications:retry", args=[message.pk]), follow=True)
    assert "Hanya pesan yang gagal" in response.content.decode()
    assert mail.outbox == []
    assert not AuditEntry.objects.exists()


def test_others_cannot_send_again(login: Any, instructor: User, enqueue: Enqueue) -> None:
    message = _failed(enqueue)
    assert (
        login(instructor).post(reverse("notifications:retry", args=[message.pk])).status_code == 403
    )
    message.refresh_from_db()
    assert message.state == MessageState.FAILED
