"""Database helpers shared by the apps' mail outboxes."""

from contextlib import contextmanager

from django.db import connection


@contextmanager
def stamps_without_waiting_for_the_disk():
    """Let outbox stamps commit without waiting for PostgreSQL to flush its log to disk.

    Each stamp still commits at once, so a worker that dies loses none; only a crash of the
    database server itself could forget the last fraction of a second of stamps (and the sweep
    would send those few mails again). Waiting for the disk on every stamp took a fifth to a half
    of the time per mail.
    """
    relaxed = connection.vendor == "postgresql"
    if relaxed:
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        if relaxed and connection.is_usable():
            with connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")
