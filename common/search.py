"""Full-text search shared by the registry and the blog.

PostgreSQL: a stored ``search_document`` (tsvector, GIN-indexed) in the text search configuration
``alpclusters`` (``simple`` + ``unaccent``, created by the stakeholders migrations), every word
matching as a prefix, results annotated with a ``rank``. SQLite: every word must appear in one of
the given fields.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Q, QuerySet

CONFIG = "alpclusters"
_WORD = re.compile(r"\w+", re.UNICODE)


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
    for term in terms:
        match = Q()
        for name in fallback_fields:
            match |= Q(**{f"{name}__icontains": term})
        queryset = queryset.filter(match)
    return queryset
