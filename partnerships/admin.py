"""Partnerships in the Django admin: opportunities to read and curate (publishing and rejecting
go through the services), expressions of interest to read. Messages are private: shown to staff
only, as the relayed messages of the registry are."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.versions import AdminChangesVersions

from . import selectors, services
from .models import ExpressionOfInterest, Matchmaking, Opportunity


@admin.register(Opportunity)
class OpportunityAdmin(AdminChangesVersions, admin.ModelAdmin):
    version_domains = ("partnerships",)
    list_display = ["title", "stakeholder", "type", "category", "state", "expires_on", "interests"]
    list_filter = ["state", "type", "category", "stakeholder__country"]
    search_fields = ["title", "summary", "stakeholder__name"]
    list_select_related = ["stakeholder"]
    autocomplete_fields = ["stakeholder"]
    filter_horizontal = ["sectors"]
    readonly_fields = ["created_by", "published_at", "closed_at", "created_at", "updated_at"]
    actions = ["approve", "close"]

    def get_queryset(self, request):
        return selectors.with_interest_counts(super().get_queryset(request))

    @admin.display(description=_("interest"), ordering="interest_count")
    def interests(self, opportunity):
        return opportunity.interest_count

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.opportunity_refresh_search(ids=[form.instance.pk])

    def _each(self, request, queryset, action, done_message):
        done = 0
        for opportunity in queryset:
            try:
                action(opportunity)
            except ValidationError as error:
                self.message_user(
                    request, f"{opportunity}: {' '.join(error.messages)}", messages.ERROR
                )
            else:
                done += 1
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)

    @admin.action(description=_("Publish the selected opportunities"))
    def approve(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda o: services.opportunity_approve(opportunity=o, moderator=request.user),
            lambda n: (
                ngettext(
                    "%(count)d opportunity published.", "%(count)d opportunities published.", n
                )
                % {"count": n}
            ),
        )

    @admin.action(description=_("Close the selected opportunities"))
    def close(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda o: services.opportunity_close(opportunity=o, user=request.user),
            lambda n: (
                ngettext("%(count)d opportunity closed.", "%(count)d opportunities closed.", n)
                % {"count": n}
            ),
        )


@admin.register(ExpressionOfInterest)
class ExpressionOfInterestAdmin(AdminChangesVersions, admin.ModelAdmin):
    version_domains = ("partnerships",)
    list_display = ["opportunity", "sender_stakeholder", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["opportunity", "sender_stakeholder"]
    search_fields = ["opportunity__title", "sender_stakeholder__name"]
    readonly_fields = [
        "opportunity",
        "sender",
        "sender_stakeholder",
        "message",
        "sender_shares_phone",
        "status",
        "decided_by",
        "owner_shares_phone",
        "decided_at",
        "created_at",
    ]

    def has_add_permission(self, request):
        return False


@admin.register(Matchmaking)
class MatchmakingAdmin(AdminChangesVersions, admin.ModelAdmin):
    """To read: the meetings of an AlpCafé are set up, scheduled and moved on the organisers'
    pages (the grid), where the rules hold."""

    version_domains = ("partnerships",)
    list_display = ["alpcafe", "is_open", "tables", "attendee_count", "scheduled", "scheduled_at"]
    list_select_related = ["alpcafe"]
    search_fields = ["alpcafe__title"]
    fields = ["alpcafe", "is_open", "tables", "scheduled_at", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                attendees_n=Count("attendees", distinct=True),
                scheduled_n=Count(
                    "requests", filter=Q(requests__slot__isnull=False), distinct=True
                ),
            )
        )

    @admin.display(description=_("meeting participants"), ordering="attendees_n")
    def attendee_count(self, matchmaking):
        return matchmaking.attendees_n

    @admin.display(description=_("meetings scheduled"), ordering="scheduled_n")
    def scheduled(self, matchmaking):
        return matchmaking.scheduled_n
