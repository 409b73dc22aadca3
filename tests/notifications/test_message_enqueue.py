"""Queueing a message: rendered in the recipient's language, once per idempotency key."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.utils import translation

from tests.factories import UserFactory
from tests.notifications.conftest import Enqueue
from vokasi.notifications.models import Channel, Message, MessageState
from vokasi.notifications.services import (
    InvalidRecipient,
    message_enqueue,
    normalize_whatsapp_number,
)
from vokasi.notifications.texts import TEXTS, UnknownTemplate, render


def _arguments(**overrides: object) -> dict[str, object]:
    return {
        "channel": Channel.EMAIL,
        "recipient": "budi@example.id",
        "template": "account_confirm_code",
        "context": {"code": "482913", "minutes": 15},
        "language": "id",
        "idempotency_key": "account:1:confirm:1",
    } | overrides


@pytest.mark.django_db
def test_a_message_is_rendered_in_the_recipients_language_when_queued() -> None:
    indonesian = message_enqueue(**_arguments())  # type: ignore[arg-type]
    english = message_enqueue(**_arguments(language="en", idempotency_key="k-en"))  # type: ignore[arg-type]
    assert indonesian.subject == "Kode konfirmasi Anda: 482913"
    assert "berlaku selama 15 menit" in indonesian.body
    assert english.subject == "Your confirmation code: 482913"
    assert "valid for 15 minutes" in english.body
    # The page's language (English in these tests) does not leak into the message.
    assert translation.get_language() == "en"


@pytest.mark.parametrize("template", sorted(TEXTS))
def test_every_text_has_its_indonesian_translation(template: str) -> None:
    context = {field: f"<{field}>" for field in TEXTS[template].fields}
    english = render(template=template, context=context, language="en")
    indonesian = render(template=template, context=context, language="id")
    assert indonesian[0] != english[0], "subject not translated"
    assert indonesian[1] != english[1], "body not translated"
    assert all(f"<{field}>" in indonesian[1] for field in TEXTS[template].fields)


@pytest.mark.django_db
def test_the_stored_text_does_not_change_when_a_template_changes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    message = message_enqueue(**_arguments())  # type: ignore[arg-type]
    monkeypatch.setitem(TEXTS, "account_confirm_code", TEXTS["password_reset_code"])
    message.refresh_from_db()
    assert message.subject == "Kode konfirmasi Anda: 482913"


@pytest.mark.django_db
def test_bad_arguments_are_refused_before_anything_is_stored() -> None:
    with pytest.raises(UnknownTemplate):
        message_enqueue(**_arguments(template="no_such_text"))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="needs code"):
        message_enqueue(**_arguments(context={"minutes": 15}))  # type: ignore[arg-type]
    with pytest.raises(InvalidRecipient):
        message_enqueue(**_arguments(recipient="budi at example"))  # type: ignore[arg-type]
    with pytest.raises(InvalidRecipient):
        message_enqueue(**_arguments(channel=Channel.WHATSAPP, recipient="0812"))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="language"):
        message_enqueue(**_arguments(language="jv"))  # type: ignore[arg-type]
    assert not Message.objects.exists()


def test_whatsapp_numbers_are_stored_in_international_form() -> None:
    assert normalize_whatsapp_number("0812-3456-7890") == "6281234567890"
    assert normalize_whatsapp_number("+62 812 3456 7890") == "6281234567890"
    assert normalize_whatsapp_number("6281234567890") == "6281234567890"
    with pytest.raises(InvalidRecipient):
        normalize_whatsapp_number("0812-abc")


def test_the_same_key_twice_queues_one_message_and_sends_it_once(
    enqueue: Enqueue, mailoutbox: list[object]
) -> None:
    first = enqueue()
    second = enqueue(context={"code": "000000", "minutes": 15})  # a double click
    assert second.pk == first.pk
    assert second.subject == first.subject  # the first one stands
    assert Message.objects.count() == 1
    assert len(mailoutbox) == 1


def test_a_taken_key_inside_the_callers_transaction_leaves_it_usable(enqueue: Enqueue) -> None:
    first = enqueue()
    from django.db import transaction

    with transaction.atomic():
        again = message_enqueue(**_arguments())  # type: ignore[arg-type]
        UserFactory(username="still-works")  # the transaction was not broken
    assert again.pk == first.pk


def test_the_message_remembers_what_it_is_about(enqueue: Enqueue) -> None:
    user = UserFactory()
    message = enqueue(about=user)
    assert (message.object_type, message.object_id) == ("core.user", str(user.pk))


def test_nothing_is_sent_if_the_callers_transaction_rolls_back(
    db: None, mailoutbox: list[object]
) -> None:
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        message_enqueue(**_arguments())  # type: ignore[arg-type]
        raise RuntimeError("the change failed")
    assert not Message.objects.exists()
    assert mailoutbox == []


@pytest.mark.django_db(transaction=True)
def test_two_requests_queueing_the_same_message_at_once_store_one() -> None:
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(
        ("file:memorydb", ":memory:")
    ):
        pytest.skip("threads cannot share an in-memory SQLite database")
    barrier = threading.Barrier(2)
    results: list[int] = []
    errors: list[BaseException] = []

    def request() -> None:
        try:
            barrier.wait(timeout=5)
            results.append(message_enqueue(**_arguments()).pk)  # type: ignore[arg-type]
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=request) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert len(results) == 2 and results[0] == results[1]
    assert Message.objects.count() == 1
    assert Message.objects.get().state in {MessageState.QUEUED, MessageState.SENT}


@pytest.mark.django_db
def test_losing_the_race_for_a_key_returns_the_winners_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The interleaving the threaded test above produces on PostgreSQL, made deterministic
    for SQLite: the other request's row lands between our render and our insert."""
    from vokasi.notifications import texts

    real_render = texts.render
    winner: list[Message] = []

    def render_while_another_request_wins(**kwargs: object) -> tuple[str, str]:
        if not winner:
            monkeypatch.setattr(texts, "render", real_render)
            winner.append(message_enqueue(**_arguments()))  # type: ignore[arg-type]
        return real_render(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(texts, "render", render_while_another_request_wins)
    loser = message_enqueue(**_arguments())  # type: ignore[arg-type]
    assert loser.pk == winner[0].pk
    assert Message.objects.count() == 1
