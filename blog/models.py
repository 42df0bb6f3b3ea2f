"""The community space: posts (news, ideas, AlpCafé reports), comments, supports of ideas, reports
to the moderators, and the policy proposals built from ideas and AlpCafé outcomes.

Markdown and comments are rendered and sanitised once, by the services, when they are saved: the
stored HTML is what every page and feed shows.
"""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from alpcafes.models import AlpCafe
from common.images import reencode, validate_image
from stakeholders.models import Sector, Stakeholder


def validate_cover(file) -> None:
    """A JPEG, PNG or WebP image of at most 2 MB and 4000×4000 pixels (common/images.py)."""
    validate_image(file)


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=50, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self):
        return self.name


class PostManager(models.Manager):
    def get_queryset(self):
        # The search index is read by PostgreSQL in WHERE clauses, never by Python: not fetched.
        return super().get_queryset().defer("search_document")


class PostQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=Post.State.PUBLISHED)

    def pending(self):
        return self.filter(state=Post.State.PENDING)

    def ideas(self):
        return self.filter(kind=Post.Kind.IDEA)


class Post(models.Model):
    """A post of the community blog. ``body_html`` and ``excerpt`` are renderings of
    ``body_markdown`` made once on save by the services, like a cache, never edited."""

    class Kind(models.TextChoices):
        NEWS = "news", _("News")
        IDEA = "idea", _("Idea")
        REPORT = "report", _("AlpCafé report")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PENDING = "pending", _("Waiting for moderation")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected")

    class IdeaStatus(models.TextChoices):
        OPEN = "open", _("Open")
        DISCUSSION = "discussion", _("Under discussion")
        PROPOSAL = "proposal", _("Taken into a proposal")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.NEWS)
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="blog_posts",
        verbose_name=_("author"),
    )
    alpcafe = models.ForeignKey(
        AlpCafe,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="blog_reports",
        limit_choices_to={"state": AlpCafe.State.HELD},
        verbose_name=_("AlpCafé"),
        help_text=_("The held AlpCafé this report is about."),
    )
    body_markdown = models.TextField(_("text"), max_length=50_000)
    body_html = models.TextField(editable=False, default="")
    excerpt = models.CharField(max_length=300, editable=False, default="")
    topics = models.ManyToManyField(
        Sector, related_name="blog_posts", blank=True, verbose_name=_("topics")
    )
    tags = models.ManyToManyField(Tag, related_name="posts", blank=True, verbose_name=_("tags"))
    cover = models.ImageField(
        _("cover image"),
        upload_to="blog/covers/",
        blank=True,
        validators=[validate_cover],
        help_text=_("Optional. JPEG, PNG or WebP, at most 2 MB and 4000×4000 pixels."),
    )
    cover_alt = models.CharField(
        _("cover description"),
        max_length=200,
        blank=True,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    idea_status = models.CharField(
        _("idea status"), max_length=10, choices=IdeaStatus.choices, default=IdeaStatus.OPEN
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # A search index kept in step by services.post_refresh_search (PostgreSQL only): like a
    # database index, not a fact. It holds the tags' and topics' names.
    search_document = SearchVectorField(null=True, editable=False)

    objects = PostManager.from_queryset(PostQuerySet)()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        indexes = [
            models.Index(fields=["state", "-published_at"], name="post_state_published"),
            models.Index(fields=["kind", "state", "-published_at"], name="post_kind_published"),
            models.Index(fields=["author", "state"], name="post_author_state"),
            GinIndex(fields=["search_document"], name="post_search"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="rejected") | ~models.Q(rejection_reason=""),
                name="post_rejection_has_reason",
                violation_error_message=_("A rejected post needs the reason for rejection."),
            ),
            models.CheckConstraint(
                condition=~models.Q(state="published") | models.Q(published_at__isnull=False),
                name="post_published_has_date",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="report", alpcafe__isnull=False)
                | (~models.Q(kind="report") & models.Q(alpcafe__isnull=True)),
                name="post_report_has_alpcafe",
                violation_error_message=_(
                    "An AlpCafé report names its AlpCafé; other posts name none."
                ),
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # A new cover is stored re-encoded, without its metadata and under a random name
        # (common/images.py), whichever way it came: the member's form, the admin or a script.
        if self.cover and not self.cover._committed:
            clean = reencode(self.cover)
            self.cover.save(clean.name, clean, save=False)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("blog:detail", kwargs={"slug": self.slug})

    @property
    def card_key(self) -> tuple:
        """Everything a card of this post shows (templates/blog/_card.html, rendered once per
        key by {% fragment %}): change what the card shows, change this too."""
        author = self.author
        return (
            "post",
            self.pk,
            self.slug,
            self.title,
            self.kind,
            self.state,
            self.idea_status,
            self.cover.name if self.cover else "",
            self.cover_alt,
            (author.first_name, author.last_name) if author else None,
            self.published_at,
            self.alpcafe.title if self.alpcafe_id else None,
            self.excerpt,
            tuple((t.slug, t.label) for t in self.topics.all()),
            tuple((t.slug, t.name) for t in self.tags.all()),
            getattr(self, "comment_count", None),
            getattr(self, "support_count", None),
        )

    def clean(self):
        if self.kind == self.Kind.REPORT and self.alpcafe_id is None:
            raise ValidationError({"alpcafe": _("Choose the AlpCafé this report is about.")})
        if self.alpcafe_id is not None and self.kind != self.Kind.REPORT:
            raise ValidationError({"alpcafe": _("Only an AlpCafé report names an AlpCafé.")})
        if self.alpcafe_id is not None and self.alpcafe.state != AlpCafe.State.HELD:
            raise ValidationError({"alpcafe": _("A report can only be about a held AlpCafé.")})

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED

    @property
    def is_draft(self) -> bool:
        return self.state == self.State.DRAFT

    @property
    def is_pending(self) -> bool:
        return self.state == self.State.PENDING

    @property
    def is_rejected(self) -> bool:
        return self.state == self.State.REJECTED

    @property
    def is_idea(self) -> bool:
        return self.kind == self.Kind.IDEA

    @property
    def is_report(self) -> bool:
        return self.kind == self.Kind.REPORT

    @property
    def is_open_idea(self) -> bool:
        return self.is_idea and self.idea_status == self.IdeaStatus.OPEN

    # State rules, shared by templates and services.
    @property
    def can_be_approved(self) -> bool:
        return self.state in (self.State.PENDING, self.State.REJECTED)

    @property
    def can_be_taken_down(self) -> bool:
        return self.state in (self.State.PENDING, self.State.PUBLISHED)


class Comment(models.Model):
    """A member's comment on a published post, or a reply to one (one level deep).
    ``body_html`` is the escaped text with its links made safe, rendered once on save."""

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="comments", verbose_name=_("post")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("in reply to"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="blog_comments",
        verbose_name=_("author"),
    )
    body = models.TextField(_("comment"), max_length=5000)
    body_html = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("hidden by a moderator"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [models.Index(fields=["post", "created_at"], name="comment_post_created")]

    def __str__(self):
        return f"{self.author} on {self.post}"

    def get_absolute_url(self):
        return f"{self.post.get_absolute_url()}#comment-{self.pk}"

    def clean(self):
        if self.parent_id is not None:
            if self.parent.parent_id is not None:
                raise ValidationError({"parent": _("Replies go one level deep.")})
            if self.parent.post_id != self.post_id:
                raise ValidationError({"parent": _("A reply belongs to the same post.")})

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class Support(models.Model):
    """A member supports an idea: once each (the constraint), and may take it back."""

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="supports", verbose_name=_("idea")
    )
    # A deleted account's support still counts (the row stays, without the person).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="blog_supports",
        verbose_name=_("member"),
    )
    created_at = models.DateTimeField(_("supported"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(fields=["post", "user"], name="support_once_per_member"),
        ]

    def __str__(self):
        return f"{self.user} supports {self.post}"


class Report(models.Model):
    """A member tells the moderators that a post or a comment breaks the rules. A moderator hides
    the content or dismisses the report; the reporter hears the outcome."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        HIDDEN = "hidden", _("Content hidden")
        DISMISSED = "dismissed", _("Dismissed")

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="blog_reports",
        verbose_name=_("reported by"),
    )
    post = models.ForeignKey(
        Post,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("post"),
    )
    comment = models.ForeignKey(
        Comment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("comment"),
    )
    reason = models.TextField(_("what is wrong"), max_length=2000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default="open")
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(post__isnull=True, comment__isnull=False)
                | models.Q(post__isnull=False, comment__isnull=True),
                name="report_has_one_target",
            ),
            models.UniqueConstraint(
                fields=["reporter", "post"],
                condition=models.Q(status="open", post__isnull=False),
                name="report_open_once_per_post",
            ),
            models.UniqueConstraint(
                fields=["reporter", "comment"],
                condition=models.Q(status="open", comment__isnull=False),
                name="report_open_once_per_comment",
            ),
        ]
        indexes = [
            models.Index(
                fields=["created_at"], name="report_open", condition=models.Q(status="open")
            )
        ]

    def __str__(self):
        return f"Report by {self.reporter} on {self.target}"

    @property
    def target(self):
        return self.post if self.post_id else self.comment


class ProposalQuerySet(models.QuerySet):
    def public(self):
        return self.exclude(status=PolicyProposal.Status.DRAFT)


class PolicyProposal(models.Model):
    """A concrete policy proposal that moderators build from ideas and AlpCafé outcomes; the
    stakeholders endorse it, one endorsement each. ``problem_html`` and ``action_html`` are
    renderings of the Markdown fields made once on save."""

    class Level(models.TextChoices):
        REGIONAL = "regional", _("Regional")
        NATIONAL = "national", _("National")
        TRANSNATIONAL = "transnational", _("Transnational")
        EU = "eu", _("European Union")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for endorsement")
        SUBMITTED = "submitted", _("Submitted")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    problem = models.TextField(_("the problem"), max_length=20_000)
    problem_html = models.TextField(editable=False, default="")
    joint_action = models.TextField(_("the proposed joint action"), max_length=20_000)
    action_html = models.TextField(editable=False, default="")
    level = models.CharField(_("level"), max_length=15, choices=Level.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    ideas = models.ManyToManyField(
        Post,
        related_name="proposals",
        blank=True,
        limit_choices_to={"kind": Post.Kind.IDEA},
        verbose_name=_("ideas it grew from"),
    )
    alpcafes = models.ManyToManyField(
        AlpCafe,
        related_name="proposals",
        blank=True,
        limit_choices_to={"state": AlpCafe.State.HELD},
        verbose_name=_("AlpCafés it grew from"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("built by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    opened_at = models.DateTimeField(_("opened for endorsement"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("policy proposal")
        verbose_name_plural = _("policy proposals")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="open") | models.Q(opened_at__isnull=False),
                name="proposal_open_has_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="submitted") | models.Q(submitted_at__isnull=False),
                name="proposal_submitted_has_date",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("blog:proposal_detail", kwargs={"slug": self.slug})

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class Endorsement(models.Model):
    """A stakeholder endorses a proposal, through one of its members: once per stakeholder."""

    proposal = models.ForeignKey(
        PolicyProposal,
        on_delete=models.CASCADE,
        related_name="endorsements",
        verbose_name=_("proposal"),
    )
    stakeholder = models.ForeignKey(
        Stakeholder,
        on_delete=models.CASCADE,
        related_name="endorsements",
        verbose_name=_("stakeholder"),
    )
    endorsed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="blog_endorsements",
        verbose_name=_("endorsed by"),
    )
    created_at = models.DateTimeField(_("endorsed"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "stakeholder"], name="endorsement_once_per_stakeholder"
            ),
        ]

    def __str__(self):
        return f"{self.stakeholder} endorses {self.proposal}"
