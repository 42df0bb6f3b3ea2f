"""Real parts for tests and benchmarks: an SMTP server that keeps what it receives, and a Celery
worker process on the Redis broker. Not imported by the portal itself."""

from __future__ import annotations

import asyncio
import email
import email.policy
import logging
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller

BASE_DIR = Path(__file__).resolve().parent.parent

# aiosmtpd logs every SMTP command at INFO: thousands of lines a second in a benchmark.
logging.getLogger("mail.log").setLevel(logging.WARNING)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class _Handler:
    messages: list[EmailMessage] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    keep: bool = True  # False: count recipients only (benchmarks with tens of thousands of mails)
    refuse: bool = False
    # Addresses answered with a permanent 550 (a mailbox that does not exist).
    refuse_recipients: set = field(default_factory=set)
    delay: float = 0.0  # seconds per message: a slow server, to catch a worker mid-batch
    lock: threading.Lock = field(default_factory=threading.Lock)
    arrived: threading.Condition = field(init=False)

    def __post_init__(self):
        self.arrived = threading.Condition(self.lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse_recipients:
            return "550 5.1.1 No such mailbox (test)"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return "451 4.3.0 Temporarily refusing mail (test)"
        if self.delay:
            await asyncio.sleep(self.delay)
        message = (
            email.message_from_bytes(envelope.content, policy=email.policy.default)
            if self.keep
            else None
        )
        with self.arrived:
            self.recipients.extend(envelope.rcpt_tos)
            if message is not None:
                self.messages.append(message)
            self.arrived.notify_all()
        return "250 Message accepted for delivery"


class SMTPServer:
    """aiosmtpd on a free local port. ``refuse = True`` answers every message with a 451."""

    def __init__(self, *, keep_messages: bool = True):
        self.port = free_port()
        self.handler = _Handler(keep=keep_messages)
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    @property
    def messages(self) -> list[EmailMessage]:
        with self.handler.lock:
            return list(self.handler.messages)

    @property
    def delay(self) -> float:
        return self.handler.delay

    @delay.setter
    def delay(self, value: float) -> None:
        self.handler.delay = value

    @property
    def refuse(self) -> bool:
        return self.handler.refuse

    @refuse.setter
    def refuse(self, value: bool) -> None:
        self.handler.refuse = value

    def refuse_recipient(self, address: str) -> None:
        self.handler.refuse_recipients.add(address)

    @property
    def recipients(self) -> list[str]:
        with self.handler.lock:
            return list(self.handler.recipients)

    def wait_for(self, count: int, timeout: float = 30) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        with self.handler.arrived:
            while len(self.handler.recipients) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self.handler.arrived.wait(left)
            return list(self.handler.messages)

    def start(self) -> SMTPServer:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()


class CeleryWorker:
    """A real ``celery worker`` process with its own queue name, so that runs never share work."""

    def __init__(self, *, env: dict[str, str], concurrency: int = 1, pool: str = "prefork"):
        self.queue = f"test-{uuid.uuid4().hex[:12]}"
        self.hostname = f"{self.queue}@localhost"
        self.env = {
            **os.environ,
            **env,
            "CELERY_TASK_DEFAULT_QUEUE": self.queue,
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "PYTHONUNBUFFERED": "1",
        }
        self.concurrency = concurrency
        self.pool = pool
        self.process: subprocess.Popen | None = None
        self.log_path = Path(tempfile.gettempdir()) / f"{self.queue}.log"

    def start(self, app, timeout: float = 60) -> CeleryWorker:
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(  # noqa: S603 — fixed argv, no shell
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "alpclusters",
                "worker",
                "--loglevel=INFO",
                f"--hostname={self.hostname}",
                f"--queues={self.queue}",
                f"--concurrency={self.concurrency}",
                f"--pool={self.pool}",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=BASE_DIR,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Celery worker exited early:\n{self.log()}")
            if app.control.ping(destination=[self.hostname], timeout=0.5):
                return self
        self.stop()
        raise RuntimeError(f"Celery worker did not answer within {timeout}s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def kill(self) -> None:
        """SIGKILL the whole worker (parent and pool), as a crash or an OOM kill would."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self, timeout: float = 20) -> None:
        if not self.process or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
        self._log.close()
