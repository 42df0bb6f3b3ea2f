"""Digests moved from the site package (table alpclusters_digestdelivery) into the outbox: the sent
and skipped rows become outbox messages, so that "since the last digest" and "once per period"
keep holding, and the old table goes."""

from django.db import migrations

OLD_TABLE = "alpclusters_digestdelivery"


def deliveries_to_outbox(apps, schema_editor):
    connection = schema_editor.connection
    if OLD_TABLE not in connection.introspection.table_names():
        return
    Message = apps.get_model("outbox", "Message")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT contact_id, frequency, period_start, period_end, queued_at, sent_at, skipped "
            f"FROM {OLD_TABLE}"
        )
        rows = cursor.fetchall()
    messages = []
    for contact_id, frequency, start, end, queued_at, sent_at, skipped in rows:
        start, end = str(start)[:10], str(end)[:10]
        messages.append(
            Message(
                kind="digests.digest",
                contact_id=contact_id,
                data={"frequency": frequency, "period_start": start, "period_end": end},
                dedupe_key=f"digests.digest:{frequency}:{start}:{contact_id}",
                state="sent" if sent_at else ("cancelled" if skipped else "queued"),
                reason=skipped or "",
                queued_at=queued_at,
                sent_at=sent_at,
            )
        )
    Message.objects.bulk_create(messages, batch_size=1000, ignore_conflicts=True)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {OLD_TABLE}")


class Migration(migrations.Migration):
    initial = True

    dependencies = [("outbox", "0001_initial")]

    operations = [migrations.RunPython(deliveries_to_outbox, migrations.RunPython.noop)]
