from django import forms
from django.utils.translation import gettext_lazy as _

from alpcafes.models import AlpCafe
from stakeholders.models import Sector

from .models import Comment, PolicyProposal, Post, Report
from .selectors import idea_candidates


class TagsField(forms.CharField):
    """Tags typed as a comma-separated list."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 300)
        kwargs.setdefault("help_text", _("Separated by commas, e.g. hydrogen, skills, export."))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(str(tag) for tag in value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        names = [" ".join(part.split()) for part in text.split(",")]
        names = [name for name in names if name]
        if len(names) > 10:
            raise forms.ValidationError(_("At most ten tags, please."))
        if any(len(name) > 50 for name in names):
            raise forms.ValidationError(_("A tag has at most 50 characters."))
        return names


class PostForm(forms.ModelForm):
    """A post as its author writes it. The state is not a field: the buttons decide."""

    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        queryset=Sector.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("The sectors the post is about."),
    )
    tags = TagsField(label=_("Tags"))

    class Meta:
        model = Post
        fields = [
            "kind",
            "alpcafe",
            "title",
            "body_markdown",
            "topics",
            "tags",
            "cover",
            "cover_alt",
        ]
        widgets = {
            "body_markdown": forms.Textarea(attrs={"rows": 14}),
            "cover": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        }
        help_texts = {
            "body_markdown": _(
                "Markdown: **bold**, *italic*, [a link](https://example.org), lists with - or 1., "
                "## headings. HTML is cleaned."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        held = AlpCafe.objects.filter(state=AlpCafe.State.HELD).order_by("-starts_at")
        self.fields["alpcafe"].queryset = held
        self.fields["alpcafe"].required = False
        self.fields["alpcafe"].help_text = _("For an AlpCafé report only: the AlpCafé it is about.")
        if self.instance.pk:
            self.initial["tags"] = [tag.name for tag in self.instance.tags.all()]

    def clean(self):
        data = super().clean()
        kind, alpcafe = data.get("kind"), data.get("alpcafe")
        if kind == Post.Kind.REPORT and alpcafe is None:
            self.add_error("alpcafe", _("Choose the AlpCafé this report is about."))
        elif kind and kind != Post.Kind.REPORT and alpcafe is not None:
            self.add_error("alpcafe", _("Only an AlpCafé report names an AlpCafé."))
        return data

    def _post_clean(self):
        # The service validates the whole post once its HTML and slug exist; here only the
        # fields themselves (the cover's type and size among them) are checked.
        pass

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        fields = {name: data[name] for name in ("kind", "alpcafe", "title", "body_markdown")}
        fields["cover_alt"] = data.get("cover_alt", "")
        cover = data.get("cover")
        if cover is False:  # "clear" ticked
            fields["cover"] = ""
        elif cover is not None and cover != self.instance.cover:
            fields["cover"] = cover
        return {"fields": fields, "topics": data["topics"], "tag_names": data["tags"]}

    def clean_cover(self):
        cover = self.cleaned_data.get("cover")
        if cover and hasattr(cover, "content_type"):  # a new upload, not the stored file
            from .models import validate_cover

            validate_cover(cover)
        return cover


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the rejection"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The author receives this text."),
    )


class CommentForm(forms.ModelForm):
    parent = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Comment
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"body": _("Plain text; web addresses become links.")}


class CommentEditForm(forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 4})}


class ReportForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = ["reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "reason": _("Tell the moderators what breaks the community's rules. They decide.")
        }


class ProposalForm(forms.ModelForm):
    ideas = forms.ModelMultipleChoiceField(
        label=_("Ideas it grows from"),
        queryset=Post.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    alpcafes = forms.ModelMultipleChoiceField(
        label=_("AlpCafés whose outcomes it builds on"),
        queryset=AlpCafe.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = PolicyProposal
        fields = ["title", "problem", "joint_action", "level", "ideas", "alpcafes"]
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 6}),
            "joint_action": forms.Textarea(attrs={"rows": 8}),
        }
        help_texts = {
            "problem": _("Markdown. What needs to change, and for whom."),
            "joint_action": _("Markdown. What the stakeholders propose to do together."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        ideas = self.fields["ideas"]
        ideas.queryset = idea_candidates().select_related("author")
        ideas.label_from_instance = lambda post: (
            _("%(title)s (%(n)d supports)")
            % {
                "title": post.title,
                "n": post.support_count,
            }
        )
        self.fields["alpcafes"].queryset = AlpCafe.objects.filter(
            state=AlpCafe.State.HELD
        ).order_by("-starts_at")

    def clean(self):
        data = super().clean()
        if not data.get("ideas") and not data.get("alpcafes"):
            raise forms.ValidationError(
                _("A proposal grows from at least one idea or one AlpCafé: choose its sources.")
            )
        return data

    def _post_clean(self):
        # Validated as a whole by the service, which renders the Markdown first.
        pass
