"""The community space in the admin: rich to read, and every change of state through the services
(so that authors and reporters hear of decisions, and HTML and search index stay in step)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.versions import AdminChangesVersions

from . import services
from .models import Comment, Endorsement, PolicyProposal, Post, Report, Tag


@admin.register(Tag)
class TagAdmin(AdminChangesVersions, admin.ModelAdmin):
    version_domains = ("blog",)

    list_display = ["name", "slug", "post_count"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(post_count=Count("posts"))

    @admin.display(description=_("posts"), ordering="post_count")
    def post_count(self, obj):
        return obj.post_count

    # The search index holds the tags' names.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "name" in form.changed_data:
            services.post_refresh_search(ids=list(obj.posts.values_list("pk", flat=True)))


class PostAdminForm(forms.ModelForm):
    class Meta:
        model = Post
        fields = [
            "kind",
            "title",
            "slug",
            "author",
            "alpcafe",
            "body_markdown",
            "cover",
            "cover_alt",
            "topics",
            "tags",
            "state",
            "rejection_reason",
            "idea_status",
        ]

    def clean(self):
        data = super().clean()
        reason = data.get("rejection_reason", "").strip()
        if data.get("state") == Post.State.REJECTED and not reason:
            self.add_error("rejection_reason", _("Please give the reason for the rejection."))
        return data


@admin.register(Post)
class PostAdmin(AdminChangesVersions, admin.ModelAdmin):
    version_domains = ("blog",)
    form = PostAdminForm
    list_display = [
        "title",
        "kind",
        "state",
        "author",
        "published_at",
        "idea_status",
        "comment_count",
        "support_count",
    ]
    list_filter = ["state", "kind", "idea_status", "topics"]
    search_fields = ["title", "slug", "body_markdown", "author__email"]
    date_hierarchy = "published_at"
    readonly_fields = ["published_at", "created_at", "updated_at", "rendered"]
    autocomplete_fields = ["author", "tags", "topics"]
    raw_id_fields = ["alpcafe"]
    prepopulated_fields = {"slug": ["title"]}
    actions = ["approve_selected"]
    fieldsets = [
        (None, {"fields": ["kind", "title", "slug", "author", "alpcafe"]}),
        (_("Text"), {"fields": ["body_markdown", "rendered", "cover", "cover_alt"]}),
        (_("Topics"), {"fields": ["topics", "tags"]}),
        (
            _("Moderation"),
            {
                "fields": [
                    "state",
                    "rejection_reason",
                    "idea_status",
                    "published_at",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("author")
            .annotate(comment_count=Count("comments", distinct=True))
            .annotate(support_count=Count("supports", distinct=True))
        )

    @admin.display(description=_("comments"), ordering="comment_count")
    def comment_count(self, obj):
        return obj.comment_count

    @admin.display(description=_("supports"), ordering="support_count")
    def support_count(self, obj):
        return obj.support_count

    @admin.display(description=_("as shown"))
    def rendered(self, obj):
        from django.utils.safestring import mark_safe

        # Stored sanitised by the service: safe to show as it is shown on the site.
        return mark_safe(obj.body_html)  # noqa: S308 — sanitised by nh3 when saved

    def save_model(self, request, obj, form, change):
        decided = change and "state" in form.changed_data
        target = obj.state
        if decided:
            obj.state = form.initial["state"]
        if not change and obj.author_id is None:
            obj.author = request.user
        services.post_save_content(post=obj)
        if not decided:
            return
        if target == Post.State.PUBLISHED:
            services.post_approve(post=obj, moderator=request.user)
        elif target == Post.State.REJECTED:
            services.post_reject(post=obj, reason=obj.rejection_reason, moderator=request.user)
        else:
            obj.state = target
            services.post_save_content(post=obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The index holds the topics' and tags' names, saved after the post itself.
        services.post_refresh_search(ids=[form.instance.pk])

    @admin.action(description=_("Approve and publish the selected posts"))
    def approve_selected(self, request, queryset):
        posts = list(queryset.exclude(state=Post.State.PUBLISHED))
        for post in posts:
            services.post_approve(post=post, moderator=request.user)
        self.message_user(
            request,
            ngettext("%d post published.", "%d posts published.", len(posts)) % len(posts),
        )


@admin.register(Comment)
class CommentAdmin(AdminChangesVersions, admin.ModelAdmin):
    version_domains = ("blog",)

    """Comments are their authors' words: moderators hide them, never rewrite them."""

    list_display = ["__str__", "author", "created_at", "edited_at", "is_hidden"]
    list_filter = [("hidden_at", admin.EmptyFieldListFilter), "created_at"]
    search_fields = ["body", "author__email", "post__title"]
    list_select_related = ["author", "post"]
    readonly_fields = ["post", "parent", "author", "body", "created_at", "edited_at", "hidden_at"]
    actions = ["hide_selected", "show_selected"]

    def has_add_permission(self, request):
        return False

    @admin.display(boolean=True, description=_("hidden"), ordering="hidden_at")
    def is_hidden(self, obj):
        return obj.is_hidden

    @admin.action(description=_("Hide the selected comments"))
    def hide_selected(self, request, queryset):
        for comment in queryset:
            services.comment_hide(comment=comment, hidden=True, moderator=request.user)

    @admin.action(description=_("Show the selected comments again"))
    def show_selected(self, request, queryset):
        for comment in queryset:
            services.comment_hide(comment=comment, hidden=False, moderator=request.user)


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["__str__", "reporter", "status", "created_at", "resolved_by", "resolved_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["reason", "reporter__email", "post__title", "comment__body"]
    list_select_related = ["reporter", "post", "comment__author", "comment__post", "resolved_by"]
    readonly_fields = [
        "reporter",
        "post",
        "comment",
        "reason",
        "status",
        "created_at",
        "resolved_by",
        "resolved_at",
    ]
    actions = ["hide_content", "dismiss"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Hide the reported content (reporters are told)"))
    def hide_content(self, request, queryset):
        for report in queryset.filter(status=Report.Status.OPEN):
            services.report_hide_content(report=report, moderator=request.user)

    @admin.action(description=_("Dismiss the selected reports (reporters are told)"))
    def dismiss(self, request, queryset):
        for report in queryset.filter(status=Report.Status.OPEN):
            services.report_dismiss(report=report, moderator=request.user)


class EndorsementInline(admin.TabularInline):
    model = Endorsement
    extra = 0
    autocomplete_fields = ["stakeholder", "endorsed_by"]
    readonly_fields = ["created_at"]


@admin.register(PolicyProposal)
class PolicyProposalAdmin(AdminChangesVersions, admin.ModelAdmin):
    version_domains = ("blog",)
    list_display = ["title", "level", "status", "endorsement_count", "opened_at", "submitted_at"]
    list_filter = ["status", "level"]
    search_fields = ["title", "problem", "joint_action"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["status", "opened_at", "submitted_at", "created_by", "created_at"]
    filter_horizontal = ["ideas", "alpcafes"]
    inlines = [EndorsementInline]
    actions = ["open_selected", "submit_selected"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(endorsement_count=Count("endorsements"))

    @admin.display(description=_("endorsements"), ordering="endorsement_count")
    def endorsement_count(self, obj):
        return obj.endorsement_count

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        services.proposal_save_content(proposal=obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.proposal_mark_ideas(proposal=form.instance)

    def _advance(self, request, queryset, status):
        for proposal in queryset:
            try:
                services.proposal_advance(proposal=proposal, status=status)
            except ValidationError as error:
                text = f"{proposal}: {' '.join(error.messages)}"
                self.message_user(request, text, messages.ERROR)

    @admin.action(description=_("Open the selected proposals for endorsement"))
    def open_selected(self, request, queryset):
        self._advance(request, queryset, PolicyProposal.Status.OPEN)

    @admin.action(description=_("Mark the selected proposals as submitted"))
    def submit_selected(self, request, queryset):
        self._advance(request, queryset, PolicyProposal.Status.SUBMITTED)
