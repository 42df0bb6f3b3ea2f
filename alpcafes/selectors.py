"""Reads of AlpCafés that more than one view, feed or task uses."""

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from outbox.models import Message
from stakeholders.filters import StakeholderFilter
from stakeholders.models import Contact, Stakeholder

from .mail import InvitationMail
from .models import AlpCafe, Participation

Status = Participation.Status


def alpcafes_with_counts(queryset: QuerySet) -> QuerySet:
    """AlpCafés with their registered and waitlisted numbers, in the same query."""
    return queryset.select_related("host").annotate(
        registered_count=Count(
            "participations", filter=Q(participations__status=Status.REGISTERED)
        ),
        waitlist_count=Count("participations", filter=Q(participations__status=Status.WAITLISTED)),
    )


def alpcafes_upcoming() -> QuerySet:
    return alpcafes_with_counts(AlpCafe.objects.upcoming())


def alpcafes_past() -> QuerySet:
    return alpcafes_with_counts(AlpCafe.objects.past())


def spots_left(alpcafe: AlpCafe) -> int:
    registered = getattr(alpcafe, "registered_count", None)
    if registered is None:
        registered = alpcafe.participations.registered().count()
    return max(alpcafe.capacity - registered, 0)


def manage_figures(alpcafe: AlpCafe, user) -> dict:
    """What the manage page counts, in one query: the guests by status and who came, the
    invitations the outbox queued (``queued``: all of them), sent, failed or cancelled with their
    attempts and latest sending (any change of an invitation's state changes these: the guest
    list is kept under them), and whether ``user`` organises the AlpCafé.

    Written as SQL: Django took longer to compose these twelve aggregates (some 2 ms) than the
    database to compute them (a tenth of that), on the page organisers open most."""
    participations = Participation._meta.db_table
    messages = Message._meta.db_table
    organisers = AlpCafe.organisers.through._meta.db_table
    counted = ("registered", "waitlisted", "invited", "declined")
    by_status = "".join(
        f"(SELECT COUNT(*) FROM {participations} WHERE alpcafe_id = %s AND status = %s), "  # noqa: S608
        for _status in counted
    )
    # Table names from the models, values as parameters: nothing from a request in the SQL.
    sql = (
        f"SELECT {by_status}"  # noqa: S608
        f"(SELECT COUNT(*) FROM {participations} WHERE alpcafe_id = %s"
        " AND attended_at IS NOT NULL), "
        f"(SELECT COUNT(*) FROM {organisers} WHERE alpcafe_id = %s AND user_id = %s), "
        "COUNT(*), SUM(CASE WHEN state = %s THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN state = %s THEN 1 ELSE 0 END), SUM(CASE WHEN state = %s THEN 1 ELSE 0 END),"
        f" SUM(attempts), MAX(sent_at) FROM {messages}"
        " WHERE about_type_id = %s AND about_id = %s AND kind = %s"
    )
    about = ContentType.objects.get_for_model(AlpCafe, for_concrete_model=False).pk
    params = [value for status in counted for value in (alpcafe.pk, status)]
    params += [alpcafe.pk, alpcafe.pk, getattr(user, "pk", None)]
    params += [Message.State.SENT, Message.State.FAILED, Message.State.CANCELLED]
    params += [about, alpcafe.pk, InvitationMail.name]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    names = (*counted, "attended", "organised_by_user")
    names += ("queued", "sent", "failed", "cancelled", "attempts", "last_sent")
    figures = dict(zip(names, row, strict=True))
    for name in ("sent", "failed", "cancelled", "attempts"):
        figures[name] = figures[name] or 0
    figures["organised_by_user"] = bool(figures["organised_by_user"])
    return figures


def guests(alpcafe: AlpCafe) -> QuerySet:
    """The guest list, each row with the state of its invitation in the outbox (or None)."""
    invitation = (
        Message.objects.about(alpcafe)
        .of_kind(InvitationMail)
        .filter(contact=OuterRef("contact"))
        .values("state")[:1]
    )
    return (
        alpcafe.participations.select_related("contact__stakeholder")
        .annotate(invitation_state=Subquery(invitation))
        .order_by("status", "waitlist_position", "contact__last_name")
    )


def mail_sent_about(alpcafe: AlpCafe) -> QuerySet:
    """Every message about the AlpCafé: what went (or goes) to whom, and when."""
    return Message.objects.about(alpcafe).select_related("contact").order_by("-queued_at", "-pk")


def invitee_candidates(alpcafe: AlpCafe, data) -> tuple[StakeholderFilter, QuerySet]:
    """Contacts who may be invited: of published stakeholders matching the registry's filters,
    accepting mail, and not yet part of this AlpCafé. Filters that are not valid (a country or
    sector that does not exist, from an old or edited address) match nobody: the directory
    ignores such a filter, but here ignoring it would mean asking the whole registry."""
    stakeholder_filter = StakeholderFilter(data or None, queryset=Stakeholder.objects.published())
    if stakeholder_filter.is_bound and not stakeholder_filter.is_valid():
        return stakeholder_filter, Contact.objects.none()
    contacts = (
        Contact.objects.mailable()
        .filter(stakeholder__in=stakeholder_filter.qs.order_by().values("pk"))
        .exclude(participations__alpcafe=alpcafe)
        .select_related("stakeholder")
        .order_by("stakeholder__name", "last_name")
    )
    return stakeholder_filter, contacts


def alpcafes_attended_by(stakeholder) -> QuerySet:
    """The AlpCafés at least one of the stakeholder's contacts attended."""
    return (
        AlpCafe.objects.filter(
            participations__contact__stakeholder=stakeholder,
            participations__attended_at__isnull=False,
        )
        .distinct()
        .order_by("-starts_at")
    )


def attended_section(stakeholder) -> tuple[str, dict]:
    """The "AlpCafés attended" section of a stakeholder's public page."""
    return "alpcafes/_attended.html", {"alpcafes": list(alpcafes_attended_by(stakeholder))}


def check_in_list(alpcafe: AlpCafe, query: str = "") -> QuerySet:
    """The registered participants, by name; ``query`` finds them by first or last name or
    organisation."""
    rows = alpcafe.participations.filter(status=Status.REGISTERED).select_related(
        "contact__stakeholder"
    )
    for word in query.split()[:5]:
        rows = rows.filter(
            Q(contact__first_name__icontains=word)
            | Q(contact__last_name__icontains=word)
            | Q(contact__stakeholder__name__icontains=word)
            | Q(contact__role__icontains=word)
        )
    return rows.order_by("contact__last_name", "contact__first_name")


def participations_upcoming(user) -> list[Participation]:
    return list(
        Participation.objects.filter(
            contact__user=user,
            status__in=[Status.REGISTERED, Status.WAITLISTED],
            alpcafe__ends_at__gte=timezone.now(),
        )
        .exclude(alpcafe__state=AlpCafe.State.DRAFT)
        .select_related("alpcafe")
        .order_by("alpcafe__starts_at")
    )


def participations_past(user) -> list[Participation]:
    return list(
        Participation.objects.filter(
            contact__user=user, status=Status.REGISTERED, alpcafe__ends_at__lt=timezone.now()
        )
        .exclude(alpcafe__state__in=[AlpCafe.State.DRAFT, AlpCafe.State.CANCELLED])
        .select_related("alpcafe")
        .order_by("-alpcafe__starts_at")
    )


def alpcafes_organised_by(user) -> list[AlpCafe]:
    return list(
        alpcafes_with_counts(AlpCafe.objects.filter(organisers=user)).order_by("-starts_at")
    )
