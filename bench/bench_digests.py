"""A weekly digest to N contacts through a real Celery worker (Redis broker) to a local SMTP server
(aiosmtpd), beside the same messages sent by plain smtplib over one connection in the same run.

Prints mails per minute for both, their ratio, the worker's peak memory, and what a second run of
the same period sends (it must be 0).

    python bench/bench_digests.py [--quick] [--contacts N]
"""

import argparse
import datetime as dt
import os
import smtplib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness

WEEK = dt.date(2026, 11, 16)


def _peak_rss_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of a process and its children (the worker's pool)."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for each in pids:
        status = Path(f"/proc/{each}/status")
        if status.exists():
            for line in status.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
    return total / 1024


def seed(n: int) -> None:
    from django.utils import timezone

    from digests import content as digest
    from outbox.models import Message
    from stakeholders.models import Contact, Stakeholder

    Message.objects.filter(kind="digests.digest").delete()
    Contact.objects.filter(email__endswith="@digest-bench.example.net").delete()
    news, _ = Stakeholder.objects.update_or_create(
        slug="digest-bench-news",
        defaults={
            "name": "Digest Bench Cluster",
            "kind": "cluster",
            "country": "IT",
            "city": "Trento",
            "state": "published",
            "origin": "mapped",
        },
    )
    Stakeholder.objects.filter(pk=news.pk).update(
        created_at=digest.as_aware(WEEK) + dt.timedelta(days=1)
    )
    now = timezone.now()
    languages = ["en", "de", "fr", "it", "sl"]
    Contact.objects.bulk_create(
        (
            Contact(
                first_name=f"Reader{i}",
                last_name="Bench",
                email=f"reader{i}@digest-bench.example.net",
                language=languages[i % 5],
                mail_consent_at=now,
                digest_frequency="weekly",
            )
            for i in range(n)
        ),
        batch_size=5000,
    )


def baseline_rate(n: int, smtp_port: int) -> float:
    """The same digests, rendered beforehand (the outbox's writer, without SMTP), sent by smtplib
    over one connection."""
    from digests import content as digest
    from digests.mail import DigestMail
    from outbox.composer import Writer
    from outbox.kinds import get_kind
    from outbox.models import Message
    from stakeholders.models import Contact

    start, end = digest.period_for("weekly", start=WEEK)
    data = {"frequency": "weekly", "period_start": str(start), "period_end": str(end)}
    kind = get_kind(DigestMail.name)
    contacts = Contact.objects.filter(email__endswith="@digest-bench.example.net").order_by("pk")
    messages = [Message(kind=kind.name, contact=c, data=data) for c in contacts[:n]]
    kind.prepare(messages)
    writer = Writer(raw_smtp=False)
    payloads = []
    for message in messages:
        email = writer.write(kind, message)
        payloads.append((email.from_email, email.to, email.message().as_bytes(linesep="\r\n")))
    began = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", smtp_port) as connection:
        for sender, to, data in payloads:
            connection.sendmail(sender, to, data)
    return len(payloads) / (time.perf_counter() - began) * 60


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="5,000 contacts instead of 50,000")
    parser.add_argument("--contacts", type=int)
    parser.add_argument("--concurrency", type=int, default=2)
    args = parser.parse_args()
    n = args.contacts or (5000 if args.quick else 50000)

    env = harness.production_env(harness.bench_database_url("digests"))
    harness.create_database(env)
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alpclusters.settings")
    import django

    django.setup()
    from alpclusters.celery import app
    from digests import services
    from outbox.models import Message
    from testing import CeleryWorker, SMTPServer

    seed(n)
    harness.figure("digests_contacts", n, "contacts")

    smtp = SMTPServer(keep_messages=False).start()
    try:
        baseline = baseline_rate(n, smtp.port)
        harness.figure("digests_smtplib_baseline_rate", baseline, "mails/min")
        smtp.handler.recipients.clear()

        worker = CeleryWorker(
            env={**env, "EMAIL_URL": smtp.url, "CELERY_BROKER_URL": env["REDIS_URL"]},
            concurrency=args.concurrency,
        )
        app.conf.task_default_queue = worker.queue
        app.conf.task_always_eager = False
        worker.start(app)
        try:
            from django.db.models import Max
            from django.utils import timezone

            began_at = timezone.now()
            began = time.perf_counter()
            queued = services.digests_queue(frequency="weekly", period_start=WEEK)
            peak = 0.0
            digests = Message.objects.filter(kind="digests.digest")
            while digests.filter(state=Message.State.QUEUED).exists():
                peak = max(peak, _peak_rss_mb(worker.process.pid))
                time.sleep(0.5)
                if time.perf_counter() - began > 1800:
                    sys.exit("digests did not finish within 30 minutes")
            # From the call to the last stamp, as the database recorded it (no polling error).
            last = digests.aggregate(last=Max("sent_at"))["last"]
            elapsed = (last - began_at).total_seconds()
            peak = max(peak, _peak_rss_mb(worker.process.pid))
            sent = digests.filter(state=Message.State.SENT).count()
            rate = sent / elapsed * 60
            harness.figure("digests_queued", queued, "digests")
            harness.figure("digests_worker_rate", rate, "mails/min")
            harness.figure("digests_ratio_to_smtplib", rate / baseline, "x")
            harness.figure("digests_worker_peak_rss", peak, "MB")
            smtp.wait_for(sent, timeout=30)
            recipients = smtp.recipients
            harness.figure("digests_duplicates", len(recipients) - len(set(recipients)), "mails")

            again = services.digests_queue(frequency="weekly", period_start=WEEK)
            time.sleep(2)
            harness.figure("digests_second_run_queued", again, "digests")
            harness.figure(
                "digests_second_run_sent", len(smtp.recipients) - len(recipients), "mails"
            )
        finally:
            worker.stop()
    finally:
        smtp.stop()


if __name__ == "__main__":
    main()
