"""Full-text search shared by the registry and the blog.

PostgreSQL: a stored ``search_document`` (tsvector, GIN-indexed) in the text search configuration
``alpclusters`` (``simple`` + ``unaccent``, created by the stakeholders migrations), every word
matching as a prefix, results annotated with a ``rank``. SQLite (the embedded default): every word
must appear in one of the given fields, ignoring case and accents as PostgreSQL does ("sudtirol"
finds "Südtirol"), through a ``folded`` lookup backed by a function registered on each SQLite
connection.
"""

import re
import unicodedata

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.backends.signals import connection_created
from django.db.models import CharField, F, Q, QuerySet, TextField, Transform

CONFIG = "alpclusters"
_WORD = re.compile(r"\w+", re.UNICODE)


def fold(text: str | None) -> str:
    """Lower case without accents: "Südtirol" → "sudtirol"."""
    if text is None:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class Folded(Transform):
    """``field__folded__contains=fold(word)``: a field compared without case and accents."""

    lookup_name = "folded"
    function = "ALP_FOLD"


CharField.register_lookup(Folded)
TextField.register_lookup(Folded)


def _sqlite_functions(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function("ALP_FOLD", 1, fold, deterministic=True)


connection_created.connect(_sqlite_functions)


def search_terms(text: str) -> list[str]:
    return _WORD.findall(text or "")[:8]


def full_text(queryset: QuerySet, text: str, *, fallback_fields: list[str]) -> QuerySet:
    terms = search_terms(text)
    if not terms:
        return queryset
    if connection.vendor == "postgresql":
        # Words are reduced to letters and digits above, so the raw tsquery cannot be malformed.
        query = SearchQuery(
            " & ".join(f"{term}:*" for term in terms), config=CONFIG, search_type="raw"
        )
        return queryset.filter(search_document=query).annotate(
            rank=SearchRank(F("search_document"), query)
        )
    # A connection opened before this module was imported has no ALP_FOLD yet.
    connection.ensure_connection()
    _sqlite_functions(None, connection)
    for term in terms:
        match = Q()
        for name in fallback_fields:
            match |= Q(**{f"{name}__folded__contains": fold(term)})
        queryset = queryset.filter(match)
    return queryset
