"""The community space's kinds of mail, sent through the outbox: moderation decisions to authors
and report outcomes to reporters."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from outbox.kinds import MailKind, register

from .models import Post, Report


@register
class PostDecisionMail(MailKind):
    """To the author: the post is published, or was not (with the reason), as decided then."""

    name = "blog.post_decision"
    label = _("Post decision")
    template = "blog/email/post_decision"

    def context(self, message):
        post: Post = message.about
        return {
            "post": post,
            "published": message.data.get("published", False),
            "reason": message.data.get("reason", ""),
            "url": settings.SITE_URL + post.get_absolute_url(),
        }


@register
class ReportOutcomeMail(MailKind):
    """To the member who reported a post or comment: what the moderators did about it."""

    name = "blog.report_outcome"
    label = _("Report outcome")
    template = "blog/email/report_outcome"

    def about_queryset(self, model):
        return Report.objects.select_related("post", "comment__post")

    def context(self, message):
        report: Report = message.about
        post = report.post or report.comment.post
        return {
            "report": report,
            "post": post,
            "is_comment": report.comment_id is not None,
            "hidden": report.status == Report.Status.HIDDEN,
            "url": settings.SITE_URL + post.get_absolute_url(),
        }
