"""AlpCafés and participations in the Django admin: rich to read; every write goes through the
services (saving, cancelling, marking held, check-in, cancelling a registration)."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.versions import AdminChangesVersions

from . import services
from .models import AlpCafe, Participation

Status = Participation.Status


class ParticipationInline(admin.TabularInline):
    """The guest list, read-only: answers and check-ins change through the services (the
    participations' own actions, the RSVP link, the check-in page)."""

    model = Participation
    fields = ["contact", "status", "waitlist_position", "responded_at", "attended_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ["status", "waitlist_position", "contact__last_name"]

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("contact")


def _each(modeladmin, request, queryset, service, done_message):
    done = 0
    for obj in queryset:
        try:
            service(obj)
        except ValidationError as error:
            modeladmin.message_user(request, f"{obj}: {' '.join(error.messages)}", messages.ERROR)
        else:
            done += 1
    if done:
        modeladmin.message_user(request, done_message(done), messages.SUCCESS)


@admin.register(AlpCafe)
class AlpCafeAdmin(AdminChangesVersions, admin.ModelAdmin):
    # Deleting an AlpCafé deletes its attendances too ("involved" is read from them).
    version_domains = ("alpcafes", "registry")
    list_display = [
        "title",
        "starts_at",
        "state",
        "country",
        "city",
        "capacity",
        "registered",
        "waitlisted",
    ]
    list_filter = ["state", "format", "country", "language", "starts_at"]
    search_fields = ["title", "theme", "city", "venue"]
    date_hierarchy = "starts_at"
    list_select_related = ["host"]
    filter_horizontal = ["organisers"]
    autocomplete_fields = ["host"]
    readonly_fields = ["slug", "sequence", "created_at", "updated_at"]
    inlines = [ParticipationInline]
    actions = ["cancel", "mark_held"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "theme", "description", "agenda", "language"]}),
        (
            _("When and where"),
            {
                "fields": [
                    "starts_at",
                    "ends_at",
                    "registration_deadline",
                    "format",
                    "venue",
                    "address",
                    "city",
                    "country",
                    "latitude",
                    "longitude",
                    "online_url",
                ]
            },
        ),
        (
            _("Organisation"),
            {"fields": ["state", "capacity", "reminder_hours", "host", "organisers"]},
        ),
        (_("Outcomes"), {"fields": ["outcomes_summary", "needs_heard", "expectations_heard"]}),
        (_("Record"), {"fields": ["sequence", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                registered_count=Count(
                    "participations", filter=Q(participations__status=Status.REGISTERED)
                ),
                waitlist_count=Count(
                    "participations", filter=Q(participations__status=Status.WAITLISTED)
                ),
            )
        )

    @admin.display(description=_("registered"), ordering="registered_count")
    def registered(self, obj):
        return obj.registered_count

    @admin.display(description=_("waitlisted"), ordering="waitlist_count")
    def waitlisted(self, obj):
        return obj.waitlist_count

    def save_model(self, request, obj, form, change):
        # The service tells people about a change of time or place and fills new seats from
        # the waitlist; the organisers are saved with the form's relations afterwards.
        services.alpcafe_save(alpcafe=obj)

    @admin.action(description=_("Cancel (everyone registered is told)"), permissions=["change"])
    def cancel(self, request, queryset):
        _each(
            self,
            request,
            queryset,
            lambda alpcafe: services.alpcafe_cancel(alpcafe=alpcafe),
            lambda n: (
                ngettext("%(n)d AlpCafé cancelled.", "%(n)d AlpCafés cancelled.", n) % {"n": n}
            ),
        )

    @admin.action(description=_("Mark as held"), permissions=["change"])
    def mark_held(self, request, queryset):
        _each(
            self,
            request,
            queryset,
            lambda alpcafe: services.alpcafe_mark_held(alpcafe=alpcafe),
            lambda n: (
                ngettext("%(n)d AlpCafé marked as held.", "%(n)d AlpCafés marked as held.", n)
                % {"n": n}
            ),
        )


@admin.register(Participation)
class ParticipationAdmin(AdminChangesVersions, admin.ModelAdmin):
    version_domains = ("registry",)
    list_display = [
        "contact",
        "alpcafe",
        "status",
        "waitlist_position",
        "responded_at",
        "attended_at",
    ]
    list_filter = ["status", ("attended_at", admin.EmptyFieldListFilter), "alpcafe"]
    search_fields = [
        "contact__first_name",
        "contact__last_name",
        "contact__email",
        "alpcafe__title",
    ]
    list_select_related = ["contact", "alpcafe"]
    readonly_fields = [
        "alpcafe",
        "contact",
        "status",
        "waitlist_position",
        "responded_at",
        "attended_at",
        "created_at",
    ]
    fields = readonly_fields
    actions = ["check_in", "undo_check_in", "cancel_place"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Check in (attended)"), permissions=["change"])
    def check_in(self, request, queryset):
        _each(
            self,
            request,
            queryset,
            lambda p: services.participation_check_in(participation=p),
            lambda n: (
                ngettext("%(n)d person checked in.", "%(n)d people checked in.", n) % {"n": n}
            ),
        )

    @admin.action(description=_("Undo the check-in"), permissions=["change"])
    def undo_check_in(self, request, queryset):
        _each(
            self,
            request,
            queryset,
            lambda p: services.participation_check_in(participation=p, attended=False),
            lambda n: ngettext("%(n)d check-in undone.", "%(n)d check-ins undone.", n) % {"n": n},
        )

    @admin.action(
        description=_("Decline or cancel (the waitlist moves up)"), permissions=["change"]
    )
    def cancel_place(self, request, queryset):
        _each(
            self,
            request,
            queryset.exclude(status__in=[Status.DECLINED, Status.CANCELLED]),
            lambda p: services.participation_decline(participation=p),
            lambda n: ngettext("%(n)d place given up.", "%(n)d places given up.", n) % {"n": n},
        )
