"""Date polls: before a draft AlpCafé is scheduled, the people it is for say which of a few
candidate dates suit them, from a personal link in a mail (no account needed)."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from alpcafes.models import AlpCafe
from stakeholders.models import Contact

#: How many candidate dates a poll offers.
MIN_OPTIONS, MAX_OPTIONS = 2, 8
#: The reminder goes this long before the poll closes (or half-way, for a shorter poll).
REMINDER_BEFORE_CLOSING = timedelta(hours=48)
#: Someone asked later than this before the reminder's time is not reminded so soon.
REMINDER_NOT_BEFORE = timedelta(hours=12)


def new_token() -> str:
    return secrets.token_urlsafe(32)


class DatePoll(models.Model):
    """A poll about the date of one draft AlpCafé; one at a time is being prepared or open."""

    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("date poll", "Being prepared")
        OPEN = "open", pgettext_lazy("date poll", "Open")
        CLOSED = "closed", pgettext_lazy("date poll", "Closed")
        DECIDED = "decided", pgettext_lazy("date poll", "Date chosen")

    alpcafe = models.ForeignKey(
        AlpCafe, on_delete=models.CASCADE, related_name="date_polls", verbose_name=_("AlpCafé")
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    closes_at = models.DateTimeField(_("closes"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    chosen_option = models.ForeignKey(
        "PollOption",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chosen date"),
    )
    decided_at = models.DateTimeField(_("date chosen at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("date poll")
        verbose_name_plural = _("date polls")
        constraints = [
            models.UniqueConstraint(
                fields=["alpcafe"],
                condition=models.Q(state__in=["draft", "open"]),
                name="datepoll_one_active_per_alpcafe",
                violation_error_message=_("This AlpCafé already has a date poll in progress."),
            ),
            models.CheckConstraint(
                condition=~models.Q(state="decided") | models.Q(decided_at__isnull=False),
                name="datepoll_decided_has_date",
            ),
        ]

    def __str__(self):
        return str(_("Date poll: %(title)s") % {"title": self.alpcafe.title})

    def get_absolute_url(self):
        return reverse("polls:manage", kwargs={"slug": self.alpcafe.slug})

    @property
    def is_draft(self) -> bool:
        return self.state == self.State.DRAFT

    @property
    def is_decided(self) -> bool:
        return self.state == self.State.DECIDED

    @property
    def is_active(self) -> bool:
        """Being prepared or open: no other poll for the AlpCafé meanwhile."""
        return self.state in (self.State.DRAFT, self.State.OPEN)

    @property
    def is_open(self) -> bool:
        """Sent and taking answers: open, and its closing time not reached."""
        return self.state == self.State.OPEN and timezone.now() < self.closes_at

    @property
    def accepts_answers(self) -> bool:
        """Answers may be given or changed: the poll is open and its AlpCafé still a draft."""
        return self.is_open and self.alpcafe.is_draft

    @property
    def can_be_edited(self) -> bool:
        """Candidates and closing time change only before the poll is sent."""
        return self.state == self.State.DRAFT

    @property
    def can_ask_people(self) -> bool:
        """People may be asked before it is sent and while it is open."""
        return self.state == self.State.DRAFT or self.is_open

    @property
    def can_be_closed(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def can_be_decided(self) -> bool:
        """A date is chosen once the poll was sent, while the AlpCafé is still a draft."""
        return self.state in (self.State.OPEN, self.State.CLOSED) and self.alpcafe.is_draft

    @property
    def reminder_due_at(self):
        """When those who have not answered are reminded: 48 hours before closing, or half-way
        for a shorter poll. None before the poll is sent."""
        if self.sent_at is None:
            return None
        half_way = self.sent_at + (self.closes_at - self.sent_at) / 2
        return max(self.closes_at - REMINDER_BEFORE_CLOSING, half_way)


class PollOption(models.Model):
    """One candidate date and time."""

    poll = models.ForeignKey(
        DatePoll, on_delete=models.CASCADE, related_name="options", verbose_name=_("date poll")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("candidate date")
        verbose_name_plural = _("candidate dates")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="polloption_ends_after_start",
                violation_error_message=_("The end must come after the start."),
            ),
            models.UniqueConstraint(
                fields=["poll", "starts_at"],
                name="polloption_unique_start",
                violation_error_message=_("Two candidates start at the same time."),
            ),
        ]

    def __str__(self):
        local = timezone.localtime(self.starts_at)
        return f"{local:%Y-%m-%d %H:%M}–{timezone.localtime(self.ends_at):%H:%M}"


class PollInvitee(models.Model):
    """A contact asked in a poll. The token of their personal link is their credential."""

    poll = models.ForeignKey(
        DatePoll, on_delete=models.CASCADE, related_name="invitees", verbose_name=_("date poll")
    )
    contact = models.ForeignKey(
        Contact,
        on_delete=models.CASCADE,
        related_name="poll_invitations",
        verbose_name=_("contact"),
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    created_at = models.DateTimeField(_("asked"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("person asked")
        verbose_name_plural = _("people asked")
        constraints = [
            models.UniqueConstraint(fields=["poll", "contact"], name="pollinvitee_unique"),
        ]

    def __str__(self):
        return f"{self.contact} · {self.poll}"

    @property
    def has_answered(self) -> bool:
        return self.answered_at is not None

    def get_vote_url(self) -> str:
        return reverse("polls:vote", kwargs={"token": self.token})


class PollAnswer(models.Model):
    """One person's answer for one candidate: yes, if need be, or no."""

    class Choice(models.TextChoices):
        YES = "yes", _("Yes")
        MAYBE = "maybe", _("If need be")
        NO = "no", _("No")

    invitee = models.ForeignKey(
        PollInvitee, on_delete=models.CASCADE, related_name="answers", verbose_name=_("person")
    )
    option = models.ForeignKey(
        PollOption, on_delete=models.CASCADE, related_name="answers", verbose_name=_("candidate")
    )
    choice = models.CharField(_("answer"), max_length=5, choices=Choice.choices)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["invitee", "option"], name="pollanswer_unique"),
        ]
        indexes = [models.Index(fields=["option", "choice"], name="pollanswer_option_choice")]

    def __str__(self):
        return f"{self.invitee.contact} · {self.option}: {self.get_choice_display()}"
