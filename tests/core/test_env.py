"""Settings parsers: a bad value stops start-up with a message naming the variable."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from vokasi.core.env import env_bool, env_int, parse_database_url


def test_bool_accepts_the_usual_spellings(monkeypatch: pytest.MonkeyPatch) -> None:
    for raw, expected in [("1", True), ("yes", True), ("ON", True), ("0", False), ("off", False)]:
        monkeypatch.setenv("X_FLAG", raw)
        assert env_bool("X_FLAG", not expected) is expected


def test_bool_refuses_anything_else_naming_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        env_bool("X_FLAG", False)


def test_int_refuses_words_and_values_below_the_minimum(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_N", "ten")
    with pytest.raises(ImproperlyConfigured, match="X_N must be a whole number"):
        env_int("X_N", 1)
    monkeypatch.setenv("X_N", "-1")
    with pytest.raises(ImproperlyConfigured, match="X_N must be at least 0"):
        env_int("X_N", 1, minimum=0)


def test_database_urls() -> None:
    pg = parse_database_url(
        "DATABASE_URL", "postgres://vokasi:s%40cret@db.local:6432/vokasi?sslmode=require"
    )
    assert pg["ENGINE"] == "django.db.backends.postgresql"
    assert (pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"], pg["NAME"]) == (
        "vokasi",
        "s@cret",
        "db.local",
        "6432",
        "vokasi",
    )
    assert pg["OPTIONS"] == {"sslmode": "require"}
    assert parse_database_url("D", "sqlite:///var/x.sqlite3")["NAME"] == "var/x.sqlite3"
    assert parse_database_url("D", "sqlite:////tmp/x.sqlite3")["NAME"] == "/tmp/x.sqlite3"
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL must start with"):
        parse_database_url("DATABASE_URL", "mysql://x/y")
    with pytest.raises(ImproperlyConfigured, match="needs a database name"):
        parse_database_url("DATABASE_URL", "postgres://host/")


def _start(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DEBUG",
            "VOKASI_TESTING",
            "SECRET_KEY",
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=clean | {"DJANGO_SETTINGS_MODULE": "vokasi.settings"} | env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_pass_check_deploy() -> None:
    result = _start(
        {
            "SECRET_KEY": "x" * 30 + "-production-key-with-enough-entropy-1234567890",
            "ALLOWED_HOSTS": "blki.example.id",
            "WHATSAPP_API_URL": "https://whatsapp.example.id/v1/messages",
        }
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_missing_secret_key_stops_start_up_naming_it() -> None:
    result = _start({})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
    assert "Traceback" in result.stderr or "ImproperlyConfigured" in result.stderr


def test_bad_value_stops_start_up_naming_the_variable() -> None:
    result = _start({"SECRET_KEY": "k" * 60, "CONN_MAX_AGE": "forever"})
    assert result.returncode != 0
    assert "CONN_MAX_AGE must be a whole number" in result.stderr
