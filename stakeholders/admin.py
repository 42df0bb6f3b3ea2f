import csv

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.csvimport import recall_upload, remember_upload
from common.spreadsheet import safe_cell
from common.versions import AdminChangesVersions
from outbox.admin import MessageInline
from outbox.models import Message

from . import forms_admin, importing, selectors, services
from .mail import RelayMail
from .models import ConsentEvent, Contact, ContactMessage, Sector, Stakeholder, User

IMPORT_SESSION_KEY = "stakeholders_import"
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "rate_limit_exempt", "groups"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name"]}),
        (
            _("Permissions"),
            {
                "fields": [
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "rate_limit_exempt",
                    "groups",
                    "user_permissions",
                ]
            },
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]}),
    ]


class URLFieldsAssumeHttpsMixin:
    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            kwargs.setdefault("assume_scheme", "https")
        return super().formfield_for_dbfield(db_field, request, **kwargs)


# --- Sectors -------------------------------------------------------------------------------------


@admin.register(Sector)
class SectorAdmin(AdminChangesVersions, admin.ModelAdmin):
    version_domains = ("registry", "blog")

    list_display = ["name", "name_de", "name_fr", "name_it", "name_sl", "slug", "stakeholder_count"]
    search_fields = ["name", "name_de", "name_fr", "name_it", "name_sl", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "name_de", "name_fr", "name_it", "name_sl"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(stakeholder_count=Count("stakeholders"))

    @admin.display(description=_("stakeholders"), ordering="stakeholder_count")
    def stakeholder_count(self, obj):
        return obj.stakeholder_count

    # The search index holds the sectors' names: renaming or deleting one changes it.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        names = {"name", *(f"name_{language}" for language in Sector.TRANSLATED)}
        if change and names & set(form.changed_data):
            services.stakeholder_refresh_search(
                ids=list(obj.stakeholders.values_list("pk", flat=True))
            )

    def delete_model(self, request, obj):
        self.delete_queryset(request, Sector.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        ids = list(Stakeholder.objects.filter(sectors__in=queryset).values_list("pk", flat=True))
        with transaction.atomic():
            super().delete_queryset(request, queryset)
            services.stakeholder_refresh_search(ids=ids)


# --- Stakeholders --------------------------------------------------------------------------------


class ContactInline(admin.TabularInline):
    model = Contact
    fields = ["first_name", "last_name", "email", "role", "language", "listed", "accepts_mail"]
    readonly_fields = ["listed", "accepts_mail"]
    extra = 0
    show_change_link = True

    @admin.display(boolean=True, description=_("listed"))
    def listed(self, obj):
        return obj.is_listed

    @admin.display(boolean=True, description=_("accepts mail"))
    def accepts_mail(self, obj):
        return obj.accepts_mail


@admin.register(Stakeholder)
class StakeholderAdmin(AdminChangesVersions, URLFieldsAssumeHttpsMixin, admin.ModelAdmin):
    version_domains = ("registry",)

    form = forms_admin.StakeholderAdminForm
    list_display = [
        "name",
        "kind",
        "country",
        "city",
        "state",
        "is_partner",
        "origin",
        "contact_count",
    ]
    list_filter = ["state", "kind", "country", "is_partner", "origin", "sectors"]
    search_fields = ["name", "slug", "city", "region", "website", "contacts__email"]
    readonly_fields = ["created_at", "updated_at"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["sectors", "submitted_by"]
    inlines = [ContactInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "slug",
                    "kind",
                    "sectors",
                    "website",
                    "description",
                ]
            },
        ),
        (_("Place"), {"fields": ["country", "region", "city", "latitude", "longitude"]}),
        (
            _("Registry"),
            {
                "fields": [
                    "state",
                    "rejection_reason",
                    "is_partner",
                    "origin",
                    "submitted_by",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]
    actions = [
        "publish_selected",
        "reject_selected",
        "mark_partner",
        "unmark_partner",
        "export_csv",
        "merge_selected",
    ]

    def get_queryset(self, request):
        # A subquery rather than a join: the changelist's counts drop it, and a filter on sectors
        # or a search on contacts' addresses cannot multiply it.
        contacts = (
            Contact.objects.filter(stakeholder=OuterRef("pk"))
            .order_by()
            .values("stakeholder")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return super().get_queryset(request).annotate(contact_count=Coalesce(Subquery(contacts), 0))

    def get_changeform_initial_data(self, request):
        return {"origin": Stakeholder.Origin.MAPPED, **super().get_changeform_initial_data(request)}

    @admin.display(description=_("contacts"), ordering="contact_count")
    def contact_count(self, obj):
        return obj.contact_count

    def save_model(self, request, obj, form, change):
        if not obj.slug:
            obj.slug = services.unique_slug(obj.name, exclude_pk=obj.pk)
        super().save_model(request, obj, form, change)
        # The decision goes through the service so that the submitter hears of it, as they do
        # when the action or the moderation page decides.
        if "state" in form.changed_data:
            if obj.state == Stakeholder.State.PUBLISHED:
                services.stakeholder_publish(stakeholder=obj, moderator=request.user)
            elif obj.state == Stakeholder.State.REJECTED:
                services.stakeholder_reject(
                    stakeholder=obj, reason=obj.rejection_reason, moderator=request.user
                )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Refreshed here rather than in save_model: the index holds the sectors' names, and the
        # sectors are saved only now.
        services.stakeholder_refresh_search(ids=[form.instance.pk])

    # --- Actions

    def _change_each(self, request, stakeholders, change) -> bool:
        """Apply ``change`` to every stakeholder in one transaction (the services write the audit
        trail). On a validation error nothing is changed and the admin learns which failed."""
        current = None
        try:
            with transaction.atomic():
                for current in stakeholders:
                    change(current)
        except ValidationError as exc:
            self.message_user(
                request,
                _("Nothing was changed. %(name)s: %(errors)s")
                % {"name": current, "errors": " ".join(exc.messages)},
                messages.ERROR,
            )
            return False
        return True

    def _intermediate_page(self, request, template, *, queryset, form, action, title, **extra):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "queryset": queryset,
            "form": form,
            "action": action,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media + form.media,
            **extra,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, f"admin/stakeholders/stakeholder/{template}", context)

    @admin.action(description=_("Publish selected stakeholders"), permissions=["change"])
    def publish_selected(self, request, queryset):
        stakeholders = list(queryset.exclude(state=Stakeholder.State.PUBLISHED))
        if self._change_each(
            request,
            stakeholders,
            lambda stakeholder: services.stakeholder_publish(
                stakeholder=stakeholder, moderator=request.user
            ),
        ):
            self.message_user(
                request,
                ngettext(
                    "%(count)d stakeholder published.",
                    "%(count)d stakeholders published.",
                    len(stakeholders),
                )
                % {"count": len(stakeholders)},
                messages.SUCCESS,
            )

    @admin.action(description=_("Reject selected stakeholders…"), permissions=["change"])
    def reject_selected(self, request, queryset):
        form = forms_admin.RejectForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            stakeholders = list(queryset)
            if self._change_each(
                request,
                stakeholders,
                lambda stakeholder: services.stakeholder_reject(
                    stakeholder=stakeholder, reason=reason, moderator=request.user
                ),
            ):
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d stakeholder rejected.",
                        "%(count)d stakeholders rejected.",
                        len(stakeholders),
                    )
                    % {"count": len(stakeholders)},
                    messages.SUCCESS,
                )
            return None
        return self._intermediate_page(
            request,
            "reject_selected.html",
            queryset=queryset,
            form=form,
            action="reject_selected",
            title=_("Reject stakeholders"),
        )

    def _set_partner(self, request, queryset, is_partner: bool):
        stakeholders = list(queryset.exclude(is_partner=is_partner))
        if self._change_each(
            request,
            stakeholders,
            lambda stakeholder: services.stakeholder_update(
                stakeholder=stakeholder, is_partner=is_partner, by=request.user
            ),
        ):
            self.message_user(
                request,
                ngettext(
                    "%(count)d stakeholder changed.",
                    "%(count)d stakeholders changed.",
                    len(stakeholders),
                )
                % {"count": len(stakeholders)},
                messages.SUCCESS,
            )

    @admin.action(description=_("Mark selected as project partners"), permissions=["change"])
    def mark_partner(self, request, queryset):
        self._set_partner(request, queryset, True)

    @admin.action(description=_("Unmark selected as project partners"), permissions=["change"])
    def unmark_partner(self, request, queryset):
        self._set_partner(request, queryset, False)

    @admin.action(description=_("Export selected as CSV (public fields)"), permissions=["view"])
    def export_csv(self, request, queryset):
        """The public fields only, as the open-data export: never a contact or an address."""
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="stakeholders.csv"'
        # The byte-order mark makes spreadsheets read the file as UTF-8; the import accepts it.
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow([*selectors.PUBLIC_FIELDS, "sectors"])
        for stakeholder in queryset.prefetch_related("sectors"):
            writer.writerow(
                [safe_cell(getattr(stakeholder, name)) for name in selectors.PUBLIC_FIELDS]
                + [safe_cell("; ".join(sector.name for sector in stakeholder.sectors.all()))]
            )
        return response

    @admin.action(description=_("Merge selected duplicates…"), permissions=["change", "delete"])
    def merge_selected(self, request, queryset):
        stakeholders = list(queryset)
        if len(stakeholders) < 2:
            self.message_user(
                request, _("Select at least two stakeholders to merge."), messages.WARNING
            )
            return None
        form = forms_admin.MergeForm(
            request.POST if "apply" in request.POST else None,
            queryset=queryset,
            initial={
                "survivor": max(stakeholders, key=lambda s: (s.contact_count, -s.pk)).pk,
            },
        )
        if form.is_valid():
            survivor = form.cleaned_data["survivor"]
            duplicates = [s for s in stakeholders if s.pk != survivor.pk]
            names = ", ".join(str(d) for d in duplicates)
            with transaction.atomic():
                self.log_deletions(request, duplicates)
                services.stakeholders_merge(
                    survivor=survivor, duplicates=duplicates, by=request.user
                )
                self.log_change(
                    request, survivor, str(_("Merged %(names)s into it.") % {"names": names})
                )
            self.message_user(
                request,
                _("%(names)s merged into %(survivor)s.") % {"names": names, "survivor": survivor},
                messages.SUCCESS,
            )
            return None
        return self._intermediate_page(
            request,
            "merge_selected.html",
            queryset=stakeholders,
            form=form,
            action="merge_selected",
            title=_("Merge duplicate stakeholders"),
            selected_survivor=str(form["survivor"].value()),
        )

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
        if not self.has_add_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import stakeholders from a CSV file"),
            "columns": importing.COLUMNS,
            "required_columns": importing.REQUIRED_COLUMNS,
        }
        form = forms_admin.ImportUploadForm()
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
                    created = importing.import_stakeholders(result)
                except ValidationError as exc:
                    result.errors.append(" ".join(exc.messages))
                else:
                    request.session.pop(IMPORT_SESSION_KEY, None)
                    LogEntry.objects.log_actions(
                        user_id=request.user.pk,
                        queryset=created,
                        action_flag=ADDITION,
                        change_message=str(_("Imported from a CSV file.")),
                    )
                    self.message_user(
                        request,
                        ngettext(
                            "%(count)d stakeholder imported.",
                            "%(count)d stakeholders imported.",
                            len(created),
                        )
                        % {"count": len(created)},
                        messages.SUCCESS,
                    )
                    return redirect(reverse("admin:stakeholders_stakeholder_changelist"))
            self.message_user(
                request, _("Nothing was imported: the file has errors."), messages.ERROR
            )
            context.update(result=result, token=token)
        elif request.method == "POST":
            form = forms_admin.ImportUploadForm(request.POST, request.FILES)
            if form.is_valid():
                data = form.cleaned_data["file"]
                context.update(
                    result=importing.parse(data),
                    token=remember_upload(request, IMPORT_SESSION_KEY, data),
                )
        context["form"] = form
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/stakeholders/stakeholder/import.html", context)


# --- Contacts ------------------------------------------------------------------------------------


class ConsentFilter(admin.SimpleListFilter):
    field_name = ""

    def lookups(self, request, model_admin):
        return [("yes", _("Given")), ("no", _("Not given"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(**{f"{self.field_name}__isnull": self.value() == "no"})
        return queryset


class MailConsentFilter(ConsentFilter):
    title = _("mail consent")
    parameter_name = "mail_consent"
    field_name = "mail_consent_at"


class ListingConsentFilter(ConsentFilter):
    title = _("listing consent")
    parameter_name = "listing_consent"
    field_name = "listing_consent_at"


class ConsentEventInline(admin.TabularInline):
    model = ConsentEvent
    fields = ["kind", "granted", "source", "at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Contact)
class ContactAdmin(AdminChangesVersions, admin.ModelAdmin):
    version_domains = ("registry",)

    list_display = [
        "__str__",
        "email",
        "stakeholder",
        "role",
        "language",
        "listed",
        "accepts_mail",
        "user",
    ]
    list_select_related = ["stakeholder", "user"]
    list_filter = [MailConsentFilter, ListingConsentFilter, "language"]
    search_fields = ["first_name", "last_name", "email", "role", "stakeholder__name"]
    autocomplete_fields = ["stakeholder", "user"]
    # Only the person can give a consent, so the admin shows consents and can withdraw them
    # (through the actions, which record the event) but never sets them.
    readonly_fields = [
        "listing_consent_at",
        "listing_consent_source",
        "mail_consent_at",
        "mail_consent_source",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "first_name",
                    "last_name",
                    "email",
                    "phone",
                    "role",
                    "language",
                    "stakeholder",
                    "user",
                ]
            },
        ),
        (
            _("Consent"),
            {
                "fields": [
                    "listing_consent_at",
                    "listing_consent_source",
                    "mail_consent_at",
                    "mail_consent_source",
                ]
            },
        ),
        (_("History"), {"fields": ["created_at", "updated_at"]}),
    ]
    inlines = [ConsentEventInline, MessageInline]
    actions = ["withdraw_mail_consent", "withdraw_listing_consent"]

    @admin.display(boolean=True, description=_("listed"), ordering="listing_consent_at")
    def listed(self, obj):
        return obj.is_listed

    @admin.display(boolean=True, description=_("accepts mail"), ordering="mail_consent_at")
    def accepts_mail(self, obj):
        return obj.accepts_mail

    def _withdraw(self, request, queryset, kind):
        with transaction.atomic():
            changed = sum(
                services.contact_set_consent(
                    contact=contact, kind=kind, granted=False, source="admin"
                )
                for contact in queryset
            )
        self.message_user(
            request,
            ngettext(
                "Consent withdrawn for %(count)d contact.",
                "Consent withdrawn for %(count)d contacts.",
                changed,
            )
            % {"count": changed},
            messages.SUCCESS,
        )

    @admin.action(description=_("Withdraw mail consent"), permissions=["change"])
    def withdraw_mail_consent(self, request, queryset):
        self._withdraw(request, queryset, ConsentEvent.Kind.MAIL)

    @admin.action(description=_("Withdraw listing consent"), permissions=["change"])
    def withdraw_listing_consent(self, request, queryset):
        self._withdraw(request, queryset, ConsentEvent.Kind.LISTING)


@admin.register(ContactMessage)
class ContactMessageAdmin(admin.ModelAdmin):
    """Read-only: the sender's record; the outbox's rows say whom it went to and when. Deleting
    stays allowed, or no stakeholder or member who has messages could be deleted in the admin."""

    list_display = ["subject", "stakeholder", "sender", "created_at", "recipients_sent"]
    list_select_related = ["stakeholder", "sender"]
    search_fields = ["subject", "stakeholder__name", "sender__email"]

    def get_queryset(self, request):
        sent = Message.objects.filter(
            kind=RelayMail.name,
            about_type=ContentType.objects.get_for_model(ContactMessage),
            about_id=OuterRef("pk"),
            state=Message.State.SENT,
        )
        return (
            super()
            .get_queryset(request)
            .annotate(
                sent_count=Coalesce(
                    Subquery(sent.values("about_id").annotate(n=Count("pk")).values("n")), 0
                )
            )
        )

    @admin.display(description=_("sent to"), ordering="sent_count")
    def recipients_sent(self, obj):
        return obj.sent_count

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
