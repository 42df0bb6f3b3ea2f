import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.parsing import MAX_YEAR, MIN_YEAR, sane_date
from stakeholders.models import Contact, Country, Stakeholder


def new_token() -> str:
    return secrets.token_urlsafe(32)


class AlpCafeQuerySet(models.QuerySet):
    def public(self):
        """What visitors see: scheduled, held and cancelled AlpCafés (never drafts)."""
        return self.exclude(state=AlpCafe.State.DRAFT)

    def upcoming(self):
        return self.public().filter(ends_at__gte=timezone.now()).order_by("starts_at")

    def past(self):
        return self.public().filter(ends_at__lt=timezone.now()).order_by("-starts_at")


class AlpCafe(models.Model):
    """An informal meeting of stakeholders. Spots left, "open for registration" and "past" are
    derived from the participations and the clock, never stored."""

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("Hybrid")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    theme = models.CharField(_("theme"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    format = models.CharField(
        _("format"), max_length=10, choices=Format.choices, default=Format.IN_PERSON
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    online_url = models.URLField(_("online meeting link"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    registration_deadline = models.DateTimeField(_("registration deadline"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), default=30)
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="en"
    )
    host = models.ForeignKey(
        Stakeholder,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hosted_alpcafes",
        limit_choices_to={"is_partner": True},
        verbose_name=_("host partner"),
    )
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="organised_alpcafes", verbose_name=_("organisers")
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    reminder_hours = models.PositiveIntegerField(
        _("reminder (hours before)"), default=48, help_text=_("0 sends no reminder.")
    )
    outcomes_summary = models.TextField(_("summary of the outcomes"), blank=True)
    needs_heard = models.TextField(_("needs heard"), blank=True)
    expectations_heard = models.TextField(_("expectations heard"), blank=True)
    # Raised whenever the time or place changes: the SEQUENCE of its calendar entry.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = AlpCafeQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("AlpCafé")
        verbose_name_plural = _("AlpCafés")
        indexes = [models.Index(fields=["state", "starts_at"], name="alpcafe_state_start")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="alpcafe_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1), name="alpcafe_capacity_min"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("alpcafes:detail", kwargs={"slug": self.slug})

    @property
    def card_key(self) -> tuple:
        """Everything a card of this AlpCafé shows (templates/alpcafes/_card.html, rendered once
        per key by {% fragment %}), the registration's being open included (the clock changes
        it): change what the card shows, change this too."""
        return (
            "alpcafe",
            self.pk,
            self.slug,
            self.title,
            self.starts_at,
            self.format,
            self.city,
            self.country,
            self.theme,
            self.state,
            self.is_open_for_registration,
        )

    def clean(self):
        # A date in year 1 or 9999 would break every page that shows or computes with it.
        errors = {
            name: _("Give a date between the years %(first)d and %(last)d.")
            % {"first": MIN_YEAR, "last": MAX_YEAR}
            for name in ("starts_at", "ends_at", "registration_deadline")
            if not sane_date(getattr(self, name))
        }
        if errors:
            raise ValidationError(errors)

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def registration_closes_at(self):
        return self.registration_deadline or self.starts_at

    @property
    def is_open_for_registration(self) -> bool:
        return self.state == self.State.SCHEDULED and timezone.now() < self.registration_closes_at

    @property
    def is_draft(self) -> bool:
        return self.state == self.State.DRAFT

    @property
    def is_scheduled(self) -> bool:
        return self.state == self.State.SCHEDULED

    @property
    def is_held(self) -> bool:
        return self.state == self.State.HELD

    @property
    def is_cancelled(self) -> bool:
        return self.state == self.State.CANCELLED

    # State rules, shared by templates and services.
    @property
    def can_send_invitations(self) -> bool:
        return self.state == self.State.SCHEDULED and not self.is_past

    @property
    def can_be_cancelled(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.SCHEDULED)

    @property
    def can_be_marked_held(self) -> bool:
        """Once it is over: who came and what was heard are known only then."""
        return self.state == self.State.SCHEDULED and self.is_past

    @property
    def can_check_in(self) -> bool:
        """From the day it takes place (in the portal's time zone) until it is marked held."""
        if self.state != self.State.SCHEDULED:
            return False
        return timezone.localdate() >= timezone.localdate(self.starts_at)

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def reminder_due_at(self):
        return self.starts_at - timedelta(hours=self.reminder_hours)


class ParticipationQuerySet(models.QuerySet):
    def registered(self):
        return self.filter(status=Participation.Status.REGISTERED)

    def waitlisted(self):
        return self.filter(status=Participation.Status.WAITLISTED).order_by("waitlist_position")

    def attended(self):
        return self.filter(attended_at__isnull=False)


class Participation(models.Model):
    """One contact at one AlpCafé, from invitation to attendance: one row, one truth."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        REGISTERED = "registered", _("Registered")
        WAITLISTED = "waitlisted", _("Waitlisted")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")

    alpcafe = models.ForeignKey(
        AlpCafe, on_delete=models.CASCADE, related_name="participations", verbose_name=_("AlpCafé")
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="participations", verbose_name=_("contact")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    waitlist_position = models.PositiveIntegerField(_("waitlist position"), null=True, blank=True)
    attended_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ParticipationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["alpcafe", "contact"], name="participation_unique"),
            models.UniqueConstraint(
                fields=["alpcafe", "waitlist_position"],
                condition=models.Q(status="waitlisted"),
                name="participation_waitlist_position_unique",
            ),
        ]
        indexes = [models.Index(fields=["alpcafe", "status"], name="participation_status")]

    def __str__(self):
        return f"{self.contact} @ {self.alpcafe}"

    @property
    def attended(self) -> bool:
        return self.attended_at is not None

    @property
    def is_registered(self) -> bool:
        return self.status == self.Status.REGISTERED

    @property
    def is_waitlisted(self) -> bool:
        return self.status == self.Status.WAITLISTED

    @property
    def holds_place(self) -> bool:
        """Registered or on the waitlist: a place they can give up."""
        return self.status in (self.Status.REGISTERED, self.Status.WAITLISTED)

    @property
    def has_declined(self) -> bool:
        return self.status in (self.Status.DECLINED, self.Status.CANCELLED)

    def get_rsvp_url(self) -> str:
        return reverse("alpcafes:rsvp", kwargs={"token": self.token})
