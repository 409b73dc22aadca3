"""Benchmark of the reports dashboard at a million participants. Prints markdown tables;
not a test, and not part of `make test`.

    .venv/bin/python bench/reports.py                          # 1M participants, PG and SQLite
    .venv/bin/python bench/reports.py --participants 100000 --backends postgresql

What it does, for each backend in turn:

1. Creates a fresh database (PostgreSQL `vokasi_bench_reports` on 127.0.0.1:5432, user
   postgres; SQLite a file in a temporary folder) and migrates it.
2. Generates the data in SQL (`generate_series` on PostgreSQL, a recursive CTE on SQLite;
   foreign-key checks off while loading): 9 intakes over 2023-2025 with a published
   selection round each, 10 programmes, participants/16 batches of 16 (one in 50 inside a
   prison), `--ratio` applications per participant (each participant's own application,
   eligible and with an accepted offer, plus the applicants who got no seat: 70 % eligible),
   one choice per application, BNSP results for 40 % of graduates, placement records for
   60 % and a tracer survey for every graduate. Outcomes follow fixed arithmetic on the
   row number, so every run has the same data.
3. In a child process with production settings (DEBUG=0): counts the summary table
   (`vokasi.reports.refresh.refresh`, timed), then requests the dashboard through Django's
   test client as the viewer role `--repeat` times unfiltered and `--repeat` times with two
   filters (a regency and a year), and runs `SELECT count(*) FROM training_participant` as
   often, as the baseline of one plain aggregate over the participants in the same run.
   Server time is the time of the whole request: middleware, queries, template.
4. Drops the database (also after an error or Ctrl+C).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
PG_DATABASE = "vokasi_bench_reports"
# The province and 14 regencies / cities of East Kalimantan, one district each.
REGENCIES = [
    "6401", "6402", "6403", "6404", "6405", "6407", "6408", "6409", "6411",
    "6471", "6472", "6474", "6406", "6410",
]  # fmt: skip
INTAKES = 9  # three a year, 2023-2025
PROGRAMMES = 10


def step(label: str, run: Callable[[], Any]) -> Any:
    print(f"# {label} …", end=" ", file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    value = run()
    print(f"{time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
    return value


# --------------------------------------------------------------------------------------
# Data generation: one set of statements, spelled for either database.


class Dialect:
    def __init__(self, vendor: str) -> None:
        self.vendor = vendor
        self.ts_raw = "2025-01-15 01:00:00" + ("+00" if vendor == "postgresql" else "")
        self.ts = f"TIMESTAMPTZ '{self.ts_raw}'" if vendor == "postgresql" else f"'{self.ts_raw}'"

    def series(self, count: str) -> tuple[str, str]:
        """(prefix, source) for `prefix INSERT INTO … SELECT … FROM source` over n = 1..count."""
        if self.vendor == "postgresql":
            return "", f"generate_series(1::bigint, {count}) AS s(n)"
        return (
            f"WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {count})",
            "s",
        )

    def nik(self, expr: str) -> str:
        if self.vendor == "postgresql":
            return f"lpad(({expr})::text, 16, '0')"
        return f"printf('%016d', {expr})"

    def birth(self, expr: str) -> str:
        """A date in 1985-2006 from an integer expression."""
        if self.vendor == "postgresql":
            return f"make_date((1985 + ({expr}) % 22)::int, 3, 12)"
        return f"printf('%04d-03-12', 1985 + ({expr}) % 22)"


def statements(d: Dialect, participants: int, applications: int, batches: int) -> list[str]:
    ts = d.ts
    regency_case = " ".join(f"WHEN {i} THEN '{code}01'" for i, code in enumerate(REGENCIES))
    per_intake = batches // INTAKES
    # Participant p sits in batch 1 + (p-1)/16; that batch's intake is 1 + (batch-1) % 9.
    p_batch = "(1 + (n - 1) / 16)"
    p_intake = f"(1 + ({p_batch} - 1) % {INTAKES})"
    # Applicants beyond the participants applied to some batch of intake 1 + n % 9.
    other_intake = f"(1 + n % {INTAKES})"
    other_batch = f"({other_intake} + {INTAKES} * ((n * 7) % {per_intake}))"
    pre, src = d.series(str(applications))
    statements = [
        f"""{pre} INSERT INTO intake_applicant (id, nik, kk, full_name, birth_place, birth_date,
            sex, address, schooling, disability, phone, email, created_at, domicile_id,
            employment)
        SELECT n, {d.nik("n")}, '', 'Peserta ' || n, 'Bontang', {d.birth("n * 17")},
            CASE WHEN (n * 13) % 100 < 35 THEN 'F' ELSE 'M' END, '', 30,
            CASE WHEN (n * 29) % 100 < 3 THEN 'Tuli' ELSE '' END, '', '', {ts},
            CASE (n * 31) % {len(REGENCIES)} {regency_case} END, 'unemployed'
        FROM {src}""",
        f"""{pre} INSERT INTO intake_application (id, number, status, status_reason, consent_at,
            submitted_at, updated_at, applicant_id, intake_id)
        SELECT n, NULL,
            CASE WHEN n <= {participants} THEN 'eligible'
                 WHEN (n * 11) % 100 < 70 THEN 'eligible'
                 WHEN (n * 11) % 100 < 80 THEN 'ineligible'
                 WHEN (n * 11) % 100 < 90 THEN 'documents_to_fix'
                 ELSE 'withdrawn' END,
            '', {ts}, {ts}, {ts}, n,
            CASE WHEN n <= {participants} THEN {p_intake} ELSE {other_intake} END
        FROM {src}""",
        f"""{pre} INSERT INTO intake_choice (id, rank, eligible, ineligible_reason,
            application_id, batch_id)
        SELECT n, 1, (1 = 1), '', n,
            CASE WHEN n <= {participants} THEN {p_batch} ELSE {other_batch} END
        FROM {src}""",
    ]
    pre, src = d.series(str(participants))
    statements += [
        f"""{pre} INSERT INTO selection_offer (id, state, deadline, created_at, application_id,
            batch_id, round_id)
        SELECT n, 'accepted', {ts}, {ts}, n, {p_batch}, {p_intake} FROM {src}""",
        f"""{pre} INSERT INTO training_participant (id, number, status, enrolled_at,
            applicant_id, batch_id, dropout_note, dropout_reason, outcome_reasons)
        SELECT n, 1 + (n - 1) % 16,
            CASE WHEN (n * 7919) % 100 < 85 THEN 'graduated'
                 WHEN (n * 7919) % 100 < 90 THEN 'not_graduated'
                 ELSE 'dropped' END,
            {ts}, n, {p_batch}, '', '', '[]'
        FROM {src}""",
        """INSERT INTO certificates_candidate (id, result, certificate_number,
            registration_number, participant_id, test_id)
        SELECT p.id, CASE WHEN (p.id * 3) % 10 < 3 THEN 'K' ELSE 'BK' END, '', '', p.id,
            b.programme_id
        FROM training_participant p JOIN catalog_batch b ON b.id = p.batch_id
        WHERE p.status = 'graduated' AND (p.id * 3) % 10 < 4""",
        f"""INSERT INTO placement_placementrecord (id, outcome, employer, sector, position,
            wage_band, place, business, country, agency, note, source, recorded_at,
            participant_id)
        SELECT id,
            CASE WHEN (id * 11) % 10 < 5 THEN 'employed'
                 WHEN (id * 11) % 10 < 6 THEN 'self_employed'
                 WHEN (id * 11) % 10 < 7 THEN 'migrant'
                 WHEN (id * 11) % 10 < 8 THEN 'study'
                 ELSE 'not_employed' END,
            CASE WHEN (id * 11) % 10 < 5 THEN 'PT Pupuk Kaltim' ELSE '' END, '', '', '', '',
            CASE WHEN (id * 11) % 10 = 5 THEN 'Bengkel las' ELSE '' END,
            CASE WHEN (id * 11) % 10 = 6 THEN 'Jepang' ELSE '' END, '', '', 'tracer', {ts}, id
        FROM training_participant WHERE status = 'graduated' AND (id * 7) % 10 < 6""",
        f"""INSERT INTO placement_tracersurvey (id, wave, due_on, answered_at, answered_via,
            participant_id)
        SELECT id, 3, '2025-06-01',
            CASE WHEN (id * 7) % 10 < 6 THEN {ts} ELSE NULL END,
            CASE WHEN (id * 7) % 10 < 6 THEN 'link' ELSE '' END, id
        FROM training_participant WHERE status = 'graduated'""",
    ]
    return statements


def small_tables(
    d: Dialect, participants: int
) -> tuple[list[tuple[str, list[tuple[Any, ...]]]], int]:
    """The catalogue: rows built here and inserted with executemany."""
    batches = -(-participants // 16)
    ts = d.ts_raw
    yes: Any = True if d.vendor == "postgresql" else 1
    _unused = (True, False) if d.vendor == "postgresql" else (1, 0)
    regions = [("64", "Kalimantan Timur", 1, None)]
    for code in REGENCIES:
        regions.append((code, f"Kabupaten {code}", 2, "64"))
        regions.append((f"{code}01", f"Kecamatan {code}01", 3, code))
    rows: list[tuple[str, list[tuple[Any, ...]]]] = [
        ("regions_region (code, name, level, parent_id)", regions),
        (
            "catalog_trainingcentre (id, name, short_code, kind, government, office, letterhead,"
            " logo, address, phone, email, website, timezone, jp_minutes, region_id)",
            [(1, "UPTD BLKI Bontang", "BLKI-BTG", "uptd_blki", "Pemerintah Kota Bontang", "",
              "PEMERINTAH KOTA BONTANG", "", "Bontang", "", "", "", "Asia/Makassar", 45, "6474")],
        ),
        (
            "catalog_partner (id, name, kind, address, active, region_id)",
            [(1, "Lapas Kelas IIA Bontang", "prison", "", yes, "6474")],
        ),
        (
            "catalog_programme (id, code, name, field, description, requirements, hours_jp,"
            " certification_scheme, package_cost, min_age, max_age, min_schooling,"
            " domicile_rule, active, centre_id)",
            [(i, f"P{i}", f"Program {i}", "Teknik", "", "", 240, "", (5 + i) * 10_000_000, 17,
              40, 20, "anywhere", yes, 1) for i in range(1, PROGRAMMES + 1)],
        ),
        (
            "catalog_fundingsource (id, name, kind, body, fiscal_year, amount)",
            [(i, f"APBD {2022 + i}", "apbd_city", "Pemkot", 2022 + i, 10**10) for i in (1, 2, 3)],
        ),
        (
            "catalog_intake (id, name, code, max_choices, centre_id)",
            [(i, f"Gelombang {i}", f"REG-B{i}", 1, 1) for i in range(1, INTAKES + 1)],
        ),
        (
            "selection_selectionround (id, name, rules, seed, state, input_sha256, result_sha256,"
            " published_at, intake_id, offer_days, objection_days)",
            [(i, f"Seleksi {i}", "[]", "benih", "published", "", "", ts, i, 7, 3)
             for i in range(1, INTAKES + 1)],
        ),
        (
            "certificates_certificationbody (id, name, licence_number, kind)",
            [(1, "LSP Bench", "1", "P1")],
        ),
        (
            "certificates_certificationscheme (id, name, validity_years, body_id, programme_id)",
            [(i, f"Skema {i}", 3, 1, i) for i in range(1, PROGRAMMES + 1)],
        ),
        (
            "certificates_competencytest (id, test_site, held_on, assessors, created_at, body_id,"
            " scheme_id)",
            [(i, "TUK", "2025-09-01", "", ts, 1, i) for i in range(1, PROGRAMMES + 1)],
        ),
    ]  # fmt: skip
    batch_rows = []
    for b in range(1, batches + 1):
        intake = 1 + (b - 1) % INTAKES
        year_index = (intake - 1) // 3  # 0, 1, 2
        year = 2023 + year_index
        programme = 1 + ((b - 1) // INTAKES) % PROGRAMMES
        month = 1 + (b % 10)
        prison = 1 if b % 50 == 0 else None
        batch_rows.append(
            (b, f"B-{b}", f"Angkatan {b}", (5 + programme) * 10_000_000, 16, 10, "",
             f"{year}-{month:02d}-01", f"{year}-{month + 2:02d}-01", "completed", "", ts,
             1 + year_index, prison, programme, intake)
        )  # fmt: skip
    rows.append(
        (
            "catalog_batch (id, code, name, cost, quota, min_participants, venue_note,"
            " training_starts, training_ends, state, state_reason, created_at, funding_id,"
            " venue_partner_id, programme_id, intake_id)",
            batch_rows,
        )
    )
    return rows, batches


def generate(d: Dialect, conn: Any, participants: int, ratio: float) -> None:
    applications = int(participants * ratio)
    tables, batches = small_tables(d, participants)
    cur = conn.cursor()
    mark = "%s" if d.vendor == "postgresql" else "?"
    for table, rows in tables:
        width = len(rows[0])
        cur.executemany(f"INSERT INTO {table} VALUES ({', '.join([mark] * width)})", rows)
    for sql in statements(d, participants, applications, batches):
        name = re.search(r"INSERT INTO (\w+)", sql)
        step(f"  {name.group(1) if name else 'insert'}", lambda sql=sql: cur.execute(sql))
    if d.vendor == "postgresql":
        # Ids were given explicitly: move the sequences on, as a real database would be.
        for table in (
            "intake_applicant", "intake_application", "intake_choice", "selection_offer",
            "training_participant", "certificates_candidate", "placement_placementrecord",
            "placement_tracersurvey", "catalog_batch", "catalog_programme",
        ):  # fmt: skip
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" (SELECT max(id) FROM {table}))"
            )
    conn.commit()
    step("  ANALYZE", lambda: cur.execute("ANALYZE"))
    conn.commit()


# --------------------------------------------------------------------------------------
# The measuring child: Django with production settings against the generated database.


def measure(repeat: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from vokasi.core.models import User
    from vokasi.reports.refresh import refresh

    t0 = time.perf_counter()
    snapshot = refresh()
    refresh_s = time.perf_counter() - t0
    viewer = User.objects.create_user(username="bench-viewer", password=secrets.token_hex(8))
    viewer.role = "viewer"
    viewer.save()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(viewer)

    def timed(run: Callable[[], Any]) -> list[float]:
        for _ in range(3):
            run()
        out = []
        for _ in range(repeat):
            t = time.perf_counter()
            run()
            out.append((time.perf_counter() - t) * 1000)
        return out

    def page(query: str) -> None:
        response = client.get("/backoffice/laporan/" + query)
        assert response.status_code == 200, response.status_code

    def count() -> None:
        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM training_participant")
            cur.fetchone()

    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM training_participant")
        n = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM intake_application")
        apps = cur.fetchone()[0]
    return {
        "participants": n,
        "applications": apps,
        "cells": snapshot.cells,
        "refresh_s": refresh_s,
        "count": timed(count),
        "unfiltered": timed(lambda: page("")),
        "filtered": timed(lambda: page("?regency=6474&year=2024")),
    }


def child_env(url: str, tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("VOKASI_TESTING", "DEBUG")}
    return env | {
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "vokasi.settings",
        "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'src'}",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
        "VOKASI_VAR_DIR": str(tmp),
        "PRIVATE_MEDIA_ROOT": str(tmp / "private"),
        "STATIC_ROOT": str(tmp / "static"),
        "MEDIA_ROOT": str(tmp / "media"),
        "TASKS_BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
        "EMAIL_BACKEND": "locmem",
        "WHATSAPP_BACKEND": "console",
        "SITE_URL": "http://127.0.0.1",
    }


def _run(cmd: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"{' '.join(cmd)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def _pg(sql: str) -> None:
    import psycopg

    with psycopg.connect(**PG, dbname="postgres", autocommit=True) as conn:  # type: ignore[arg-type]
        conn.execute(sql)  # type: ignore[arg-type]


@contextmanager
def database(vendor: str, tmp: Path) -> Iterator[tuple[str, Callable[[], Any]]]:
    if vendor == "postgresql":
        import psycopg

        _pg(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
        _pg(f"CREATE DATABASE {PG_DATABASE}")
        url = f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{PG_DATABASE}"

        def connect() -> Any:
            conn = psycopg.connect(**PG, dbname=PG_DATABASE)  # type: ignore[arg-type]
            conn.execute("SET session_replication_role = replica")  # no FK triggers while loading
            return conn

        try:
            yield url, connect
        finally:
            _pg(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
    else:
        path = tmp / "bench.sqlite3"

        def connect_sqlite() -> Any:
            conn = sqlite3.connect(path)
            conn.create_function(
                "REGEXP", 2, lambda pattern, text: re.search(pattern, text or "") is not None
            )
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = OFF")
            return conn

        try:
            yield f"sqlite:///{path}", connect_sqlite
        finally:
            path.unlink(missing_ok=True)


def run_backend(vendor: str, participants: int, ratio: float, repeat: int) -> dict[str, Any]:
    tmp = Path(tempfile.mkdtemp(prefix="vokasi-bench-reports-"))
    try:
        with database(vendor, tmp) as (url, connect):
            env = child_env(url, tmp)
            step(
                f"{vendor}: migrate", lambda: _run([PYTHON, "manage.py", "migrate", "-v", "0"], env)
            )
            step(
                f"{vendor}: collectstatic",
                lambda: _run([PYTHON, "manage.py", "collectstatic", "--no-input", "-v", "0"], env),
            )
            conn = connect()
            try:
                t0 = time.perf_counter()
                generate(Dialect(vendor), conn, participants, ratio)
                load_s = time.perf_counter() - t0
            finally:
                conn.close()
            out = step(
                f"{vendor}: refresh and measure",
                lambda: _run(
                    [PYTHON, str(Path(__file__)), "--measure", "--repeat", str(repeat)], env
                ),
            )
            result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
            result["load_s"] = load_s
            return result
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def report(results: dict[str, dict[str, Any]], repeat: int) -> None:
    print("\n## Reports dashboard, server time (ms), median (p50) and p95 of", repeat, "requests\n")
    print("| database | participants | applications | summary rows | load (s) | refresh (s) "
          "| `count(*)` p50 | dashboard p50 | p95 | two filters p50 | p95 |")  # fmt: skip
    print("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
    for vendor, r in results.items():
        print(
            f"| {vendor} | {r['participants']:,} | {r['applications']:,} | {r['cells']:,} "
            f"| {r['load_s']:.0f} | {r['refresh_s']:.1f} "
            f"| {statistics.median(r['count']):.1f} "
            f"| {statistics.median(r['unfiltered']):.1f} | {_pct(r['unfiltered'], 0.95):.1f} "
            f"| {statistics.median(r['filtered']):.1f} | {_pct(r['filtered'], 0.95):.1f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=1_000_000)
    parser.add_argument("--ratio", type=float, default=2.0, help="applications per participant")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--backends", default="postgresql,sqlite")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.repeat)))
        return
    if args.ratio < 1:
        parser.error("--ratio: at least one application per participant")
    results = {}
    for vendor in args.backends.split(","):
        results[vendor] = run_backend(vendor, args.participants, args.ratio, args.repeat)
    report(results, args.repeat)


if __name__ == "__main__":
    main()
