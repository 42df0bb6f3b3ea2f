"""What the community space holds about a member, for "download my data"."""

from common import personal_data

from .models import Comment, Endorsement, Post, Report, Support


def _iso(value):
    return value.isoformat() if value else None


def blog_data(user, contact) -> dict:
    if user is None:
        return {}
    return {
        "posts": [
            {
                "title": p.title,
                "kind": p.kind,
                "state": p.state,
                "text": p.body_markdown,
                "published": _iso(p.published_at),
                "cover": p.cover.name or None,
            }
            for p in Post.objects.filter(author=user).order_by("created_at")
        ],
        "comments": [
            {"on": c.post.title, "text": c.body, "written": _iso(c.created_at)}
            for c in Comment.objects.filter(author=user).select_related("post")
        ],
        "supports": [
            {"idea": s.post.title, "at": _iso(s.created_at)}
            for s in Support.objects.filter(user=user).select_related("post")
        ],
        "endorsements": [
            {"proposal": e.proposal.title, "for": e.stakeholder.name, "at": _iso(e.created_at)}
            for e in Endorsement.objects.filter(endorsed_by=user).select_related(
                "proposal", "stakeholder"
            )
        ],
        "reports": [
            {"reason": r.reason, "status": r.status, "at": _iso(r.created_at)}
            for r in Report.objects.filter(reporter=user)
        ],
    }


def uploaded_covers(user) -> list:
    return [
        (post.cover.name.rsplit("/", 1)[-1], post.cover)
        for post in Post.objects.filter(author=user).exclude(cover="")
    ]


personal_data.register("community", blog_data, files=uploaded_covers)
