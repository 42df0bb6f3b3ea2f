"""Partnership opportunities: offers and requests that organisations publish to find partners
across the Alps, reviewed by moderators, expiring unless renewed; expressions of interest passed
on through the portal without revealing anyone's address; and 1:1 meetings at AlpCafés, scheduled
into time slots × tables."""

from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from alpcafes.models import AlpCafe, Participation
from stakeholders.models import Country, Sector, Stakeholder

#: How long an opportunity stays open by default, and at most, from its publication or renewal.
DEFAULT_VALIDITY = timedelta(days=180)
MAX_VALIDITY = timedelta(days=366)
#: The owner is reminded this long before the expiry date, with a one-click renewal link.
REMINDER_BEFORE_EXPIRY = timedelta(days=14)


def _codes(value: str) -> list[str]:
    return [code for code in (value or "").split("|") if code]


def _joined(codes) -> str:
    """Codes stored as "|AT|DE|": a code is found with ``__contains="|AT|"`` on every database."""
    codes = [c for c in dict.fromkeys(codes) if c]
    return f"|{'|'.join(codes)}|" if codes else ""


class OpportunityQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=Opportunity.State.PUBLISHED)

    def open(self, today=None):
        """Published and not expired: what the browse list shows by default and matches read."""
        today = today or timezone.localdate()
        return self.published().filter(expires_on__gte=today)

    def pending(self):
        return self.filter(state=Opportunity.State.PENDING)


class OpportunityManager(models.Manager):
    def get_queryset(self):
        # The search index is read by PostgreSQL in WHERE clauses, never by Python: not fetched.
        return super().get_queryset().defer("search_document")


class Opportunity(models.Model):
    """An offer or a request of one organisation. "Expired" is derived from the expiry date."""

    class Type(models.TextChoices):
        OFFER = "offer", pgettext_lazy("partnership", "Offer")
        REQUEST = "request", pgettext_lazy("partnership", "Request")

    class Category(models.TextChoices):
        BUSINESS = "business", _("Business cooperation")
        TECHNOLOGY = "technology", _("Technology")
        RESEARCH = "research", _("Research")
        PROJECT_PARTNER = "project_partner", _("Project partner")
        EU_CONSORTIUM = "eu_consortium", _("Consortium for an EU call")

    class State(models.TextChoices):
        PENDING = "pending", pgettext_lazy("opportunity", "Waiting for review")
        PUBLISHED = "published", pgettext_lazy("opportunity", "Published")
        REJECTED = "rejected", pgettext_lazy("opportunity", "Rejected")
        CLOSED = "closed", pgettext_lazy("opportunity", "Closed")

    stakeholder = models.ForeignKey(
        Stakeholder,
        on_delete=models.CASCADE,
        related_name="opportunities",
        verbose_name=_("organisation"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opportunities",
        verbose_name=_("published by"),
    )
    type = models.CharField(_("type"), max_length=10, choices=Type.choices)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    title = models.CharField(_("title"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    summary = models.TextField(_("summary"), max_length=4000)
    sectors = models.ManyToManyField(
        Sector, related_name="opportunities", blank=True, verbose_name=_("sectors")
    )
    #: "|AT|DE|"; empty: any country.
    countries_sought = models.CharField(_("countries sought"), max_length=40, blank=True)
    #: "|sme|research|" (kinds of stakeholder); empty: any kind.
    kinds_sought = models.CharField(_("kinds of partner sought"), max_length=200, blank=True)
    expires_on = models.DateField(_("expires on"))
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="en"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    search_document = SearchVectorField(null=True, editable=False)

    objects = OpportunityManager.from_queryset(OpportunityQuerySet)()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("partnership opportunity")
        verbose_name_plural = _("partnership opportunities")
        indexes = [
            models.Index(fields=["state", "expires_on"], name="opportunity_open"),
            models.Index(fields=["stakeholder", "state"], name="opportunity_stakeholder"),
            GinIndex(fields=["search_document"], name="opportunity_search"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="rejected") | ~models.Q(rejection_reason=""),
                name="opportunity_rejection_has_reason",
                violation_error_message=_("A rejected opportunity needs the reason."),
            ),
            models.CheckConstraint(
                condition=~models.Q(state="published") | models.Q(published_at__isnull=False),
                name="opportunity_published_has_date",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("partnerships:detail", kwargs={"slug": self.slug})

    @property
    def countries_sought_list(self) -> list[str]:
        return _codes(self.countries_sought)

    @countries_sought_list.setter
    def countries_sought_list(self, codes) -> None:
        self.countries_sought = _joined(codes)

    @property
    def kinds_sought_list(self) -> list[str]:
        return _codes(self.kinds_sought)

    @kinds_sought_list.setter
    def kinds_sought_list(self, codes) -> None:
        self.kinds_sought = _joined(codes)

    @property
    def countries_sought_labels(self) -> list[str]:
        labels = dict(Country.choices)
        return [str(labels.get(code, code)) for code in self.countries_sought_list]

    @property
    def kinds_sought_labels(self) -> list[str]:
        labels = dict(Stakeholder.Kind.choices)
        return [str(labels.get(code, code)) for code in self.kinds_sought_list]

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED

    @property
    def is_pending(self) -> bool:
        return self.state == self.State.PENDING

    @property
    def is_expired(self) -> bool:
        return self.is_published and self.expires_on < timezone.localdate()

    @property
    def is_open(self) -> bool:
        """Published and not expired: visible in the list, taking expressions of interest."""
        return self.is_published and not self.is_expired

    @property
    def status_label(self) -> str:
        if self.is_expired:
            return str(pgettext_lazy("opportunity", "Expired"))
        return str(self.get_state_display())

    @property
    def can_be_closed(self) -> bool:
        return self.state in (self.State.PENDING, self.State.PUBLISHED)

    @property
    def can_be_renewed(self) -> bool:
        """Published (open or expired) opportunities are renewed by the owner."""
        return self.is_published

    @property
    def can_be_edited(self) -> bool:
        return self.state in (self.State.PENDING, self.State.PUBLISHED, self.State.REJECTED)

    @property
    def reminder_due_on(self):
        return self.expires_on - REMINDER_BEFORE_EXPIRY


class ExpressionOfInterest(models.Model):
    """A member of another organisation tells the owner they are interested. Addresses are passed
    on only when the owner accepts, to both sides, as far as each agreed."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("interest", "Waiting for an answer")
        ACCEPTED = "accepted", pgettext_lazy("interest", "Accepted")
        DECLINED = "declined", pgettext_lazy("interest", "Declined")

    opportunity = models.ForeignKey(
        Opportunity,
        on_delete=models.CASCADE,
        related_name="interests",
        verbose_name=_("opportunity"),
    )
    # Kept (as "a former member") when the sender deletes their account: it still counts.
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="expressions_of_interest",
        verbose_name=_("sender"),
    )
    sender_stakeholder = models.ForeignKey(
        Stakeholder,
        on_delete=models.CASCADE,
        related_name="expressions_of_interest",
        verbose_name=_("sender's organisation"),
    )
    message = models.TextField(_("message"), max_length=3000)
    sender_shares_phone = models.BooleanField(_("sender shares their phone"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    owner_shares_phone = models.BooleanField(_("owner shares their phone"), default=False)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("expression of interest")
        verbose_name_plural = _("expressions of interest")
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "sender_stakeholder"],
                name="interest_once_per_organisation",
                violation_error_message=_(
                    "Your organisation has already expressed interest in this opportunity."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.sender_stakeholder} → {self.opportunity}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def is_accepted(self) -> bool:
        return self.status == self.Status.ACCEPTED


# --- 1:1 meetings at AlpCafés -------------------------------------------------------------------

MAX_TABLES = 200
MAX_SLOTS = 24


class Matchmaking(models.Model):
    """1:1 meetings at one AlpCafé: its time slots and how many tables there are."""

    alpcafe = models.OneToOneField(
        AlpCafe, on_delete=models.CASCADE, related_name="matchmaking", verbose_name=_("AlpCafé")
    )
    is_open = models.BooleanField(_("participants may request meetings"), default=True)
    tables = models.PositiveSmallIntegerField(_("tables"), default=10)
    scheduled_at = models.DateTimeField(_("last scheduled"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("matchmaking")
        verbose_name_plural = _("matchmakings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(tables__gte=1, tables__lte=MAX_TABLES),
                name="matchmaking_tables_range",
                violation_error_message=_("Between 1 and 200 tables."),
            ),
        ]

    def __str__(self):
        return str(_("Meetings at %(title)s") % {"title": self.alpcafe.title})

    def get_absolute_url(self):
        return reverse("partnerships:meetings", kwargs={"slug": self.alpcafe.slug})


class MeetingSlot(models.Model):
    matchmaking = models.ForeignKey(
        Matchmaking, on_delete=models.CASCADE, related_name="slots", verbose_name=_("matchmaking")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("time slot")
        verbose_name_plural = _("time slots")
        constraints = [
            models.UniqueConstraint(fields=["matchmaking", "starts_at"], name="slot_unique_start"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="slot_ends_after_start"
            ),
        ]

    def __str__(self):
        start, end = timezone.localtime(self.starts_at), timezone.localtime(self.ends_at)
        return f"{start:%H:%M}–{end:%H:%M}"


class Attendee(models.Model):
    """A registered participant who joined the matchmaking: the others may see their name,
    organisation and open opportunities, and ask them for a meeting."""

    matchmaking = models.ForeignKey(
        Matchmaking,
        on_delete=models.CASCADE,
        related_name="attendees",
        verbose_name=_("matchmaking"),
    )
    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="+", verbose_name=_("participation")
    )
    unavailable = models.ManyToManyField(
        MeetingSlot, blank=True, related_name="+", verbose_name=_("unavailable in")
    )
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        ordering = ["joined_at", "pk"]
        verbose_name = _("meeting participant")
        verbose_name_plural = _("meeting participants")
        constraints = [
            models.UniqueConstraint(
                fields=["matchmaking", "participation"], name="attendee_unique"
            ),
        ]

    def __str__(self):
        return str(self.participation.contact)


class MeetingRequest(models.Model):
    """One participant asks another for a 1:1 meeting; once accepted, the scheduler gives it a
    slot and a table."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("meeting", "Waiting for an answer")
        ACCEPTED = "accepted", pgettext_lazy("meeting", "Accepted")
        DECLINED = "declined", pgettext_lazy("meeting", "Declined")

    matchmaking = models.ForeignKey(
        Matchmaking,
        on_delete=models.CASCADE,
        related_name="requests",
        verbose_name=_("matchmaking"),
    )
    requester = models.ForeignKey(
        Attendee, on_delete=models.CASCADE, related_name="requests_sent", verbose_name=_("from")
    )
    invitee = models.ForeignKey(
        Attendee, on_delete=models.CASCADE, related_name="requests_received", verbose_name=_("to")
    )
    message = models.CharField(_("message"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    slot = models.ForeignKey(
        MeetingSlot,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("time slot"),
    )
    table = models.PositiveSmallIntegerField(_("table"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    decided_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        constraints = [
            models.UniqueConstraint(fields=["requester", "invitee"], name="meeting_request_once"),
            models.CheckConstraint(
                condition=~models.Q(requester=models.F("invitee")), name="meeting_not_oneself"
            ),
            models.UniqueConstraint(
                fields=["slot", "table"],
                condition=models.Q(slot__isnull=False),
                name="meeting_table_once_per_slot",
            ),
            models.CheckConstraint(
                condition=models.Q(slot__isnull=True, table__isnull=True)
                | models.Q(slot__isnull=False, table__isnull=False, status="accepted"),
                name="meeting_placed_has_table",
            ),
        ]
        indexes = [models.Index(fields=["matchmaking", "status"], name="meeting_status")]

    def __str__(self):
        return f"{self.requester} ↔ {self.invitee}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def is_scheduled(self) -> bool:
        return self.slot_id is not None
