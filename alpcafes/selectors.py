"""Reads of AlpCafés that more than one view, feed or task uses."""

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


def status_counts(alpcafe: AlpCafe) -> dict[str, int]:
    counts = dict(
        alpcafe.participations.order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    counts["attended"] = alpcafe.participations.attended().count()
    return counts


def invitation_progress(alpcafe: AlpCafe) -> dict[str, int]:
    """How many invitations were queued for the AlpCafé, and how many the outbox sent."""
    return (
        Message.objects.about(alpcafe)
        .of_kind(InvitationMail)
        .aggregate(
            queued=Count("pk"),
            sent=Count("pk", filter=Q(state=Message.State.SENT)),
        )
    )


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
