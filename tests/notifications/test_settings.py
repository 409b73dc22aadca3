"""The WhatsApp settings: a production start without an endpoint is refused."""

from __future__ import annotations

import os
import subprocess
import sys

_PRODUCTION = {
    "SECRET_KEY": "x" * 60,
    "ALLOWED_HOSTS": "blki.example.id",
    "DJANGO_SETTINGS_MODULE": "vokasi.settings",
}


def _check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    unset = {"DEBUG", "VOKASI_TESTING", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    unset |= {name for name in os.environ if name.startswith("WHATSAPP_")}
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        env=clean | _PRODUCTION | env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_http_backend_without_an_endpoint_stops_start_up_naming_the_variable() -> None:
    result = _check({})
    assert result.returncode != 0
    assert "WHATSAPP_API_URL must be set" in result.stderr


def test_an_endpoint_or_another_backend_starts() -> None:
    assert _check({"WHATSAPP_API_URL": "https://wa.example.id/v1/messages"}).returncode == 0
    assert _check({"WHATSAPP_BACKEND": "file"}).returncode == 0


def test_an_unknown_backend_is_refused() -> None:
    result = _check({"WHATSAPP_BACKEND": "sms"})
    assert result.returncode != 0
    assert "WHATSAPP_BACKEND must be one of http, file, console" in result.stderr
