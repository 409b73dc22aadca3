"""Benchmark of the registration POST under concurrent load. Prints markdown tables; not a test.

    .venv/bin/python bench/registration.py                  # 16 clients, 15 s per scenario
    .venv/bin/python bench/registration.py --seconds 30 --clients 32 --upload-kb 300

What it does, all on this machine over loopback:

1. Creates a fresh PostgreSQL database `vokasi_bench_<pid>` on 127.0.0.1:5432 (user
   postgres), migrates it, loads the regions (without villages), collects static files
   into a temporary folder, and creates one intake with three open batches and one staff
   account per client.
2. Starts gunicorn (`vokasi.wsgi`, 4 sync workers by default) with production settings
   (DEBUG=0, the database task backend, so every notification is really queued; no worker
   delivers them) plus the baseline views (bench/registration_urls.py):
   `GET /bench/trivial/` answers "ok"; `POST /bench/insert/` inserts one audit entry;
   `POST /bench/received/` receives a registration's request and does nothing with it.
3. Each client logs in through /login/ (its own staff account), opens the front-desk form
   and keeps the session cookie and the form's CSRF token.
4. Five scenarios, one after the other, each `--warmup` s (not counted) + `--seconds` s,
   with all clients sending back to back: the trivial GET, the single-insert POST, the
   registration's own request sent to a view that only receives it (session, user, CSRF,
   multipart parsing, a redirect; bench/registration_urls.py), the same plus one insert,
   and the front-desk registration POST (`/backoffice/pendaftaran/baru/<intake>/`: a
   unique valid NIK per request, three ranked choices, a KTP PDF; success is a 302 to the
   application).
5. A race: `--race-rounds` times, every client sends the *same* new NIK at once; exactly
   one may be registered, the others must get the form back with the duplicate message.
6. Checks the database: every 302 has its application, no NIK has two, no application
   appeared for a request that failed, every application has its KTP document, its three
   choices and its queued message, and the files on disk match the document rows.

The load generator is plain Python (raw sockets, one connection per request, as gunicorn's
sync workers close each connection): `--procs` processes with `--clients` threads in all.
It runs on the same cores as the server; the CPU table shows how the machine was shared.
gunicorn and the database are removed at the end, also after an error or Ctrl+C.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
DISTRICT = "647401"  # Bontang Selatan, Kota Bontang
FORM_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
BOUNDARY = b"----vokasibench7MA4YWxkTrZu0gW"
CLK_TCK = os.sysconf("SC_CLK_TCK")


# --------------------------------------------------------------------------------------
# HTTP over raw sockets: cheap enough that the load generator takes little of the CPU.


def http(port: int, raw: bytes, timeout: float = 60) -> tuple[int, bytes]:
    """Sends one request on a new connection; returns (status, whole response)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
            sock.sendall(raw)
            chunks = []
            while data := sock.recv(65536):
                chunks.append(data)
    except OSError as error:
        return 0, repr(error).encode()
    response = b"".join(chunks)
    if not response.startswith(b"HTTP/1."):
        return 0, response
    return int(response[9:12]), response


def request(
    port: int, method: str, path: str, *, cookies: dict[str, str] | None = None, body: bytes = b""
) -> bytes:
    headers = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close"]
    if cookies:
        headers.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()))
    if method == "POST":
        headers.append(f"Content-Length: {len(body)}")
        if body:
            headers.append(
                f"Content-Type: multipart/form-data; boundary={BOUNDARY.decode()}"
                if body.startswith(b"--" + BOUNDARY)
                else "Content-Type: application/x-www-form-urlencoded"
            )
    return ("\r\n".join(headers) + "\r\n\r\n").encode() + body


def set_cookies(response: bytes) -> dict[str, str]:
    head = response.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    found = {}
    for line in head.split("\r\n")[1:]:
        name, _, value = line.partition(":")
        if name.lower() == "set-cookie":
            key, _, rest = value.strip().partition("=")
            found[key] = rest.split(";", 1)[0]
    return found


def multipart(fields: list[tuple[str, str]], files: list[tuple[str, str, bytes]]) -> bytes:
    parts = [
        b'--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n'
        % (BOUNDARY, name.encode(), value.encode())
        for name, value in fields
    ]
    parts += [
        b'--%s\r\nContent-Disposition: form-data; name="%s"; filename="%s"\r\n'
        b"Content-Type: application/pdf\r\n\r\n%s\r\n"
        % (BOUNDARY, name.encode(), filename.encode(), data)
        for name, filename, data in files
    ]
    parts.append(b"--%s--\r\n" % BOUNDARY)
    return b"".join(parts)


def tiny_pdf(pad_kb: int = 0) -> bytes:
    """A valid one-page PDF (about 400 bytes), padded with comment lines to `pad_kb` KB."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 243 153] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    out += (b"% " + b"x" * 78 + b"\n") * (pad_kb * 1024 // 81)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


# --------------------------------------------------------------------------------------
# Applicants: a unique, valid NIK per (client, k), with the birth date and sex it encodes.

PER_CLIENT = 2 * 28 * 12 * 18  # two sexes x 28 days x 12 months x 18 birth years


def person(serial: int, k: int) -> tuple[str, str, str]:
    """(NIK, birth date, sex): women add 40 to the day; `serial` (0001-9999) keeps
    clients apart, `k` walks the birth dates 1988-2005 (ages 20-38: all eligible)."""
    if k >= PER_CLIENT or not 1 <= serial <= 9999:
        raise ValueError("out of NIKs; use fewer seconds or more clients")
    sex = "F" if k % 2 else "M"
    j = k // 2
    day, month, year = 1 + j % 28, 1 + (j // 28) % 12, 1988 + j // 336
    nik = f"{DISTRICT}{day + (40 if sex == 'F' else 0):02d}{month:02d}{year % 100:02d}{serial:04d}"
    return nik, f"{year:04d}-{month:02d}-{day:02d}", sex


@dataclass(frozen=True)
class Session:
    cookies: dict[str, str]
    token: str


@dataclass(frozen=True)
class Target:
    port: int
    intake: int
    batches: list[int]
    pdf: bytes
    sessions: list[Session] = field(default_factory=list)

    @property
    def form_path(self) -> str:
        return f"/backoffice/pendaftaran/baru/{self.intake}/"

    def registration(
        self, client: int, nik: str, born: str, sex: str, path: str | None = None
    ) -> bytes:
        session = self.sessions[client]
        fields = [
            ("csrfmiddlewaretoken", session.token),
            ("nik", f"{nik[:4]} {nik[4:8]} {nik[8:12]} {nik[12:]}"),
            ("full_name", f"Peserta Uji {nik[-4:]}-{nik[6:12]}"),
            ("birth_place", "Bontang"),
            ("birth_date", born),
            ("sex", sex),
            ("province", "64"),
            ("regency", "6474"),
            ("district", DISTRICT),
            ("address", "Jl. Ahmad Yani No. 5, RT 07"),
            ("schooling", "30"),
            ("employment", "unemployed"),
            ("phone", "0812 3456 7890"),
            ("consent", "on"),
        ]
        fields += [(f"choice_{rank}", str(pk)) for rank, pk in enumerate(self.batches, 1)]
        body = multipart(fields, [("ktp", "ktp.pdf", self.pdf)])
        return request(
            self.port, "POST", path or self.form_path, cookies=session.cookies, body=body
        )


def log_in(port: int, target: Target, username: str, password: str) -> Session:
    """Like a person: the login page, the login POST, then the front-desk form."""
    status, page = http(port, request(port, "GET", "/login/"))
    match = FORM_TOKEN.search(page)
    if status != 200 or match is None:
        raise RuntimeError(f"GET /login/ answered {status}: {page[:300]!r}")
    cookies = set_cookies(page)
    form = (
        f"csrfmiddlewaretoken={match.group(1).decode()}&username={username}&password={password}"
    ).encode()
    status, response = http(port, request(port, "POST", "/login/", cookies=cookies, body=form))
    cookies |= set_cookies(response)
    if status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"login of {username} answered {status}")
    status, page = http(port, request(port, "GET", target.form_path, cookies=cookies))
    match = FORM_TOKEN.search(page)
    if status != 200 or match is None:
        raise RuntimeError(f"GET {target.form_path} answered {status}")
    cookies |= set_cookies(page)
    return Session(
        cookies={k: cookies[k] for k in ("sessionid", "csrftoken")}, token=match[1].decode()
    )


# --------------------------------------------------------------------------------------
# Scenarios: --procs processes, the clients spread over them as threads.

# (started at, finished at, latency s, status, NIK or "")
Record = tuple[float, float, float, int, str]


@dataclass(frozen=True)
class Phase:
    kind: str  # trivial | insert | received | received_insert | registration
    target: Target
    start_at: float  # time.monotonic(), the same clock in every process
    end_at: float


def _client_loop(phase: Phase, client: int) -> tuple[list[Record], bytes]:
    port, target = phase.target.port, phase.target
    fixed = {
        "trivial": request(port, "GET", "/bench/trivial/"),
        "insert": request(port, "POST", "/bench/insert/"),
    }.get(phase.kind)
    expected = 200 if phase.kind in ("trivial", "insert") else 302
    records: list[Record] = []
    sample = b""
    k = 0
    while (started := time.monotonic()) < phase.end_at:
        nik = ""
        if phase.kind in ("received", "received_insert"):
            # The same body as a registration, to a view that only receives it; the NIKs
            # are from a range registrations never use, and none is stored.
            path = "/bench/received/" + ("?store=1" if phase.kind == "received_insert" else "")
            raw = target.registration(client, *person(5000 + client, k), path=path)
        elif fixed is None:
            nik, born, sex = person(client + 1, k)
            raw = target.registration(client, nik, born, sex)
        else:
            raw = fixed
        k += 1
        t0 = time.perf_counter()
        status, response = http(port, raw)
        latency = time.perf_counter() - t0
        head = response.split(b"\r\n\r\n", 1)[0]
        if phase.kind.startswith("received") and b"\r\nLocation: /bench/trivial/" not in head:
            status = -status  # a redirect elsewhere (the login page) is no success
        records.append((started, time.monotonic(), latency, status, nik))
        if status != expected and not sample:
            sample = response[:2000]
    return records, sample


def _loader_init() -> None:
    # The parent's SIGTERM handler (clean-up) is not for the load generator's processes.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _process_main(phase: Phase, clients: list[int]) -> tuple[list[Record], bytes]:
    time.sleep(max(0.0, phase.start_at - time.monotonic()))
    results: dict[int, tuple[list[Record], bytes]] = {}
    threads = [
        threading.Thread(target=lambda c=c: results.__setitem__(c, _client_loop(phase, c)))
        for c in clients
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    records = [r for c in clients for r in results[c][0]]
    sample = next((results[c][1] for c in clients if results[c][1]), b"")
    return records, sample


def _ticks(pid: int) -> int:
    with suppress(OSError, IndexError, ValueError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime
    return 0


def _children(parent: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with suppress(OSError, IndexError):
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == parent:
                    pids.append(int(entry.name))
    return pids


def _postgres_pids() -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with suppress(OSError):
                if (entry / "comm").read_text().strip() == "postgres":
                    pids.append(int(entry.name))
    return pids


def _busy() -> tuple[int, int]:
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


@dataclass
class CpuShare:
    groups: dict[str, dict[int, int]]
    busy: tuple[int, int]

    @classmethod
    def take(cls, groups: dict[str, list[int]]) -> CpuShare:
        return cls({g: {p: _ticks(p) for p in pids} for g, pids in groups.items()}, _busy())

    def since(self, before: CpuShare, wall: float) -> dict[str, float]:
        """Per group, the share of the machine (all cores) used between the snapshots."""
        capacity = wall * (os.cpu_count() or 1) * CLK_TCK
        shares = {
            g: sum(t - before.groups.get(g, {}).get(p, 0) for p, t in ticks.items()) / capacity
            for g, ticks in self.groups.items()
        }
        busy, total = self.busy[0] - before.busy[0], self.busy[1] - before.busy[1]
        shares["machine"] = busy / total if total else 0.0
        # Anything else: the kernel's own work, other programs on the machine.
        shares["other"] = max(0.0, shares["machine"] - sum(shares[g] for g in self.groups))
        return shares


@dataclass
class Result:
    name: str
    records: list[Record]
    measured: list[Record]
    wall: float
    cpu: dict[str, float]
    sample: bytes
    expected: int

    @property
    def errors(self) -> int:
        return sum(1 for r in self.measured if r[3] != self.expected)

    @property
    def rate(self) -> float:
        return len(self.measured) / self.wall if self.wall else 0.0

    def percentile(self, q: float) -> float:
        latencies = sorted(r[2] for r in self.measured)
        if not latencies:
            return float("nan")
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000


def run_phase(
    name: str, kind: str, target: Target, args: argparse.Namespace, server_pid: int
) -> Result:
    start_at = time.monotonic() + 0.5
    counted_from = start_at + args.warmup
    end_at = counted_from + args.seconds
    phase = Phase(kind, target, start_at, end_at)
    spread = [list(range(p, args.clients, args.procs)) for p in range(args.procs)]
    spread = [clients for clients in spread if clients]
    context = multiprocessing.get_context("fork")
    with context.Pool(len(spread), initializer=_loader_init) as pool:
        pending = pool.starmap_async(_process_main, [(phase, clients) for clients in spread])
        loaders = [worker.pid for worker in pool._pool]  # type: ignore[attr-defined]
        groups = {
            "gunicorn": _children(server_pid),
            "postgres": _postgres_pids(),
            "loadgen": [p for p in loaders if p is not None],
        }
        time.sleep(max(0.0, counted_from - time.monotonic()))
        before = CpuShare.take(groups)
        time.sleep(max(0.0, end_at - time.monotonic()))
        after = CpuShare.take(groups)
        parts = pending.get(timeout=args.seconds + args.warmup + 120)
    records = [r for part, _ in parts for r in part]
    measured = [r for r in records if r[0] >= counted_from]
    wall = max((r[1] for r in measured), default=end_at) - counted_from
    return Result(
        name=name,
        records=records,
        measured=measured,
        wall=wall,
        cpu=after.since(before, end_at - counted_from),
        sample=next((s for _, s in parts if s), b""),
        expected=200 if kind in ("trivial", "insert") else 302,
    )


def race(target: Target, clients: int, rounds: int) -> list[tuple[str, list[int]]]:
    """Every client sends the same new NIK at the same moment, `rounds` times."""
    outcome: list[tuple[str, list[int]]] = []
    barrier = threading.Barrier(clients)
    for round_ in range(rounds):
        nik, born, sex = person(9000 + round_, 0)
        raws = [target.registration(c, nik, born, sex) for c in range(clients)]
        statuses = [0] * clients

        def send(c: int, raws: list[bytes] = raws, statuses: list[int] = statuses) -> None:
            barrier.wait()
            statuses[c] = http(target.port, raws[c])[0]

        threads = [threading.Thread(target=send, args=(c,)) for c in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        outcome.append((nik, statuses))
    return outcome


# --------------------------------------------------------------------------------------
# The parts that need Django run in a subprocess with the server's environment, so that
# this process (which forks the load generator) holds no connections or app state.


def django_setup(clients: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from vokasi.catalog.models import (
        Batch,
        BatchState,
        FundingSource,
        Intake,
        Programme,
        TrainingCentre,
    )
    from vokasi.core.models import User
    from vokasi.core.roles import Role
    from vokasi.regions.models import Region

    today = timezone.localdate()
    bontang = Region.objects.get(code="6474")
    centre = TrainingCentre.objects.create(
        name="UPTD BLKI Bontang",
        short_code="BLKI-BTG",
        kind=TrainingCentre.Kind.UPTD_BLKI,
        government="Pemerintah Kota Bontang",
        letterhead="PEMERINTAH KOTA BONTANG\nUPTD BLKI",
        address="Jl. Bhayangkara No. 45, Bontang",
        region=bontang,
    )
    funding = FundingSource.objects.create(
        name=f"APBD Kota Bontang {today.year}",
        kind=FundingSource.Kind.APBD_CITY,
        body="Pemerintah Kota Bontang",
        fiscal_year=today.year,
        amount=1_000_000_000,
    )
    intake = Intake.objects.create(centre=centre, name="Gelombang Uji Beban", code="BENCH")
    batches = []
    for number, (code, name) in enumerate(
        [("LAS", "Las SMAW"), ("OTO", "Otomotif Sepeda Motor"), ("JHT", "Menjahit")], 1
    ):
        programme = Programme.objects.create(
            centre=centre, code=code, name=name, field=name, hours_jp=240
        )
        batches.append(
            Batch.objects.create(
                programme=programme,
                intake=intake,
                funding=funding,
                code=f"{code}-BENCH-{number}",
                name=f"{name} Angkatan I",
                cost=50_000_000,
                quota=16,
                min_participants=10,
                registration_opens=today - dt.timedelta(days=3),
                registration_closes=today + dt.timedelta(days=9),
                training_starts=today + dt.timedelta(days=20),
                training_ends=today + dt.timedelta(days=60),
                state=BatchState.OPEN,
            )
        )
    password = secrets.token_urlsafe(12)
    hashed = make_password(password)  # once: PBKDF2 costs ~0.4 s a hash
    User.objects.bulk_create(
        User(username=f"staf{n}", full_name=f"Staf Loket {n}", role=Role.STAFF, password=hashed)
        for n in range(clients)
    )
    return {"intake": intake.pk, "batches": [b.pk for b in batches], "password": password}


def django_verify(path: str) -> dict[str, Any]:
    import django

    django.setup()
    from django.conf import settings
    from django_tasks_db.models import DBTaskResult

    from vokasi.intake.models import Application, Choice, Document
    from vokasi.notifications.models import Message

    sent = json.loads(Path(path).read_text())
    apps = Application.objects.filter(intake_id=sent["intake"])
    niks = Counter(apps.values_list("applicant__nik", flat=True))
    ok, failed = set(sent["ok"]), set(sent["failed"])
    stored = [p for p in Path(settings.PRIVATE_MEDIA_ROOT).rglob("*") if p.is_file()]
    kept = sum(1 for p in stored if p.parent.name == "pending")  # uploads kept after a form error
    return {
        "applications": apps.count(),
        "lost": len(ok - set(niks)),
        "duplicated": sum(n - 1 for n in niks.values() if n > 1),
        "after_failure": len(failed & set(niks)),
        "unknown": len(set(niks) - ok - failed),
        "without_ktp": apps.exclude(documents__kind="ktp").count(),
        "choices": Choice.objects.filter(application__in=apps).count(),
        "documents": Document.objects.filter(application__in=apps).count(),
        "files": len(stored) - kept,
        "kept": kept,
        "messages": Message.objects.filter(object_type="intake.application").count(),
        "tasks": DBTaskResult.objects.count(),
        "race": {nik: niks.get(nik, 0) for nik in sent["race"]},
    }


# --------------------------------------------------------------------------------------
# Orchestration


def _pg(sql: str) -> None:
    import psycopg

    with psycopg.connect(**PG, dbname="postgres", autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def environment(database: str, tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("VOKASI_TESTING", "DEBUG")}
    return env | {
        "DATABASE_URL": f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{database}",
        "DJANGO_SETTINGS_MODULE": "bench.bench_settings",
        "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'src'}",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "http://127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "CONN_MAX_AGE": "600",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "EMAIL_BACKEND": "locmem",
        "WHATSAPP_BACKEND": "console",
        "LOG_LEVEL": "WARNING",
        "VOKASI_VAR_DIR": str(tmp),
        "STATIC_ROOT": str(tmp / "static"),
        "MEDIA_ROOT": str(tmp / "media"),
        "PRIVATE_MEDIA_ROOT": str(tmp / "private"),
    }


def step(label: str, run: Callable[[], Any]) -> Any:
    print(f"# {label} …", end=" ", file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    value = run()
    print(f"{time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
    return value


def _run(cmd: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def _internal(mode: str, argument: str, env: dict[str, str]) -> dict[str, Any]:
    out = _run([sys.executable, str(Path(__file__).resolve()), "--internal", mode, argument], env)
    return dict(json.loads(out.strip().splitlines()[-1]))


@contextmanager
def database(name: str) -> Iterator[None]:
    _pg(f'CREATE DATABASE "{name}"')
    try:
        yield
    finally:
        _pg(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        print(f"# dropped database {name}", file=sys.stderr)


@contextmanager
def gunicorn(env: dict[str, str], port: int, workers: int, log: Path) -> Iterator[int]:
    server = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "vokasi.wsgi",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--timeout",
            "120",
            "--error-logfile",
            str(log),
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 30
        while http(port, request(port, "GET", "/bench/trivial/"), timeout=5)[0] != 200:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        # Every worker serves a few requests, so none meets the benchmark cold.
        for _ in range(workers * 10):
            http(port, request(port, "GET", "/bench/trivial/"))
        yield server.pid
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        print("# stopped gunicorn", file=sys.stderr)


def _versions() -> str:
    import django
    import psycopg

    with psycopg.connect(**PG, dbname="postgres") as conn:
        row = conn.execute("SHOW server_version").fetchone()
    pg_version = row[0].split()[0] if row else "?"
    return (
        f"Python {sys.version.split()[0]}, Django {django.get_version()}, "
        f"PostgreSQL {pg_version}, {os.cpu_count()} CPUs"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients")
    parser.add_argument("--procs", type=int, default=4, help="load-generator processes")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--seconds", type=float, default=15, help="measured, per scenario")
    parser.add_argument("--warmup", type=float, default=2, help="not counted, per scenario")
    parser.add_argument("--race-rounds", type=int, default=10)
    parser.add_argument("--upload-kb", type=int, default=0, help="pad the KTP PDF to this size")
    args = parser.parse_args()
    if not 1 <= args.clients <= 1000:
        parser.error("--clients: 1 to 1000")

    # Ctrl+C or a kill still removes gunicorn and the database (the finally blocks).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    name = f"vokasi_bench_{os.getpid()}"
    tmp = Path(tempfile.mkdtemp(prefix="vokasi-bench-"))
    env = environment(name, tmp)
    port = free_port()
    try:
        with database(name):
            manage = [sys.executable, str(ROOT / "manage.py")]
            step(f"database {name}: migrate", lambda: _run([*manage, "migrate", "-v0"], env))
            step("regions", lambda: _run([*manage, "load_regions", "--no-villages"], env))
            step("static files", lambda: _run([*manage, "collectstatic", "--no-input", "-v0"], env))
            info = step(
                "intake, batches, staff", lambda: _internal("setup", str(args.clients), env)
            )
            with gunicorn(env, port, args.workers, tmp / "gunicorn.log") as server_pid:
                bare = Target(port, info["intake"], info["batches"], tiny_pdf(args.upload_kb))

                def log_in_all() -> list[Session]:
                    sessions: list[Session | None] = [None] * args.clients

                    def one(c: int) -> None:
                        sessions[c] = log_in(port, bare, f"staf{c}", info["password"])

                    threads = [threading.Thread(target=one, args=(c,)) for c in range(args.clients)]
                    for thread in threads:
                        thread.start()
                    for thread in threads:
                        thread.join()
                    if any(s is None for s in sessions):
                        raise RuntimeError("a client could not log in")
                    return [s for s in sessions if s is not None]

                target = Target(
                    port, bare.intake, bare.batches, bare.pdf, step("log in", log_in_all)
                )
                results = []
                for label, kind in [
                    ("trivial GET", "trivial"),
                    ("single-insert POST", "insert"),
                    ("same POST, received only", "received"),
                    ("same POST, received + one insert", "received_insert"),
                    ("registration POST (front desk)", "registration"),
                ]:
                    results.append(
                        step(
                            label,
                            lambda label=label, kind=kind: run_phase(
                                label, kind, target, args, server_pid
                            ),
                        )
                    )
                raced = step("race", lambda: race(target, args.clients, args.race_rounds))
                server_log = (tmp / "gunicorn.log").read_text()
            registration = results[-1].records
            sent = {
                "intake": target.intake,
                "ok": [r[4] for r in registration if r[3] == 302]
                + [nik for nik, statuses in raced if 302 in statuses],
                "failed": [r[4] for r in registration if r[3] != 302],
                "race": [nik for nik, _ in raced],
            }
            (tmp / "sent.json").write_text(json.dumps(sent))
            check = step("check", lambda: _internal("verify", str(tmp / "sent.json"), env))
            report(args, results, raced, sent, check, server_log)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def report(
    args: argparse.Namespace,
    results: list[Result],
    raced: list[tuple[str, list[int]]],
    sent: dict[str, Any],
    check: dict[str, Any],
    server_log: str,
) -> None:
    trivial, insert, received, received_insert, registration = results
    print(
        f"\n{_versions()}; gunicorn {args.workers} sync workers; {args.clients} clients "
        f"in {args.procs} processes; {args.seconds:g} s per scenario after {args.warmup:g} s "
        f"warm-up; KTP upload {len(tiny_pdf(args.upload_kb)):,} bytes\n"
    )
    print("| scenario | requests | errors | req/s | p50 ms | p99 ms |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in results:
        print(
            f"| {r.name} | {len(r.measured):,} | {r.errors} | {r.rate:,.0f} "
            f"| {r.percentile(0.50):.1f} | {r.percentile(0.99):.1f} |"
        )
    if not (insert.rate and received.rate and received_insert.rate):
        print("\nA baseline had no successful request; no ratios.")
    else:
        share = registration.rate / insert.rate * 100
        verdict = "met" if share >= 50 else "NOT met"
        print(
            f"\nRegistration at {share:.0f} % of the single-insert baseline "
            f"(target ≥ 50 %: {verdict}); trivial/insert {trivial.rate / insert.rate:.1f}x.\n"
            f"The same POST only received (session, user, CSRF, multipart, redirect): "
            f"{received.rate / insert.rate * 100:.0f} % of the single-insert baseline; with "
            f"one insert: {received_insert.rate / insert.rate * 100:.0f} %. Registration at "
            f"{registration.rate / received_insert.rate * 100:.0f} % of the latter."
        )
    print("\nCPU during the measured seconds, as a share of the whole machine:\n")
    print("| scenario | gunicorn workers | PostgreSQL | load generator | other | machine busy |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in results:
        c = r.cpu
        print(
            f"| {r.name} | {c['gunicorn']:.0%} | {c['postgres']:.0%} | {c['loadgen']:.0%} "
            f"| {c['other']:.0%} | {c['machine']:.0%} |"
        )
    race_ok = sum(1 for _, statuses in raced if statuses.count(302) == 1)
    race_answers = Counter(s for _, statuses in raced for s in statuses)
    race_rows = sum(check["race"].values())
    print("\nIntegrity, after all the registrations (warm-up and race included):\n")
    print("| check | value |")
    print("|---|---:|")
    rows = [
        ("registrations answered 302", len(sent["ok"])),
        ("registrations that failed (not 302)", len(sent["failed"])),
        ("applications in the database", check["applications"]),
        ("lost (302 without an application)", check["lost"]),
        ("duplicated (a NIK with two applications)", check["duplicated"]),
        ("application despite a failed answer", check["after_failure"]),
        ("applications nobody sent", check["unknown"]),
        ("applications without a KTP document", check["without_ktp"]),
        ("choices / documents / document files on disk", None),
        ("queued messages / queued tasks", None),
        (f"race: NIKs sent by {args.clients} clients at once", len(raced)),
        ("race: NIKs with exactly one 302", race_ok),
        ("race: answers", ", ".join(f"{n} x {s}" for s, n in sorted(race_answers.items()))),
        ("race: applications for those NIKs", race_rows),
        ("uploads kept for a form shown again (race losers)", check["kept"]),
    ]
    for label, value in rows:
        if label.startswith("choices"):
            value = f"{check['choices']:,} / {check['documents']:,} / {check['files']:,}"
        elif label.startswith("queued"):
            value = f"{check['messages']:,} / {check['tasks']:,}"
        print(f"| {label} | {value if isinstance(value, str) else f'{value:,}'} |")
    for r in results:
        if r.errors and r.sample:
            print(f"\nFirst unexpected answer in {r.name}:\n{r.sample[:1200].decode('latin-1')}")
    if "Traceback" in server_log:
        print(f"\ngunicorn's log has tracebacks; the last one:\n{server_log[-3000:]}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--internal":
        mode, argument = sys.argv[2], sys.argv[3]
        result = django_setup(int(argument)) if mode == "setup" else django_verify(argument)
        print(json.dumps(result))
    else:
        main()
