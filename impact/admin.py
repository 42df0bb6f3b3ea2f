"""The catalogue of initiatives in the admin: facts and partners through the services, and the
CSV import (dry run with per-row errors, then all or nothing) as the registry's import does it."""

from django.contrib import admin, messages
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.csvimport import UploadForm, recall_upload, remember_upload
from common.versions import AdminChangesVersions

from . import importing, services
from .models import Initiative, InitiativePartner

IMPORT_SESSION_KEY = "impact_initiatives_import"


class InitiativeUploadForm(UploadForm):
    @property
    def max_bytes(self) -> int:
        return importing.MAX_BYTES


class InitiativePartnerInline(admin.TabularInline):
    model = InitiativePartner
    fields = ["position", "name", "country", "is_lead", "stakeholder"]
    raw_id_fields = ["stakeholder"]
    extra = 0


@admin.register(Initiative)
class InitiativeAdmin(AdminChangesVersions, admin.ModelAdmin):
    version_domains = ("initiatives", "registry")
    list_display = [
        "name",
        "programme_label",
        "start_date",
        "end_date",
        "budget_eur",
        "eu_cofunding_percent",
        "partner_count",
    ]
    list_filter = ["programme", "programme_period"]
    search_fields = ["name", "programme", "partners__name", "achievements"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at", "updated_at"]
    inlines = [InitiativePartnerInline]
    date_hierarchy = "start_date"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(partner_count=Count("partners"))

    @admin.display(description=_("programme"), ordering="programme")
    def programme_label(self, obj):
        return obj.programme_label

    @admin.display(description=_("partners"), ordering="partner_count")
    def partner_count(self, obj):
        return obj.partner_count

    def save_model(self, request, obj, form, change):
        services.initiative_save(initiative=obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The partners were saved by their inline: the figures and stakeholder pages follow.
        services.initiative_partners_saved(initiative=form.instance)

    # --- CSV import

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name=f"{self.opts.app_label}_{self.opts.model_name}_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        """Upload shows a dry run; confirm parses the stored upload again and imports it all."""
        if not self.has_add_permission(request) or not self.has_change_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import initiatives from a CSV file"),
            "columns": importing.COLUMNS,
            "required_columns": importing.REQUIRED_COLUMNS,
        }
        form = InitiativeUploadForm()
        if request.method == "POST" and "confirm" in request.POST:
            token = request.POST.get("token", "")
            data = recall_upload(request, IMPORT_SESSION_KEY, token)
            if data is None:
                self.message_user(
                    request,
                    _(
                        "This preview is no longer available (another file was uploaded since, "
                        "or the session ended). Please upload the file again."
                    ),
                    messages.ERROR,
                )
                return redirect(request.path)
            result = importing.parse(data)
            if result.is_valid:
                try:
                    imported = importing.import_initiatives(result)
                except ValidationError as exc:
                    result.errors.append(" ".join(exc.messages))
                else:
                    request.session.pop(IMPORT_SESSION_KEY, None)
                    self._log(request, result, imported)
                    self.message_user(
                        request,
                        ngettext(
                            "%(count)d initiative imported.",
                            "%(count)d initiatives imported.",
                            len(imported),
                        )
                        % {"count": len(imported)},
                        messages.SUCCESS,
                    )
                    return redirect(reverse("admin:impact_initiative_changelist"))
            self.message_user(
                request, _("Nothing was imported: the file has errors."), messages.ERROR
            )
            context.update(result=result, token=token)
        elif request.method == "POST":
            form = InitiativeUploadForm(request.POST, request.FILES)
            if form.is_valid():
                data = form.cleaned_data["file"]
                context.update(
                    result=importing.parse(data),
                    token=remember_upload(request, IMPORT_SESSION_KEY, data),
                )
        context["form"] = form
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/impact/initiative/import.html", context)

    def _log(self, request, result, imported) -> None:
        rows = list(zip(result.rows, imported, strict=True))
        for flag, chosen in (
            (ADDITION, [i for row, i in rows if row.existing is None]),
            (CHANGE, [i for row, i in rows if row.existing is not None]),
        ):
            if chosen:
                LogEntry.objects.log_actions(
                    user_id=request.user.pk,
                    queryset=chosen,
                    action_flag=flag,
                    change_message=str(_("Imported from a CSV file.")),
                )
