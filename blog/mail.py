"""The community space's mail: moderation decisions to authors, report outcomes to reporters."""

from common.mailing import absolute_url, render_mail
from stakeholders.models import Contact

from .models import Post, Report


def _language_of(user) -> str:
    contact = Contact.objects.filter(user=user).only("language").first()
    return contact.language if contact else "en"


def send_post_decision(*, post: Post) -> None:
    """Tell the author whether a moderator published or rejected their post (and why)."""
    author = post.author
    if author is None or post.state not in (Post.State.PUBLISHED, Post.State.REJECTED):
        return
    render_mail(
        "blog/email/post_decision",
        {
            "post": post,
            "published": post.state == Post.State.PUBLISHED,
            "url": absolute_url(post.get_absolute_url()),
            "author": author,
        },
        to=[author.email],
        language=_language_of(author),
    ).send()


def send_report_outcome(*, report: Report) -> None:
    """Tell the reporter what the moderators did about their report."""
    if report.status == Report.Status.OPEN:
        return
    post = report.post or report.comment.post
    render_mail(
        "blog/email/report_outcome",
        {
            "report": report,
            "post": post,
            "is_comment": report.comment_id is not None,
            "hidden": report.status == Report.Status.HIDDEN,
            "url": absolute_url(post.get_absolute_url()),
        },
        to=[report.reporter.email],
        language=_language_of(report.reporter),
    ).send()
