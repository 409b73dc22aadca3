"""The WhatsApp HTTP adapter against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from vokasi.notifications.channels import DeliveryError, whatsapp_http
from vokasi.notifications.models import Channel, Message


class _Gateway(BaseHTTPRequestHandler):
    # Set by each test: the status to answer with, and a delay before answering.
    status = 200
    delay = 0.0
    received: list[dict[str, Any]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append(
            {
                "json": json.loads(body),
                "authorization": self.headers.get("Authorization"),
                "idempotency_key": self.headers.get("Idempotency-Key"),
            }
        )
        time.sleep(type(self).delay)
        self.send_response(type(self).status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"error": "gateway says no"}' if self.status >= 400 else b"{}")

    def log_message(self, format: str, *args: Any) -> None:  # keep the test output clean
        pass


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # the timeout test hangs up before the answer: a broken pipe is expected


@pytest.fixture
def gateway() -> Iterator[str]:
    _Gateway.status, _Gateway.delay, _Gateway.received = 200, 0.0, []
    server = _Server(("127.0.0.1", 0), _Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1/messages"
    server.shutdown()
    server.server_close()


def _message() -> Message:
    return Message(
        pk=7,
        channel=Channel.WHATSAPP,
        recipient="6281234567890",
        subject="Kode",
        body="Kode konfirmasi Anda 482913",
        idempotency_key="account:1:confirm:1",
    )


def test_the_message_is_posted_as_json_with_the_token(gateway: str) -> None:
    whatsapp_http(_message(), url=gateway, token="s3cret", timeout=5)
    [request] = _Gateway.received
    assert request["json"]["to"] == "6281234567890"
    assert request["json"]["text"]["body"] == "Kode konfirmasi Anda 482913"
    assert request["json"]["messaging_product"] == "whatsapp"
    assert request["authorization"] == "Bearer s3cret"
    assert request["idempotency_key"] == "account:1:confirm:1"


def test_a_server_error_is_a_failed_attempt(gateway: str) -> None:
    _Gateway.status = 500
    with pytest.raises(DeliveryError, match=r"HTTP 500: .*gateway says no"):
        whatsapp_http(_message(), url=gateway, token="", timeout=5)


def test_a_slow_gateway_is_a_failed_attempt(gateway: str) -> None:
    # The gateway answers long after our timeout; the attempt fails with a timeout, not a hang.
    _Gateway.delay = 2.0
    with pytest.raises(DeliveryError, match=r"whatsapp: .*timed out"):
        whatsapp_http(_message(), url=gateway, token="", timeout=0.2)


def test_nothing_listening_is_a_failed_attempt() -> None:
    with pytest.raises(DeliveryError, match="whatsapp: URLError"):
        whatsapp_http(_message(), url="http://127.0.0.1:9/", token="", timeout=2)


def test_only_http_urls_are_opened() -> None:
    with pytest.raises(DeliveryError, match="not an http"):
        whatsapp_http(_message(), url="file:///etc/passwd", token="", timeout=2)
