"""The outbox: every e-mail the portal must send exists first as a row here.

A row is queued by a service in the same transaction as the change it reports, claimed by one
worker, sent, and stamped; a row whose worker died is claimed again after the claim timeout. What a
message says is written by its kind (``outbox.kinds``), from the object it is about, when it is
sent: the row holds only what the kind needs to write it.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MessageQuerySet(models.QuerySet):
    def about(self, obj):
        return self.filter(
            about_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
            about_id=obj.pk,
        )

    def of_kind(self, *kinds):
        return self.filter(kind__in=[getattr(k, "name", k) for k in kinds])

    def queued(self):
        return self.filter(state=Message.State.QUEUED)

    def sent(self):
        return self.filter(state=Message.State.SENT)


class Message(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Not sent")

    kind = models.CharField(_("kind"), max_length=40)
    # Everyone who receives mail is a contact; only account mail (sign-up, password reset) may go
    # to an address that has no contact yet.
    contact = models.ForeignKey(
        settings.OUTBOX_RECIPIENT_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="outbox_messages",
        verbose_name=_("recipient"),
    )
    address = models.EmailField(_("address without a contact"), blank=True)
    language = models.CharField(_("language"), max_length=5, default="en")
    about_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    about_id = models.PositiveBigIntegerField(null=True, blank=True)
    about = GenericForeignKey("about_type", "about_id")
    # What the kind needs beyond the object (an old start time, a period); never an address.
    data = models.JSONField(_("data"), default=dict, blank=True)
    # Kinds that must go out once at most (a digest per period, a reminder) name themselves here.
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    reason = models.TextField(_("reason"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    queued_at = models.DateTimeField(_("queued"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["-queued_at", "-pk"]
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outbox")
        indexes = [
            models.Index(
                fields=["queued_at"], name="outbox_queued", condition=models.Q(state="queued")
            ),
            models.Index(fields=["about_type", "about_id", "kind"], name="outbox_about"),
            models.Index(fields=["contact", "kind", "-sent_at"], name="outbox_contact"),
            models.Index(fields=["kind", "state", "-queued_at"], name="outbox_kind_state"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(contact__isnull=False) | ~models.Q(address=""),
                name="outbox_has_recipient",
            ),
        ]

    def __str__(self):
        return f"{self.kind} → {self.contact or self.address}"

    @property
    def recipient_address(self) -> str:
        return self.contact.email if self.contact_id else self.address

    @property
    def recipient_language(self) -> str:
        return self.contact.language if self.contact_id else self.language

    @property
    def kind_label(self) -> str:
        from .kinds import get_kind

        kind = get_kind(self.kind)
        return str(kind.label) if kind else self.kind

    @property
    def is_sent(self) -> bool:
        return self.state == self.State.SENT

    @property
    def can_be_retried(self) -> bool:
        return self.state in (self.State.FAILED, self.State.CANCELLED)
