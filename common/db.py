"""Database helpers shared by the apps."""

from contextlib import contextmanager

from django.db import connection
from django.db.models import CharField
from django.db.models.expressions import RawSQL


def names_joined(many_to_many, separator: str, *, ordered: bool = False) -> RawSQL:
    """The ``name`` of every object a row links to through ``many_to_many`` (a model's
    many-to-many attribute, such as ``Stakeholder.sectors``), joined by ``separator``: a
    correlated subquery, so that a query reads them with each row (NULL for none); ``ordered``
    by name."""
    field = many_to_many.field
    through = field.remote_field.through._meta.db_table
    owner = field.model._meta.db_table
    target = field.related_model._meta.db_table
    # Table and column names from the models and a constant: nothing from a request.
    names = (
        f"SELECT n.name FROM {through} t JOIN {target} n"  # noqa: S608
        f" ON n.id = t.{field.m2m_reverse_name()} WHERE t.{field.m2m_column_name()} = {owner}.id"
    )
    if connection.vendor == "postgresql":
        order = " ORDER BY name" if ordered else ""
        sql = f"SELECT string_agg(name, %s{order}) FROM ({names}) AS names"  # noqa: S608
    else:  # SQLite keeps the order of an ordered subquery
        names += " ORDER BY n.name" if ordered else ""
        sql = f"SELECT group_concat(name, %s) FROM ({names}) AS names"  # noqa: S608
    return RawSQL(sql, [separator], output_field=CharField())  # noqa: S611


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
