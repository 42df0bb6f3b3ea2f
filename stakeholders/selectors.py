"""Reads of the registry that more than one view, export or task uses."""

from __future__ import annotations

import functools
import hashlib
import json
from urllib.parse import urlsplit

from django.core.cache import cache
from django.db import connection
from django.db.models import CharField, Count, Q, QuerySet
from django.db.models.expressions import RawSQL

from common.db import names_joined
from common.search import fold, full_text
from common.versions import changed_and_warm, data_version

from .models import Contact, JoinRequest, Sector, Stakeholder, User

PUBLIC_FIELDS = [
    "name",
    "slug",
    "kind",
    "country",
    "region",
    "city",
    "latitude",
    "longitude",
    "website",
    "description",
    "is_partner",
]


#: Between a stakeholder's sector names as the database joins them (no name holds it).
SECTOR_SEPARATOR = "\x1f"


def sector_names_joined() -> RawSQL:
    """A stakeholder's sector names (English, alphabetical) joined by SECTOR_SEPARATOR, from a
    correlated subquery: one query for the whole export instead of one per batch."""
    return names_joined(Stakeholder.sectors, SECTOR_SEPARATOR, ordered=True)


def stakeholders_search(queryset: QuerySet, text: str) -> QuerySet:
    """Full-text search over name, city, region, sectors and description (common/search.py)."""
    fields = ["name", "city", "region", "description", "sectors__name"] + [
        f"sectors__name_{language}" for language in Sector.TRANSLATED
    ]
    found = full_text(queryset, text, fallback_fields=fields)
    # The SQLite fallback joins the sectors and may repeat a stakeholder.
    return found if connection.vendor == "postgresql" else found.distinct()


def facet_counts(queryset: QuerySet) -> dict:
    """How many of ``queryset`` fall in each country, kind and sector, and how many are partners
    or involved: four queries whatever the size of the registry."""
    by_country = dict(
        queryset.order_by()
        .values_list("country")
        .annotate(n=Count("pk"))
        .values_list("country", "n")
    )
    by_kind = dict(
        queryset.order_by().values_list("kind").annotate(n=Count("pk")).values_list("kind", "n")
    )
    sectors = dict(
        Sector.objects.filter(stakeholders__in=queryset.order_by().values("pk"))
        .values_list("slug")
        .annotate(n=Count("pk"))
        .values_list("slug", "n")
    )
    involved = Stakeholder.objects.involved().values("pk")
    totals = queryset.order_by().aggregate(
        total=Count("pk"),
        partners=Count("pk", filter=Q(is_partner=True)),
        involved=Count("pk", filter=Q(pk__in=involved)),
    )
    return {
        "country": by_country,
        "kind": by_kind,
        "sector": sectors,
        "partner": {"yes": totals["partners"], "no": totals["total"] - totals["partners"]},
        "involved": {"yes": totals["involved"], "no": totals["total"] - totals["involved"]},
    }


FACETS_TIMEOUT = 300


def registry_version() -> str:
    """The registry's data version (common/versions.py): part of every cached page's key."""
    return data_version("registry")


def registry_changed() -> None:
    """Make every cached directory figure stale (called by the services after each write), and
    have the costly ones computed again ahead of the next visitor."""
    changed_and_warm("registry")


def cached_facet_counts(queryset: QuerySet, params: dict[str, str]) -> dict:
    """facet_counts for the directory, cached per filter combination until the registry changes
    (or five minutes pass): on 100,000 stakeholders the unfiltered counts scan every row."""
    signature = json.dumps(sorted(params.items()), ensure_ascii=True)
    digest = hashlib.sha256(signature.encode()).hexdigest()[:32]
    key = f"stakeholders:facets:{registry_version()}:{digest}"
    counts = cache.get(key)
    if counts is None:
        counts = facet_counts(queryset)
        cache.set(key, counts, FACETS_TIMEOUT)
    return counts


def warm_directory_counts() -> None:
    """The unfiltered directory's counts (a scan of the whole registry), for the current version."""
    cached_facet_counts(Stakeholder.objects.published(), {})


def stakeholder_public_contacts(stakeholder: Stakeholder) -> QuerySet:
    """Contacts named on the public profile: name and role only, and only with their consent."""
    return (
        Contact.objects.listable()
        .filter(stakeholder=stakeholder)
        .only("first_name", "last_name", "role", "stakeholder_id")
    )


def website_domain(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.").lower()


def stakeholder_likely_duplicates(
    stakeholder: Stakeholder, *, limit: int = 5, published_only: bool = False
) -> list[Stakeholder]:
    """Other stakeholders that may be the same organisation: same website domain, or a very
    similar name in the same country (trigram similarity on PostgreSQL). ``published_only`` for
    what a member may see (others' pending registrations are private)."""
    others = Stakeholder.objects.exclude(pk=stakeholder.pk).exclude(
        state=Stakeholder.State.REJECTED
    )
    if published_only:
        others = others.filter(state=Stakeholder.State.PUBLISHED)
    found: dict[int, Stakeholder] = {}
    domain = website_domain(stakeholder.website)
    if domain:
        for other in others.filter(website__icontains=domain)[:limit]:
            if website_domain(other.website) == domain:
                found[other.pk] = other
    same_country = others.filter(country=stakeholder.country)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.lookups import Unaccent
        from django.contrib.postgres.search import TrigramSimilarity
        from django.db.models.functions import Lower

        # Accents and case aside: "Agence de developpement" is "Agence de développement".
        similar = (
            same_country.annotate(
                similarity=TrigramSimilarity(Unaccent(Lower("name")), fold(stakeholder.name))
            )
            .filter(similarity__gte=0.5)
            .order_by("-similarity")[:limit]
        )
    else:
        similar = _similar_names(same_country, stakeholder.name, limit)
    for other in similar:
        found.setdefault(other.pk, other)
    return list(found.values())[:limit]


def _similar_names(queryset: QuerySet, name: str, limit: int) -> list[Stakeholder]:
    """The embedded default (SQLite) has no trigrams: the same comparison in Python, accents and
    case aside, over the names of one country (a few hundred on a demo or a small portal)."""
    from difflib import SequenceMatcher

    wanted = fold(name)
    scored = []
    for pk, other in queryset.values_list("pk", "name"):
        ratio = SequenceMatcher(None, wanted, fold(other)).ratio()
        if ratio >= 0.75:
            scored.append((ratio, pk))
    scored.sort(reverse=True)
    ids = [pk for _ratio, pk in scored[:limit]]
    by_id = queryset.in_bulk(ids)
    return [by_id[pk] for pk in ids]


def member_profile(user) -> tuple[Contact, list[Stakeholder], list[JoinRequest]]:
    """The member's contact (as ``contact_of_user``), the organisations they registered and
    their latest five requests to join one, in one query: their organisation's name and the two
    lists come with the contact as JSON (a member's profile page is one of the pages they see
    most; a join to the organisation cost more to plan than the query to run)."""
    sql = _member_profile_sql(connection.vendor)
    found = next(iter(Contact.objects.raw(sql, [user.pk] * sql.count("%s"))), None)
    if found is None:  # no contact of their own yet (their first visit): read as the page saves
        return (
            contact_of_user(user),
            list(user.submitted_stakeholders.all()),
            list(user.join_requests.select_related("stakeholder")[:5]),
        )
    if found.organisation_json:  # for its name and link: the page shows no more of it
        name, slug = json.loads(found.organisation_json)
        found.stakeholder = Stakeholder(pk=found.stakeholder_id, name=name, slug=slug)
    registered = [
        Stakeholder(name=name, slug=slug, state=state)
        for name, slug, state in json.loads(found.registered_json)
    ]
    asked = [
        JoinRequest(status=status, stakeholder=Stakeholder(name=name, slug=slug))
        for name, slug, status in json.loads(found.asked_json)
    ]
    return found, registered, asked


def _json_rows(columns: str, rows_sql: str, params: list) -> RawSQL:
    """A JSON array of ``columns`` of the rows ``rows_sql`` selects, in their order."""
    # Column lists and SQL built here from the models' names: nothing from a request.
    if connection.vendor == "postgresql":
        aggregate = f"COALESCE(json_agg(json_build_array({columns})), '[]')::text"
    else:
        aggregate = f"json_group_array(json_array({columns}))"
    sql = f"SELECT {aggregate} FROM ({rows_sql}) r"  # noqa: S608
    return RawSQL(sql, params, output_field=CharField())  # noqa: S611 — no request input


@functools.cache
def _member_profile_sql(vendor: str) -> str:
    """The profile's query, composed by the ORM once per process (composing it took longer than
    running it); its only parameter, in each of its places, is the member's id."""
    nobody = User(pk=0)
    sql, params = (
        Contact.objects.filter(user=nobody)
        .annotate(
            organisation_json=_organisation_json(),
            registered_json=_registered_json(nobody),
            asked_json=_asked_json(nobody),
        )
        .order_by()[:1]
        .query.sql_with_params()
    )
    if set(params) != {0} or len(params) != sql.count("%s"):
        raise RuntimeError(f"unexpected parameters of the profile query: {params!r}")
    return sql


def _organisation_json() -> RawSQL:
    """The contact's organisation as a JSON array [name, slug] (NULL for none)."""
    table, contacts = Stakeholder._meta.db_table, Contact._meta.db_table
    pair = (
        "json_build_array(name, slug)::text"
        if connection.vendor == "postgresql"
        else ("json_array(name, slug)")
    )
    # Table names from the models: nothing from a request in the SQL.
    sql = f"SELECT {pair} FROM {table} WHERE id = {contacts}.stakeholder_id"  # noqa: S608
    return RawSQL(sql, [], output_field=CharField())  # noqa: S611


def _registered_json(user) -> RawSQL:
    table = Stakeholder._meta.db_table
    # Table and column names from the models; the user's id as a parameter.
    rows = f"SELECT name, slug, state FROM {table} WHERE submitted_by_id = %s ORDER BY name"  # noqa: S608
    return _json_rows("r.name, r.slug, r.state", rows, [user.pk])


def _asked_json(user) -> RawSQL:
    table, stakeholders = JoinRequest._meta.db_table, Stakeholder._meta.db_table
    rows = (
        f"SELECT s.name, s.slug, j.status FROM {table} j JOIN {stakeholders} s"  # noqa: S608
        " ON s.id = j.stakeholder_id WHERE j.user_id = %s ORDER BY j.created_at DESC LIMIT 5"
    )
    return _json_rows("r.name, r.slug, r.status", rows, [user.pk])


def contact_of_user(user) -> Contact:
    """The member's contact as it is or will be once saved: their own, else the one mapped with
    their address (claimed on first save), else an unsaved new one. Reads only."""
    found = Contact.objects.filter(user=user).select_related("stakeholder").first()
    if found is None:
        found = (
            Contact.objects.filter(email__iexact=user.email, user__isnull=True)
            .select_related("stakeholder")
            .first()
        )
    if found is None:
        found = Contact(email=user.email, first_name=user.first_name, last_name=user.last_name)
    return found


def join_requests_to_decide(user) -> QuerySet:
    """Open requests this member may decide: for their organisation, or all for moderators."""
    from .models import JoinRequest
    from .permissions import is_moderator

    requests = JoinRequest.objects.pending().select_related("user", "stakeholder")
    if is_moderator(user):
        return requests.order_by("created_at")
    organisation = Contact.objects.filter(user=user).values("stakeholder_id")
    return requests.filter(stakeholder_id__in=organisation).order_by("created_at")


def member_edits(*, limit: int = 20):
    """The latest changes members made to their organisations' profiles (the audit trail),
    for the moderators."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    from .models import MODERATORS_GROUP

    entries = list(
        LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Stakeholder))
        .exclude(user__is_staff=True)
        .exclude(user__groups__name=MODERATORS_GROUP)
        .select_related("user")
        .order_by("-action_time")[:limit]
    )
    stakeholders = Stakeholder.objects.in_bulk(
        [int(e.object_id) for e in entries if e.object_id.isdigit()]
    )
    for entry in entries:
        entry.stakeholder = (
            stakeholders.get(int(entry.object_id)) if entry.object_id.isdigit() else None
        )
    return entries


def members_find(text: str, *, limit: int = 50) -> QuerySet:
    """Members for the moderators' members page: by name, e-mail or organisation (like the
    admin's search), trusted members first when nothing is asked."""
    members = User.objects.filter(is_active=True).select_related("contact__stakeholder")
    for word in text.split()[:5]:
        members = members.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
            | Q(contact__stakeholder__name__icontains=word)
        )
    if not text.strip():
        members = members.filter(rate_limit_exempt=True)
    return members.order_by("first_name", "last_name", "email")[:limit]
