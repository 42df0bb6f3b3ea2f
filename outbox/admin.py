from django.contrib import admin, messages
from django.utils.html import escape, format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .kinds import all_kinds
from .models import Message


class KindFilter(admin.SimpleListFilter):
    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [(kind.name, kind.label) for kind in all_kinds()]

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """Every message the portal sent or will send: read-only, with the message as it is written
    now, the failure's reason, and "send again" for failed or unsent ones."""

    list_display = [
        "queued_at",
        "kind_label",
        "recipient",
        "about_link",
        "state",
        "attempts",
        "sent_at",
    ]
    list_filter = [KindFilter, "state", "queued_at", "sent_at"]
    date_hierarchy = "queued_at"
    search_fields = ["contact__email", "contact__last_name", "address", "subject"]
    list_select_related = ["contact", "about_type"]
    actions = ["retry"]
    fields = [
        "kind_label",
        "recipient",
        "about_link",
        "state",
        "reason",
        "attempts",
        "queued_at",
        "claimed_at",
        "next_attempt_at",
        "sent_at",
        "subject",
        "data",
        "rendered",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("kind"), ordering="kind")
    def kind_label(self, obj):
        return obj.kind_label

    @admin.display(description=_("recipient"))
    def recipient(self, obj):
        if obj.contact_id:
            return f"{obj.contact} <{obj.contact.email}>"
        return obj.address

    @admin.display(description=_("about"))
    def about_link(self, obj):
        about = obj.about
        if about is None:
            return "–"
        url = getattr(about, "get_absolute_url", None)
        return format_html('<a href="{}">{}</a>', url(), about) if url else str(about)

    @admin.display(description=_("the message, as it is written now"))
    def rendered(self, obj):
        email = services.message_preview(obj)
        if email is None:
            return "–"
        html = email.alternatives[0][0] if email.alternatives else ""
        return format_html(
            "<p><strong>{}</strong></p><pre style='white-space:pre-wrap'>{}</pre>{}",
            # escape(), not format_html's own conditional escaping: a rendered body is marked safe
            # (it came from a template) yet holds what organisers and members typed.
            escape(email.subject),
            escape(email.body),
            format_html(
                '<iframe sandbox="" srcdoc="{}" title="{}"'
                ' style="width:100%;height:30em;border:1px solid #ccc"></iframe>',
                escape(html),
                _("HTML part"),
            )
            if html
            else "",
        )

    @admin.action(description=_("Send again (failed or not sent)"))
    def retry(self, request, queryset):
        count = services.messages_retry(messages=queryset)
        self.message_user(
            request,
            ngettext("%(count)d message queued again.", "%(count)d messages queued again.", count)
            % {"count": count},
            messages.SUCCESS,
        )


class MessageInline(admin.TabularInline):
    """The mail a contact was sent, for the contact's admin page."""

    model = Message
    fk_name = "contact"
    fields = ["queued_at", "kind_label", "subject", "state", "sent_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = _("mail sent to this contact")
    ordering = ["-queued_at"]
    max_num = 0

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("kind"))
    def kind_label(self, obj):
        return obj.kind_label
