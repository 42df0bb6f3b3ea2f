"""AlpCafé invitations through a real Celery worker (Redis broker) to a local SMTP server
(aiosmtpd), beside the same messages sent by plain smtplib over one connection in the same run.

The baseline is the fairest floor for "sending N messages": the very messages the portal renders
(subject, text, HTML and the ICS attachment, in each contact's language), rendered beforehand and
timed only while smtplib hands them to the server over one connection, from a process of its own
as the worker is. A second baseline includes the rendering and the MIME encoding of each message
the ordinary way (the outbox's kind, Django and the email package), so that the ratio to it shows
what the outbox's fast path saves beyond its own cost (Celery, the claim, a stamp per message).
The portal's path is timed from ``invitations_create`` (rows, then tasks on commit) to the last
message the server received, and the run fails unless every row is stamped and every recipient
got exactly one message.

Each measured run has an AlpCafé of its own; the contacts and AlpCafés are deleted at the end.

python bench/bench_invitations.py [--quick] [--invitations N] [--concurrency C ...]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import smtplib
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness

LANGUAGES = ["en", "de", "fr", "it", "sl"]
PREFIX = "bench-invitations-"


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alpclusters.settings")
    import django

    django.setup()


def create_contacts(run: str, n: int):
    from django.utils import timezone

    from stakeholders.models import Contact, Stakeholder

    stakeholder = Stakeholder.objects.create(
        name=f"Bench invitations {run}",
        slug=f"{PREFIX}{run}",
        kind=Stakeholder.Kind.CLUSTER,
        country="AT",
        origin=Stakeholder.Origin.IMPORTED,
    )
    now = timezone.now()
    return Contact.objects.bulk_create(
        (
            Contact(
                stakeholder=stakeholder,
                first_name=f"Guest{i}",
                last_name="Bench",
                email=f"guest{i}@{run}.bench.example.net",
                language=LANGUAGES[i % len(LANGUAGES)],
                mail_consent_at=now,
                mail_consent_source="bench",
            )
            for i in range(n)
        ),
        batch_size=1000,
    )


def create_alpcafe(run: str, label: str):
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from alpcafes.models import AlpCafe

    starts = timezone.now().replace(microsecond=0) + timedelta(days=21)
    return AlpCafe.objects.create(
        title="AlpCafé Innsbruck: going international together",
        slug=f"{PREFIX}{run}-{label}",
        theme="Internationalisation of Alpine SMEs",
        description="Small and medium-sized companies meet cluster managers from across the "
        "Alps to talk about entering new markets together.",
        venue="Haus der Innovation",
        address="Technikerstraße 12",
        city="Innsbruck",
        country="AT",
        latitude=Decimal("47.26410"),
        longitude=Decimal("11.34360"),
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        capacity=30,
        state=AlpCafe.State.SCHEDULED,
    )


def render_all(alpcafe, contacts) -> list[tuple[str, list[str], bytes]]:
    """The invitations written the ordinary way (the outbox's kind, each message rendered and
    serialised by Django and the email package), as SMTP envelopes."""
    from alpcafes.mail import InvitationMail
    from alpcafes.models import Participation, new_token
    from outbox.composer import full_email
    from outbox.kinds import get_kind
    from outbox.models import Message

    kind = get_kind(InvitationMail.name)
    messages = []
    for contact in contacts:
        message = Message(kind=kind.name, contact=contact, about=alpcafe)
        message.participation = Participation(
            alpcafe=alpcafe, contact=contact, status="invited", token=new_token()
        )
        messages.append(message)
    kind.prepare(messages)
    envelopes = []
    for message in messages:
        email = full_email(kind, message)
        envelopes.append(
            (email.from_email, email.recipients(), email.message().as_bytes(linesep="\r\n"))
        )
    return envelopes


def _smtplib_send(port, envelopes, render_from, results) -> None:
    """In a child process, like the worker: one connection, every message, the time taken."""
    try:
        started = time.monotonic()
        if render_from is not None:
            envelopes = render_all(*render_from)
        with smtplib.SMTP("127.0.0.1", port) as smtp:
            for sender, recipients, data in envelopes:
                smtp.sendmail(sender, recipients, data)
        results.put(time.monotonic() - started)
    except Exception as error:  # noqa: BLE001 — handed to the parent, which raises it
        results.put(error)


def clear(server) -> None:
    with server.handler.lock:
        server.handler.messages.clear()
        server.handler.recipients.clear()


def smtplib_baseline(server, envelopes=None, render_from=None) -> float:
    """Seconds for plain smtplib to send the messages (rendering them first if asked)."""
    count = len(envelopes) if envelopes is not None else len(render_from[1])
    clear(server)
    # fork: the child inherits the rendered messages and Django, and touches no connection.
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    child = context.Process(
        target=_smtplib_send, args=(server.port, envelopes, render_from, results)
    )
    child.start()
    seconds = results.get(timeout=300)
    child.join(30)
    if isinstance(seconds, Exception):
        raise seconds
    server.wait_for(count, timeout=30)
    if len(server.recipients) != count:
        raise RuntimeError("The SMTP server did not receive every baseline message")
    clear(server)
    return seconds


def worker_run(server, worker, alpcafe, contacts) -> tuple[float, int]:
    """Seconds from invitations_create to the last message received; duplicate deliveries."""
    from alpcafes import services

    n = len(contacts)
    clear(server)
    started = time.monotonic()
    services.invitations_create(alpcafe=alpcafe, contacts=contacts)
    server.wait_for(n, timeout=max(120, n / 10))
    seconds = time.monotonic() - started
    received = len(server.recipients)
    if received < n:
        raise RuntimeError(f"Only {received} of {n} invitations arrived.\n{worker.log()[-3000:]}")
    unsent = _wait_stamped(alpcafe)
    if unsent:
        raise RuntimeError(f"{unsent} invitations arrived but are not stamped as sent")
    time.sleep(0.5)  # a duplicate would arrive after the last stamp
    per_recipient = Counter(server.recipients)
    if set(per_recipient) != {c.email for c in contacts}:
        raise RuntimeError("Some contacts received no invitation")
    clear(server)
    return seconds, sum(per_recipient.values()) - len(per_recipient)


def _wait_stamped(alpcafe, timeout: float = 30) -> int:
    from outbox.models import Message

    deadline = time.monotonic() + timeout
    while True:
        unsent = Message.objects.about(alpcafe).exclude(state=Message.State.SENT).count()
        if not unsent or time.monotonic() > deadline:
            return unsent
        time.sleep(0.1)


def per_minute(n: int, seconds: float) -> float:
    return n / seconds * 60


def cleanup(run: str | None = None) -> None:
    """This run's rows, or any left behind by a run that was interrupted."""
    from alpcafes.models import AlpCafe
    from stakeholders.models import Contact, Stakeholder

    prefix = f"{PREFIX}{run}" if run else PREFIX
    AlpCafe.objects.filter(slug__startswith=prefix).delete()
    Contact.objects.filter(stakeholder__slug__startswith=prefix).delete()
    Stakeholder.objects.filter(slug__startswith=prefix).delete()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="1,000 invitations instead of 5,000")
    parser.add_argument("--invitations", type=int, help="how many invitations to send")
    parser.add_argument(
        "--concurrency",
        type=int,
        nargs="+",
        help="worker processes to measure (default: 2; without --quick also 1); the figure "
        "without suffix is the first",
    )
    args = parser.parse_args()
    n = args.invitations or (1000 if args.quick else 5000)
    concurrencies = args.concurrency or ([2] if args.quick else [2, 1])

    from testing import CeleryWorker, SMTPServer

    server = SMTPServer(keep_messages=False).start()
    env = harness.production_env(
        harness.bench_database_url("invitations"),
        EMAIL_URL=server.url,
        CELERY_BROKER_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/9"),
    )
    harness.create_database(env)
    setup_django(env)
    from alpclusters.celery import app

    app.conf.task_always_eager = False
    run = uuid.uuid4().hex[:8]
    cleanup()
    try:
        contacts = create_contacts(run, n)
        harness.figure("invitations_count", n, "mails")

        envelopes = render_all(create_alpcafe(run, "baseline"), contacts)
        harness.figure("invitations_message_size", len(envelopes[0][2]), "bytes")
        baseline = smtplib_baseline(server, envelopes=envelopes)
        del envelopes
        rendered = smtplib_baseline(server, render_from=(create_alpcafe(run, "rendered"), contacts))

        results = {}
        for concurrency in concurrencies:
            worker = CeleryWorker(env=env, concurrency=concurrency)
            app.conf.task_default_queue = worker.queue
            worker.start(app)
            try:
                alpcafe = create_alpcafe(run, f"c{concurrency}")
                results[concurrency] = worker_run(server, worker, alpcafe, contacts)
            finally:
                worker.stop()

        worker_rate = per_minute(n, results[concurrencies[0]][0])
        baseline_rate = per_minute(n, baseline)
        harness.figure("invitations_worker_rate", worker_rate, "mails/min")
        for concurrency, (seconds_c, _d) in results.items():
            harness.figure(
                f"invitations_worker_rate_concurrency_{concurrency}",
                per_minute(n, seconds_c),
                "mails/min",
            )
        harness.figure("invitations_smtplib_baseline_rate", baseline_rate, "mails/min")
        harness.figure(
            "invitations_smtplib_with_rendering_rate", per_minute(n, rendered), "mails/min"
        )
        harness.figure("invitations_ratio_to_smtplib", worker_rate / baseline_rate, "x")
        harness.figure(
            "invitations_ratio_to_smtplib_with_rendering",
            worker_rate / per_minute(n, rendered),
            "x",
        )
        harness.figure("invitations_duplicates", sum(d for _s, d in results.values()), "mails")
    finally:
        cleanup(run)
        server.stop()


if __name__ == "__main__":
    main()
