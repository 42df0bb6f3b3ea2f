"""Date polls in the Django admin: to read (candidates, who was asked, whether they answered);
polls are made on the organisers' pages, and the one write here, closing, goes through the
service. Tokens (personal links) and individual answers are not shown."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import DatePoll, PollInvitee, PollOption


class PollOptionInline(admin.TabularInline):
    model = PollOption
    fields = ["starts_at", "ends_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class PollInviteeInline(admin.TabularInline):
    model = PollInvitee
    fields = ["contact", "created_at", "answered_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("contact")


@admin.register(DatePoll)
class DatePollAdmin(admin.ModelAdmin):
    list_display = ["alpcafe", "state", "closes_at", "sent_at", "asked", "answered"]
    list_filter = ["state", "closes_at"]
    search_fields = ["alpcafe__title"]
    list_select_related = ["alpcafe"]
    fields = [
        "alpcafe",
        "state",
        "closes_at",
        "created_by",
        "sent_at",
        "chosen_option",
        "decided_at",
        "created_at",
    ]
    readonly_fields = fields
    inlines = [PollOptionInline, PollInviteeInline]
    actions = ["close"]

    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                asked_count=Count("invitees", distinct=True),
                answered_count=Count(
                    "invitees", filter=Q(invitees__answered_at__isnull=False), distinct=True
                ),
            )
        )

    @admin.display(description=_("asked"), ordering="asked_count")
    def asked(self, poll):
        return poll.asked_count

    @admin.display(description=_("answered"), ordering="answered_count")
    def answered(self, poll):
        return poll.answered_count

    @admin.action(description=_("Close the selected polls"))
    def close(self, request, queryset):
        done = 0
        for poll in queryset:
            try:
                services.poll_close(poll=poll)
            except ValidationError as error:
                self.message_user(request, f"{poll}: {' '.join(error.messages)}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext("%(count)d poll closed.", "%(count)d polls closed.", done)
                % {"count": done},
                messages.SUCCESS,
            )
