"""The README and .env.example name every environment variable the settings read."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_setting_from_the_environment_is_documented() -> None:
    settings = (ROOT / "src/vokasi/settings.py").read_text()
    names = set(re.findall(r'env_\w+\(\s*"([A-Z_]+)"', settings)) | set(
        re.findall(r'environ\.get\("([A-Z_]+)"', settings)
    )
    names -= {"VOKASI_TESTING"}  # set by the test settings, not by operators
    readme = (ROOT / "README.md").read_text()
    example = (ROOT / ".env.example").read_text()
    assert names, "the settings read no variables?"
    for name in sorted(names):
        assert f"`{name}`" in readme, f"{name} missing from the README's table"
        assert re.search(rf"^{name}=", example, re.M), f"{name} missing from .env.example"


def test_readme_opens_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    block = readme.split("```sh", 1)[1].split("```", 1)[0]
    assert [line.split()[0:2] for line in block.strip().splitlines()] == [
        ["make", "demo"],
        ["make", "test"],
    ]
