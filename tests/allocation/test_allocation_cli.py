"""The command line, run as anyone would run it: in a separate process."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.allocation.instances import Doc


def run(*args: str | Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own module, arguments from the test
        [sys.executable, "-m", "vokasi.allocation", *map(str, args)],
        input=None if stdin is None else stdin.decode(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def example() -> Doc:
    return {
        "format": "vokasi.allocation/1",
        "seed": "2025-07-30 Bontang",
        "batches": [
            {"id": "LAS-2025-1", "capacity": 1, "reserved": [{"group": "disabilitas", "seats": 1}]},
            {"id": "OTO-2025-1", "capacity": 1},
        ],
        "applicants": [
            {
                "id": "REG-000123",
                "choices": ["LAS-2025-1", "OTO-2025-1"],
                "tiers": [0, 2],
                "score": 71.5,
                "groups": ["disabilitas"],
            },
            {"id": "REG-000124", "choices": ["LAS-2025-1", "OTO-2025-1"], "score": 80},
            {"id": "REG-000125", "choices": ["OTO-2025-1"], "score": 60},
        ],
    }


@pytest.fixture
def solved(tmp_path: Path) -> tuple[Path, Path]:
    source, result = tmp_path / "input.json", tmp_path / "result.json"
    source.write_text(json.dumps(example(), indent=1))
    done = run("solve", source, "-o", result)
    assert done.returncode == 0, done.stderr
    return source, result


def test_solve_writes_the_result_format(solved: tuple[Path, Path]) -> None:
    source, result = solved
    doc = json.loads(result.read_text())
    assert doc["format"] == "vokasi.allocation-result/1"
    assert doc["input_sha256"] == hashlib.sha256(source.read_bytes()).hexdigest()
    assert doc["assignments"] == {
        "REG-000123": "LAS-2025-1",
        "REG-000124": "OTO-2025-1",
        "REG-000125": None,
    }
    assert doc["waiting_lists"] == {"LAS-2025-1": ["REG-000124"], "OTO-2025-1": ["REG-000125"]}
    assert doc["stats"] == {"applicants": 3, "assigned": 2, "proposals": 4}


def test_solving_twice_gives_the_same_bytes(solved: tuple[Path, Path], tmp_path: Path) -> None:
    source, result = solved
    again = tmp_path / "again.json"
    assert run("solve", source, "-o", again, "--engine", "numba").returncode == 0
    assert again.read_bytes() == result.read_bytes()


def test_verify_accepts_the_result(solved: tuple[Path, Path]) -> None:
    done = run("verify", *solved)
    assert done.returncode == 0 and done.stdout.startswith("OK")


def test_verify_names_each_failure_of_a_tampered_result(solved: tuple[Path, Path]) -> None:
    source, result = solved
    doc = json.loads(result.read_text())
    doc["assignments"]["REG-000123"], doc["assignments"]["REG-000124"] = (
        "OTO-2025-1",
        "LAS-2025-1",
    )
    result.write_text(json.dumps(doc))
    done = run("verify", source, result)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert all(line.startswith("FAIL ") for line in lines)
    assert any(line.startswith("FAIL reserves: applicant 'REG-000123'") for line in lines)
    assert any(line.startswith("FAIL re-solve:") for line in lines)
    assert "Traceback" not in done.stdout + done.stderr


def test_verify_catches_an_edited_input(solved: tuple[Path, Path]) -> None:
    source, result = solved
    source.write_bytes(source.read_bytes() + b"\n")
    done = run("verify", source, result)
    assert done.returncode == 1 and "FAIL input_sha256:" in done.stdout


def test_explain_in_both_languages(solved: tuple[Path, Path]) -> None:
    done = run("explain", *solved, "REG-000125")
    assert done.returncode == 0
    assert "Hasil: tidak mendapat kursi." in done.stdout
    assert "nilai Anda (60) di bawah nilai batas (80)" in done.stdout
    done = run("explain", *solved, "REG-000124", "--lang", "en")
    assert "Result: admitted to OTO-2025-1 (choice 2)." in done.stdout
    assert "You are not in this group." in done.stdout


def test_explain_unknown_applicant(solved: tuple[Path, Path]) -> None:
    done = run("explain", *solved, "REG-999")
    assert done.returncode == 2
    assert done.stderr == 'applicant "REG-999": id: not in the input\n'


BAD: list[tuple[str, Any, str]] = [
    ("malformed JSON", b'{"format": ', "input: (document): malformed JSON at line 1"),
    ("wrong format tag", lambda d: d.update(format="vokasi/0"), "input: format:"),
    (
        "unknown batch",
        lambda d: d["applicants"][2]["choices"].append("X-1"),
        'applicant "REG-000125": choices[1]: unknown batch "X-1"',
    ),
    (
        "batch chosen twice",
        lambda d: d["applicants"][2]["choices"].append("OTO-2025-1"),
        'applicant "REG-000125": choices[1]: batch "OTO-2025-1" chosen twice',
    ),
    (
        "duplicate applicant",
        lambda d: d["applicants"].append(d["applicants"][0]),
        'applicant "REG-000123": id: duplicate applicant id',
    ),
    (
        "duplicate batch",
        lambda d: d["batches"].append(d["batches"][1]),
        'batch "OTO-2025-1": id: duplicate batch id',
    ),
    (
        "tiers length",
        lambda d: d["applicants"][0].update(tiers=[0, 1, 2]),
        'applicant "REG-000123": tiers: has 3 entries but there are 2 choices',
    ),
    (
        "negative capacity",
        lambda d: d["batches"][1].update(capacity=-3),
        'batch "OTO-2025-1": capacity: must be a non-negative integer, got -3',
    ),
    (
        "reservations above capacity",
        lambda d: d["batches"][0]["reserved"].append({"group": "perempuan", "seats": 1}),
        'batch "LAS-2025-1": reserved: 2 seats reserved but capacity is 1',
    ),
    (
        "more than 10 choices",
        lambda d: d["applicants"][2].update(choices=["OTO-2025-1"] * 11),
        'applicant "REG-000125": choices: at most 10 choices, got 11',
    ),
    (
        "wrong type",
        lambda d: d["applicants"][1].update(score=[80]),
        'applicant "REG-000124": score: must be a finite number',
    ),
]


@pytest.mark.parametrize(("name", "change", "expected"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_exits_2_naming_the_field(
    tmp_path: Path, name: str, change: Any, expected: str
) -> None:
    source = tmp_path / "input.json"
    if isinstance(change, bytes):
        source.write_bytes(change)
    else:
        doc = example()
        change(doc)
        source.write_text(json.dumps(doc))
    for command in (
        ["solve", source, "-o", tmp_path / "r.json"],
        ["verify", source, tmp_path / "r.json"],
    ):
        done = run(*command)
        assert done.returncode == 2, (name, done.stderr)
        assert expected in done.stderr, done.stderr
        assert "Traceback" not in done.stderr
        assert done.stdout == ""
    assert not (tmp_path / "r.json").exists()


def test_missing_files_and_a_result_that_is_not_one(
    tmp_path: Path, solved: tuple[Path, Path]
) -> None:
    done = run("solve", tmp_path / "nothing.json", "-o", tmp_path / "r.json")
    assert done.returncode == 2 and done.stderr.startswith("input: (file): cannot read")
    source, _ = solved
    done = run("verify", source, source)
    assert done.returncode == 2
    assert done.stderr.startswith('result: format: must be "vokasi.allocation-result/1"')


def test_stdin_and_stdout(solved: tuple[Path, Path]) -> None:
    source, result = solved
    done = run("solve", "-", "-o", "-", stdin=source.read_bytes())
    assert done.returncode == 0 and done.stdout.encode() == result.read_bytes()
