from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

ORGANISERS_GROUP = "Organisers"
MODERATORS_GROUP = "Moderators"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A member's account: the e-mail address is the login; there is no username."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    # Set by a moderator for a member they trust: no limits on how often they post, comment…
    rate_limit_exempt = models.BooleanField(_("trusted: no rate limits"), default=False)
    # The community rules and privacy notice the member accepted at sign-up, and when.
    terms_version = models.CharField(_("terms accepted (version)"), max_length=20, blank=True)
    terms_accepted_at = models.DateTimeField(_("terms accepted"), null=True, blank=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    @property
    def display_name(self) -> str:
        """The name the site shows: the full name. Never anything derived from the address,
        which is private: without a name, "a member"."""
        return self.get_full_name() or str(_("a member"))


def user_display(user) -> str:
    """How allauth names a user in its pages and mail."""
    return user.display_name


class Country(models.TextChoices):
    AUSTRIA = "AT", _("Austria")
    SWITZERLAND = "CH", _("Switzerland")
    GERMANY = "DE", _("Germany")
    FRANCE = "FR", _("France")
    ITALY = "IT", _("Italy")
    LIECHTENSTEIN = "LI", _("Liechtenstein")
    SLOVENIA = "SI", _("Slovenia")


class Sector(models.Model):
    """A sector (also a blog topic). ``name`` is the English name, used in exports and imports;
    pages show ``label``, the name in the reader's language where one is given."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name_de = models.CharField(
        _("name in German"), max_length=100, blank=True, default="", db_default=""
    )
    name_fr = models.CharField(
        _("name in French"), max_length=100, blank=True, default="", db_default=""
    )
    name_it = models.CharField(
        _("name in Italian"), max_length=100, blank=True, default="", db_default=""
    )
    name_sl = models.CharField(
        _("name in Slovenian"), max_length=100, blank=True, default="", db_default=""
    )

    #: The languages with a name of their own (English is ``name``).
    TRANSLATED = ("de", "fr", "it", "sl")

    class Meta:
        ordering = ["name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self):
        return self.label

    @property
    def names(self) -> dict[str, str]:
        """The name in each language that has one, English included."""
        names = {"en": self.name}
        for language in self.TRANSLATED:
            if value := getattr(self, f"name_{language}"):
                names[language] = value
        return names

    @property
    def label(self) -> str:
        return sector_label(self.names)


def sector_label(names: dict[str, str]) -> str:
    """The name of a sector in the language of the request (English where none is given)."""
    language = (get_language() or "en").split("-")[0]
    return names.get(language) or names["en"]


class StakeholderManager(models.Manager):
    def get_queryset(self):
        # The search index is read by PostgreSQL in WHERE clauses, never by Python: not fetched.
        return super().get_queryset().defer("search_document")


class StakeholderQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=Stakeholder.State.PUBLISHED)

    def pending(self):
        return self.filter(state=Stakeholder.State.PENDING)

    def involved(self):
        """Stakeholders with at least one attended AlpCafé participation (see involvement.py)."""
        from .involvement import involved_condition

        condition = involved_condition()
        if condition is None:
            return self.none()
        # A subquery, not a join: one row per stakeholder however often its people came.
        return self.filter(pk__in=Stakeholder.objects.filter(condition).values("pk"))


class Stakeholder(models.Model):
    """An organisation or actor in the registry. "Involved" is derived, never stored."""

    class Kind(models.TextChoices):
        CLUSTER = "cluster", _("Cluster organisation")
        SME = "sme", _("SME")
        LARGE_COMPANY = "large_company", _("Large company")
        RESEARCH = "research", _("Research & education")
        PUBLIC_AUTHORITY = "public_authority", _("Public authority")
        BUSINESS_SUPPORT = "business_support", _("Business-support organisation")
        ASSOCIATION = "association", _("Association")
        OTHER = "other", _("Other")

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected")

    class Origin(models.TextChoices):
        MAPPED = "mapped", _("Mapped by a partner")
        IMPORTED = "imported", _("Imported")
        SELF_REGISTERED = "self_registered", _("Self-registered")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    region = models.CharField(_("region"), max_length=100, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    sectors = models.ManyToManyField(
        Sector, related_name="stakeholders", blank=True, verbose_name=_("sectors")
    )
    is_partner = models.BooleanField(_("project partner"), default=False)
    state = models.CharField(
        _("publication state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    origin = models.CharField(_("origin"), max_length=20, choices=Origin.choices)
    submitted_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submitted_stakeholders",
        verbose_name=_("submitted by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # A search index kept in step by services.stakeholder_refresh_search (PostgreSQL only): like a
    # database index, not a fact. It holds the sectors' names, which an expression index cannot.
    search_document = SearchVectorField(null=True, editable=False)

    objects = StakeholderManager.from_queryset(StakeholderQuerySet)()

    class Meta:
        ordering = ["name"]
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")
        indexes = [
            # The directory's facets, and the impact figures' scans of the published registry:
            # with the date and the id in the index, PostgreSQL reads the index alone.
            models.Index(
                fields=["state", "country", "kind", "created_at"],
                include=["id"],
                name="stakeholder_facets",
            ),
            models.Index(fields=["state", "name"], name="stakeholder_state_name"),
            # The exports of one country, read in name order from a cursor: without it,
            # PostgreSQL walks the whole registry in name order to find one country's rows.
            models.Index(
                fields=["state", "country", "name", "id"], name="stakeholder_country_name"
            ),
            GinIndex(fields=["search_document"], name="stakeholder_search"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(
                    latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180
                ),
                name="stakeholder_coordinates_valid",
                violation_error_message=_("Coordinates must be a valid latitude and longitude."),
            ),
            models.CheckConstraint(
                condition=~models.Q(state="rejected") | ~models.Q(rejection_reason=""),
                name="stakeholder_rejection_has_reason",
                violation_error_message=_("A rejected stakeholder needs the reason for rejection."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("stakeholders:detail", kwargs={"slug": self.slug})

    @property
    def card_key(self) -> tuple:
        """Everything a card of this stakeholder shows (templates/stakeholders/_card.html,
        rendered once per key by {% fragment %}): change what the card shows, change this too."""
        return (
            "stakeholder",
            self.pk,
            self.slug,
            self.name,
            self.kind,
            self.city,
            self.country,
            self.is_partner,
            self.description,
            tuple(sector.label for sector in self.sectors.all()),
        )

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED

    @property
    def is_pending(self) -> bool:
        return self.state == self.State.PENDING


class ContactQuerySet(models.QuerySet):
    def listable(self):
        """Contacts who agreed to be named on their organisation's public page."""
        return self.filter(listing_consent_at__isnull=False)

    def mailable(self):
        """Contacts who agreed to receive mail (invitations, relayed messages, digests)."""
        return self.filter(mail_consent_at__isnull=False)


class DigestFrequency(models.TextChoices):
    NEVER = "never", _("Never")
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")


class Contact(models.Model):
    """A person: of a stakeholder, or not yet affiliated. Everyone who receives mail is a Contact.

    A consent is given when its timestamp is set; withdrawing it clears the timestamp at once, and
    the history stays in ConsentEvent.
    """

    stakeholder = models.ForeignKey(
        Stakeholder,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("stakeholder"),
    )
    user = models.OneToOneField(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact",
        verbose_name=_("user account"),
    )
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    # Empty only for people met at an AlpCafé's door who gave none (never mailed).
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    role = models.CharField(_("role"), max_length=100, blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="en"
    )
    listing_consent_at = models.DateTimeField(_("agreed to be listed"), null=True, blank=True)
    listing_consent_source = models.CharField(
        _("listing consent source"), max_length=100, blank=True
    )
    mail_consent_at = models.DateTimeField(_("agreed to receive mail"), null=True, blank=True)
    mail_consent_source = models.CharField(_("mail consent source"), max_length=100, blank=True)
    # Digests are bulk mail: they also need the mail consent above.
    digest_frequency = models.CharField(
        _("digest"), max_length=10, choices=DigestFrequency.choices, default=DigestFrequency.NEVER
    )
    # For moderators: a mail when registrations, posts or reports wait for them.
    moderation_mail = models.BooleanField(_("mail me what waits for moderation"), default=True)
    # Set when the person had their data erased: the row stays (attendance counts in the impact
    # figures, its organisation stays "involved") with nothing left that names them.
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [
            models.UniqueConstraint(
                Lower("email"), name="contact_email_ci_unique", condition=~models.Q(email="")
            ),
        ]
        indexes = [
            models.Index(
                fields=["digest_frequency"],
                name="contact_digest_subscribers",
                condition=~models.Q(digest_frequency="never"),
            )
        ]

    def __str__(self):
        return self.full_name or self.email

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_listed(self) -> bool:
        return self.listing_consent_at is not None

    @property
    def accepts_mail(self) -> bool:
        return self.mail_consent_at is not None

    @property
    def greeting_name(self) -> str:
        """The name a mail greets this person by ("" when none is known)."""
        return self.first_name or self.full_name

    def unsubscribe_url(self, what: str) -> str:
        """The one-click link that stops ``what`` ("mail" or "digest") for this contact."""
        from .unsubscribe import unsubscribe_url

        return unsubscribe_url(self, what)

    def preferences_url(self) -> str:
        """The signed link to this contact's mail preferences (no account needed)."""
        from .unsubscribe import preferences_url

        return preferences_url(self)


class ConsentEvent(models.Model):
    """The history of a contact's consents: who agreed or withdrew what, when, and through what."""

    class Kind(models.TextChoices):
        LISTING = "listing", _("Listed on the public profile")
        MAIL = "mail", _("Receive e-mail")

    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="consent_events", verbose_name=_("contact")
    )
    kind = models.CharField(_("consent"), max_length=10, choices=Kind.choices)
    granted = models.BooleanField(_("granted"))
    source = models.CharField(_("source"), max_length=100)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("consent event")
        verbose_name_plural = _("consent events")

    def __str__(self):
        return f"{self.contact} {self.kind} {'granted' if self.granted else 'withdrawn'}"


class ContactMessage(models.Model):
    """A message a member sends to a stakeholder through the portal; the outbox relays it to each
    contact of the stakeholder who accepts mail (its rows say to how many and when)."""

    stakeholder = models.ForeignKey(
        Stakeholder,
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name=_("stakeholder"),
    )
    sender = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="sent_messages", verbose_name=_("sender")
    )
    subject = models.CharField(_("subject"), max_length=150)
    body = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("contact message")
        verbose_name_plural = _("contact messages")

    def __str__(self):
        return self.subject


class JoinRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=JoinRequest.Status.PENDING)


class JoinRequest(models.Model):
    """A member asks to be linked to an organisation already in the registry. A member already
    linked to it, or a moderator, decides."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="join_requests", verbose_name=_("member")
    )
    stakeholder = models.ForeignKey(
        Stakeholder,
        on_delete=models.CASCADE,
        related_name="join_requests",
        verbose_name=_("organisation"),
    )
    message = models.TextField(_("message"), max_length=1000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )

    objects = JoinRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("request to join")
        verbose_name_plural = _("requests to join")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "stakeholder"],
                condition=models.Q(status="pending"),
                name="joinrequest_one_pending",
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.stakeholder}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING
