"""How a message leaves the building: email through Django's mailers, WhatsApp through
the backend chosen by WHATSAPP_BACKEND (http, file or console).

Each sender raises DeliveryError with a short, loggable reason when the message was not
accepted; the caller decides whether to retry. Nothing here touches the outbox table.
"""

from __future__ import annotations

import json
import sys
import threading
import urllib.error
import urllib.request

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone

from vokasi.notifications.models import Channel, Message


class DeliveryError(Exception):
    """The channel did not accept the message; worth another attempt later."""


def send(message: Message) -> None:
    if message.channel == Channel.EMAIL:
        send_email(message)
    elif message.channel == Channel.WHATSAPP:
        send_whatsapp(message)
    else:
        raise DeliveryError(f"unknown channel {message.channel!r}")


def send_email(message: Message) -> None:
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient],
        # Lets a mail log be matched to the outbox row.
        headers={"X-Vokasi-Message": message.idempotency_key},
    )
    try:
        sent = email.send()
    except (OSError, ValueError) as error:  # smtplib's errors are OSErrors
        raise DeliveryError(f"email: {type(error).__name__}: {error}") from error
    if sent != 1:
        raise DeliveryError("email: the mail backend accepted no message")


def send_whatsapp(message: Message) -> None:
    backend = settings.WHATSAPP_BACKEND
    if backend == "http":
        whatsapp_http(
            message,
            url=settings.WHATSAPP_API_URL,
            token=settings.WHATSAPP_API_TOKEN,
            timeout=settings.WHATSAPP_TIMEOUT,
        )
    elif backend == "file":
        whatsapp_file(message)
    else:
        whatsapp_console(message)


def whatsapp_payload(message: Message) -> dict[str, object]:
    """The WhatsApp Business (Cloud) API's shape for a plain text message."""
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": message.recipient,
        "type": "text",
        "text": {"preview_url": False, "body": message.body},
    }


def whatsapp_http(message: Message, *, url: str, token: str, timeout: float) -> None:
    """POSTs the message as JSON; anything but a 2xx answer within `timeout` is a failure."""
    if not url.startswith(("https://", "http://")):
        # Settings check this at start-up; this guards urlopen against file:// and the like.
        raise DeliveryError("whatsapp: WHATSAPP_API_URL is not an http(s) URL")
    headers = {
        "Content-Type": "application/json",
        # A gateway that honours it drops the copy a crashed worker may send again.
        "Idempotency-Key": message.idempotency_key,
    }
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(  # noqa: S310 (scheme checked above)
        url,
        data=json.dumps(whatsapp_payload(message)).encode(),
        headers=headers,
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            status = response.status
    except urllib.error.HTTPError as error:
        detail = error.read(300).decode("utf-8", "replace")
        raise DeliveryError(f"whatsapp: HTTP {error.code}: {detail}") from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise DeliveryError(f"whatsapp: {type(error).__name__}: {reason}") from error
    if not 200 <= status < 300:  # e.g. a 1xx or 3xx urllib did not turn into an error
        raise DeliveryError(f"whatsapp: HTTP {status}")


_file_lock = threading.Lock()


def whatsapp_file(message: Message) -> None:
    """One JSON line per message, for development and for tests that read what was sent."""
    path = settings.WHATSAPP_OUTBOX_FILE
    line = json.dumps(
        {
            "at": timezone.now().isoformat(),
            "message": message.pk,
            "idempotency_key": message.idempotency_key,
            **whatsapp_payload(message),
        },
        ensure_ascii=False,
    )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with _file_lock, path.open("a", encoding="utf-8") as out:
            out.write(line + "\n")
    except OSError as error:
        raise DeliveryError(f"whatsapp file: {error}") from error


def whatsapp_console(message: Message) -> None:
    sys.stdout.write(
        f"--- WhatsApp to {message.recipient} ({message.idempotency_key})\n{message.body}\n---\n"
    )
    sys.stdout.flush()
