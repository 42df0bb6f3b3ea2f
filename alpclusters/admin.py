from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from stakeholders.models import Contact

from .models import DigestDelivery


@admin.register(DigestDelivery)
class DigestDeliveryAdmin(admin.ModelAdmin):
    list_display = ["contact", "frequency", "period_start", "period_end", "sent_at", "skipped"]
    list_filter = ["frequency", "skipped", "period_start"]
    search_fields = ["contact__email", "contact__last_name"]
    list_select_related = ["contact"]
    date_hierarchy = "period_start"
    readonly_fields = [f.name for f in DigestDelivery._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class DigestDeliveryInline(admin.TabularInline):
    model = DigestDelivery
    fields = ["frequency", "period_start", "period_end", "sent_at", "skipped"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("digest history")
    ordering = ["-period_start"]

    def has_add_permission(self, request, obj=None):
        return False


# The registry's contact admin shows each contact's digest history; stakeholders itself knows
# nothing of digests, so the site app adds the inline here.
_contact_admin = admin.site._registry.get(Contact)
if _contact_admin is not None and DigestDeliveryInline not in _contact_admin.inlines:
    _contact_admin.inlines = [*_contact_admin.inlines, DigestDeliveryInline]
