"""Fault drills under load, on private servers (a throwaway PostgreSQL cluster and Redis, so that
nothing shared is restarted): gunicorn (2 workers), a Celery worker and beat, and an SMTP server.

1. PostgreSQL restarted in the middle of the load: errors are expected only while it restarts,
   and the web processes recover by themselves (no restart of gunicorn).
2. Redis stopped for a while, then started again empty: pages keep being served (uncached),
   and mail queued meanwhile waits in the database and goes out once Redis is back.
3. SMTP down while mail is queued: the outbox retries, and every message arrives once when the
   server is back.

Each drill prints its error count, the time the errors lasted and the time to recover.

python bench/bench_faults.py [--quick]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiosmtpd.controller import Controller

from bench import harness
from testing.servers import SMTPServer, free_port

PG_BIN = next(Path("/usr/lib/postgresql").glob("*/bin"), None)


def as_postgres(*command: str, **kwargs) -> subprocess.CompletedProcess:
    if os.geteuid() == 0:
        command = ("runuser", "-u", "postgres", "--", *command)
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)


class PrivatePostgres:
    def __init__(self, root: Path):
        self.data = root / "pg"
        self.data.mkdir()
        self.root = root
        self.port = free_port()
        if os.geteuid() == 0:
            shutil.chown(root, "postgres")
            shutil.chown(self.data, "postgres")
        as_postgres(str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust")
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/drill"

    def ctl(self, *args: str) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        as_postgres(
            str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "pg.log"),
            "-w", "-t", "60", "-o", options, *args,
        )  # fmt: skip

    def start(self) -> None:
        self.ctl("start")
        as_postgres(
            str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
            "drill",
        )  # fmt: skip

    def stop(self) -> None:
        self.ctl("-m", "immediate", "stop")


class PrivateRedis:
    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while (
            subprocess.run(
                ["redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True
            ).stdout.strip()
            != "PONG"
        ):
            if time.monotonic() > deadline:
                raise RuntimeError("Redis did not start")
            time.sleep(0.1)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(10)


class Load:
    """Threads asking for pages without pause; every request a new address (the page cache
    cannot answer: each one reaches the database). Records (time, ok) of each answer."""

    PATHS = ["/", "/stakeholders/", "/blog/", "/alpcafes/", "/impact/"]

    def __init__(self, base: str, threads: int = 6):
        self.base = base
        self.threads = threads
        self.results: list[tuple[float, bool, float]] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.counter = 0

    def _run(self, index: int) -> None:
        n = 0
        while not self.stopping.is_set():
            n += 1
            path = self.PATHS[(index + n) % len(self.PATHS)]
            url = f"{self.base}{path}?drill={index}-{n}"
            started = time.monotonic()
            try:
                with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
                    response.read()
                    ok = response.status == 200
            except (urllib.error.URLError, OSError, TimeoutError):
                ok = False
            with self.lock:
                self.results.append((time.monotonic(), ok, time.monotonic() - started))

    def __enter__(self) -> Load:
        self.workers = [
            threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(self.threads)
        ]
        for worker in self.workers:
            worker.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        for worker in self.workers:
            worker.join(15)

    def errors_between(self, start: float, end: float) -> list[float]:
        with self.lock:
            return [t for t, ok, _ in self.results if not ok and start <= t <= end]

    def first_ok_after(self, moment: float) -> float | None:
        with self.lock:
            times = [t for t, ok, _ in self.results if ok and t >= moment]
        return min(times) if times else None

    def latency_ms(self, start: float, end: float) -> float:
        with self.lock:
            values = [d for t, ok, d in self.results if ok and start <= t <= end]
        return statistics.median(values) * 1000 if values else float("nan")


def queue_mail(env: dict, builder: str, n: int, *, log) -> None:
    """Mail queued the way the portal queues it (a builder of the outbox's tests calls the real
    service), from a separate process, like a web request would (its logs to ``log``)."""
    harness.manage(
        env, "shell", "-v0", "-c",
        f"from outbox.tests.builders import {builder}; {builder}({n})",
        stderr=log,
    )  # fmt: skip


def wait_until(predicate, timeout: float) -> float | None:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if predicate():
            return time.monotonic() - started
        time.sleep(0.2)
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="shorter loads")
    args = parser.parse_args()
    if PG_BIN is None:
        sys.exit("The drills start a private PostgreSQL: its binaries are missing.")
    steady = 3 if args.quick else 10
    mails = 20

    root = Path(tempfile.mkdtemp(prefix="alpclusters-drills-"))
    postgres, redis = PrivatePostgres(root), PrivateRedis()
    smtp = SMTPServer().start()
    processes: list[subprocess.Popen] = []
    # The servers' own logs (the errors the drills cause on purpose) go to a file: the bench's
    # output stays one figure a line.
    log_path = Path(tempfile.gettempdir()) / f"alpclusters-drills-{os.getpid()}.log"
    log = log_path.open("w")
    print(f"# the servers' logs: {log_path}", flush=True)
    try:
        postgres.start()
        redis.start()
        env = harness.production_env(
            postgres.url,
            REDIS_URL=redis.url,
            EMAIL_URL=smtp.url,
            CACHE_KEY_PREFIX="drill",
            OUTBOX_SWEEP_AFTER="2",
            OUTBOX_SWEEP_EVERY="2",
            OUTBOX_RETRY_BASE="2",
            OUTBOX_RETRY_MAX="4",
        )
        harness.manage(env, "migrate", "--noinput", "-v0")
        harness.manage(env, "collectstatic", "--noinput", "-v0")
        harness.manage(env, "seed_demo", "-v0")
        celery = [harness.PY, "-m", "celery", "-A", "alpclusters"]
        for command in (
            [*celery, "worker", "--concurrency=1", "--loglevel=WARNING"],
            [*celery, "beat", "--loglevel=WARNING", f"--schedule={root / 'beat'}"],
        ):
            processes.append(
                subprocess.Popen(
                    command, cwd=harness.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=log
                )
            )
        with harness.gunicorn(env, stderr=log) as base:
            # --- 1. PostgreSQL restarted mid-load -------------------------------------------
            with Load(base) as load:
                time.sleep(steady)
                down = time.monotonic()
                postgres.ctl("-m", "fast", "restart")
                up = time.monotonic()
                time.sleep(steady)
                end = time.monotonic()
            errors = load.errors_between(down - 1, end)
            harness.figure("drill_postgres_restart_seconds", up - down, "s")
            harness.figure("drill_postgres_errors", len(errors), "requests")
            harness.figure("drill_postgres_requests", len(load.results), "requests")
            if errors:
                harness.figure("drill_postgres_errors_lasted", max(errors) - min(errors), "s")
            first_ok = load.first_ok_after(up)
            harness.figure(
                "drill_postgres_recovered_after_restart",
                (first_ok - up) if first_ok else float("nan"),
                "s",
            )
            late = load.errors_between(up + 2, end)
            harness.figure("drill_postgres_errors_2s_after_restart", len(late), "requests")

            # --- 2. Redis stopped, mail queued meanwhile, Redis started again ----------------
            with Load(base) as load:
                time.sleep(steady)
                before_ms = load.latency_ms(time.monotonic() - steady, time.monotonic())
                down = time.monotonic()
                redis.stop()
                queue_mail(env, "invitation", mails, log=log)
                time.sleep(steady)
                during_ms = load.latency_ms(down, time.monotonic())
                redis.start()
                up = time.monotonic()
                delivered = wait_until(lambda: len(smtp.recipients) >= mails, timeout=120)
                end = time.monotonic()
            harness.figure("drill_redis_down_seconds", up - down, "s")
            harness.figure("drill_redis_errors", len(load.errors_between(down, end)), "requests")
            harness.figure("drill_redis_p50_before", before_ms, "ms")
            harness.figure("drill_redis_p50_while_down", during_ms, "ms")
            harness.figure("drill_redis_mail_delivered", len(set(smtp.recipients)), "messages")
            harness.figure(
                "drill_redis_mail_duplicates", len(smtp.recipients) - len(set(smtp.recipients)),
                "messages",
            )  # fmt: skip
            harness.figure(
                "drill_redis_mail_out_after_return",
                delivered if delivered is not None else float("nan"),
                "s",
            )

            # --- 3. SMTP down while mail is queued -----------------------------------------
            already = len(smtp.recipients)
            smtp.stop()
            down = time.monotonic()
            queue_mail(env, "relay", mails, log=log)
            time.sleep(2 * steady)
            # aiosmtpd's controller cannot start again once stopped: a new one, same port.
            smtp.controller = Controller(smtp.handler, hostname="127.0.0.1", port=smtp.port)
            smtp.controller.start()
            up = time.monotonic()
            delivered = wait_until(lambda: len(smtp.recipients) >= already + mails, timeout=120)
            fresh = smtp.recipients[already:]
            harness.figure("drill_smtp_down_seconds", up - down, "s")
            harness.figure("drill_smtp_mail_delivered", len(set(fresh)), "messages")
            harness.figure("drill_smtp_mail_duplicates", len(fresh) - len(set(fresh)), "messages")
            harness.figure(
                "drill_smtp_mail_out_after_return",
                delivered if delivered is not None else float("nan"),
                "s",
            )
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
        with contextlib.suppress(Exception):  # already stopped
            smtp.stop()
        if redis.process and redis.process.poll() is None:
            redis.stop()
        with contextlib.suppress(subprocess.CalledProcessError):
            postgres.stop()
        log.close()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
