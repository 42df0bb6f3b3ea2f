from django.urls import path
from django.views.decorators.http import require_safe

from common.pagecache import public_page

from . import feeds, views

# Reports name their AlpCafé; proposals, the organisations endorsing them.
BLOG = ("blog", "alpcafes")


def page(view):
    return public_page(view, domains=BLOG)


def feed(feed_view):
    return page(require_safe(feed_view))


app_name = "blog"

# Included at the site root: the blog lives under /blog/, the policy proposals under /proposals/.
urlpatterns = [
    path("blog/", page(views.post_list), name="list"),
    path("blog/ideas/", page(views.idea_list), name="ideas"),
    path("blog/new/", views.post_create, name="create"),
    path("blog/mine/", views.my_posts, name="mine"),
    path("blog/moderation/", views.moderation, name="moderation"),
    path("blog/moderation/posts/<int:pk>/", views.moderate_post, name="moderate_post"),
    path("blog/moderation/reports/<int:pk>/", views.moderate_report, name="moderate_report"),
    path("blog/feed/rss/", feed(feeds.LatestPostsRss()), name="feed_rss"),
    path("blog/feed/atom/", feed(feeds.LatestPostsAtom()), name="feed_atom"),
    path(
        "blog/topics/<slug:slug>/feed/rss/",
        feed(feeds.TopicPostsRss()),
        name="topic_feed_rss",
    ),
    path(
        "blog/topics/<slug:slug>/feed/atom/",
        feed(feeds.TopicPostsAtom()),
        name="topic_feed_atom",
    ),
    path("blog/comments/<int:pk>/edit/", views.comment_edit, name="comment_edit"),
    path("blog/comments/<int:pk>/hide/", views.comment_hide, name="comment_hide"),
    path("blog/comments/<int:pk>/report/", views.report_comment, name="comment_report"),
    path("blog/<slug:slug>/", page(views.post_detail), name="detail"),
    path("blog/<slug:slug>/edit/", views.post_edit, name="edit"),
    path("blog/<slug:slug>/support/", views.support, name="support"),
    path("blog/<slug:slug>/comment/", views.comment_create, name="comment"),
    path("blog/<slug:slug>/report/", views.report_post, name="report"),
    path("blog/<slug:slug>/idea-status/", views.idea_status, name="idea_status"),
    path("proposals/", page(views.proposal_list), name="proposals"),
    path("proposals/new/", views.proposal_create, name="proposal_create"),
    path("proposals/<slug:slug>/", page(views.proposal_detail), name="proposal_detail"),
    path("proposals/<slug:slug>/edit/", views.proposal_edit, name="proposal_edit"),
    path("proposals/<slug:slug>/status/", views.proposal_advance, name="proposal_advance"),
    path("proposals/<slug:slug>/endorse/", views.endorse, name="endorse"),
]
