"""Shared parts of the benchmarks: a production-like server (gunicorn, DEBUG off, PostgreSQL,
Redis) on a bench database, wrk as the load generator, and figures printed one a line as
``<name>: <value> <unit>``."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
PY = sys.executable


def figure(name: str, value: float, unit: str) -> None:
    print(f"{name}: {value:.6g} {unit}", flush=True)


def bench_database_url(suffix: str = "bench") -> str:
    """DATABASE_URL with its database renamed, so a benchmark never touches real data."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        sys.exit("Benchmarks run on PostgreSQL: set DATABASE_URL (make bench does).")
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/alpclusters_{suffix}"))


def production_env(database_url: str, **extra: str) -> dict[str, str]:
    # One per checkout: two worktrees benchmarking at once must not overwrite each other's
    # manifest of hashed file names.
    checkout = hashlib.blake2b(str(BASE_DIR).encode(), digest_size=4).hexdigest()
    static_root = Path(tempfile.gettempdir()) / f"alpclusters-bench-static-{checkout}"
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + "x7Rq2Lp9Zt4Vw8Ks1Nb6Mc3Hd5Gf0Jy" * 2,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/9"),
        "EMAIL_URL": "consolemail://",
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_ROOT": str(static_root),
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def manage(env: dict[str, str], *args: str, stderr=None) -> None:
    subprocess.run([PY, "manage.py", *args], cwd=BASE_DIR, env=env, check=True, stderr=stderr)


def create_database(env: dict[str, str]) -> None:
    """Create the bench database when missing, then migrate it."""
    import psycopg2

    url = urlsplit(env["DATABASE_URL"])
    name = url.path.lstrip("/")
    admin = psycopg2.connect(urlunsplit(url._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")


def query(env: dict[str, str], sql: str, params=()):
    """One statement on the bench database, outside any transaction (VACUUM needs that)."""
    import psycopg2

    connection = psycopg2.connect(env["DATABASE_URL"])
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone() if cursor.description else None
    finally:
        connection.close()


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(env: dict[str, str], *, workers: int = 2, app: str = "bench.wsgi", stderr=None):
    """gunicorn serving the portal plus a bare Django view at /__bare__ (bench/urls.py)."""
    port = free_port()
    proc = subprocess.Popen(
        [
            PY,
            "-m",
            "gunicorn",
            app,
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            "--no-control-socket",
            "--log-level=warning",
        ],
        cwd=BASE_DIR,
        env=env,
        stderr=stderr,
    )
    base = f"http://127.0.0.1:{port}"
    gunicorn.last_pid = proc.pid  # the master: its children are the workers
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base + "/__bare__", timeout=1)  # noqa: S310 — local URL
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(20)


def wrk_path() -> str:
    path = shutil.which("wrk")
    if not path:
        sys.exit("The load generator wrk is missing: apt-get install -y wrk")
    return path


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * _UNITS[unit]


def load(
    url: str,
    *,
    seconds: int,
    connections: int = 8,
    threads: int = 1,
    timeout: int | None = None,
    uncached: bool = False,
    script: str | None = None,
    headers: list[str] | None = None,
) -> dict[str, float]:
    """Requests/s, p50 and p99 (ms), non-2xx count and timed-out requests for ``url`` under wrk.

    wrk drops a response slower than ``timeout`` (2 s by default) from the latencies and counts
    it as a timeout, so slow pages (large exports) need a longer one. ``uncached`` makes every
    request's address unique (bench/unique_urls.lua), so that page caches miss; ``script`` names
    another wrk script in bench/ that writes the requests.
    """
    if uncached:
        script = "unique_urls.lua"
    out = subprocess.run(
        [
            wrk_path(),
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            *([f"--timeout={timeout}s"] if timeout else []),
            *(["-s", str(Path(__file__).with_name(script))] if script else []),
            *[argument for header in headers or [] for argument in ("-H", header)],
            "--latency",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return parse_wrk(out)


def parse_wrk(out: str) -> dict[str, float]:
    """wrk's --latency output as figures: requests/s, p50 and p99 (ms), non-2xx responses and
    timed-out requests."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    connect, read, write, timeouts = (int(n) for n in sockets.groups()) if sockets else (0,) * 4
    return {
        "rps": rps,
        "p50": p50,
        "p99": p99,
        # Responses other than 2xx/3xx, and connections refused or broken.
        "errors": (int(errors.group(1)) if errors else 0) + connect + read + write,
        "timeouts": timeouts,
    }


def report(name: str, result: dict[str, float], baseline: dict[str, float] | None = None) -> None:
    figure(f"{name}_throughput", result["rps"], "req/s")
    figure(f"{name}_p50", result["p50"], "ms")
    figure(f"{name}_p99", result["p99"], "ms")
    if result["errors"]:
        figure(f"{name}_errors", result["errors"], "responses")
    if result.get("timeouts"):
        figure(f"{name}_timeouts", result["timeouts"], "requests")
    if baseline:
        figure(f"{name}_ratio_to_bare_view", result["rps"] / baseline["rps"], "x")
