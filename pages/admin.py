"""The audit trail in the admin: who published, rejected, merged, hid or edited whose data, when.

Django's own admin log is the store (common/audit.py writes to it from the services); here staff
read all of it, not only one object's history.
"""

from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.utils.translation import gettext_lazy as _


@admin.register(LogEntry)
class AuditTrailAdmin(admin.ModelAdmin):
    list_display = ["action_time", "user", "content_type", "object_repr", "action_flag", "message"]
    list_filter = ["action_flag", "content_type", "action_time"]
    search_fields = ["object_repr", "change_message", "user__email", "user__last_name"]
    date_hierarchy = "action_time"
    list_select_related = ["user", "content_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("what was done"))
    def message(self, obj):
        return obj.get_change_message()
