from django.db import models
from django.utils.translation import gettext_lazy as _

from stakeholders.models import Contact, DigestFrequency


class DigestDelivery(models.Model):
    """One digest for one contact, frequency and period: the row that makes it exactly-once.

    The rows are the outbox: queued → claimed by a worker → sent (or skipped, with the reason,
    when there was nothing new or the consent was withdrawn before sending).
    """

    class Skipped(models.TextChoices):
        NOTHING_NEW = "nothing_new", _("Nothing new")
        NO_CONSENT = "no_consent", _("No consent to receive mail")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed from the digest")

    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="digests", verbose_name=_("contact")
    )
    frequency = models.CharField(_("frequency"), max_length=10, choices=DigestFrequency.choices)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    queued_at = models.DateTimeField(_("queued"), auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    skipped = models.CharField(_("skipped"), max_length=20, choices=Skipped.choices, blank=True)

    class Meta:
        ordering = ["-period_start"]
        verbose_name = _("digest delivery")
        verbose_name_plural = _("digest deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "frequency", "period_start"], name="digest_once_per_period"
            )
        ]
        indexes = [
            models.Index(
                fields=["queued_at"],
                name="digest_outbox",
                condition=models.Q(sent_at__isnull=True, skipped=""),
            ),
            models.Index(fields=["contact", "-period_end"], name="digest_contact_history"),
        ]

    def __str__(self):
        return f"{self.contact} {self.frequency} {self.period_start}"

    @property
    def is_done(self) -> bool:
        return self.sent_at is not None or bool(self.skipped)
