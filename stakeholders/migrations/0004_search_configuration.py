"""PostgreSQL's side of the directory search: accent-insensitive full text and trigram similarity.

The text search configuration ``alpclusters`` is ``simple`` (no stemming: the registry is written in
five languages) with ``unaccent`` first, so that "sudtirol" finds "Südtirol". On SQLite nothing
is created and the search falls back to plain matching.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS alpclusters",
    "CREATE TEXT SEARCH CONFIGURATION alpclusters (COPY = simple)",
    "ALTER TEXT SEARCH CONFIGURATION alpclusters "
    "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple",
    "CREATE INDEX IF NOT EXISTS stakeholder_name_trgm "
    "ON stakeholders_stakeholder USING gin (lower(name) gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS stakeholder_name_trgm",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS alpclusters",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("stakeholders", "0003_registry")]

    operations = [migrations.RunPython(forward, backward)]
