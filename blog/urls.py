from django.urls import path
from django.views.decorators.http import require_safe

from . import feeds, views

app_name = "blog"

# Included at the site root: the blog lives under /blog/, the policy proposals under /proposals/.
urlpatterns = [
    path("blog/", views.post_list, name="list"),
    path("blog/ideas/", views.idea_list, name="ideas"),
    path("blog/new/", views.post_create, name="create"),
    path("blog/mine/", views.my_posts, name="mine"),
    path("blog/moderation/", views.moderation, name="moderation"),
    path("blog/moderation/posts/<int:pk>/", views.moderate_post, name="moderate_post"),
    path("blog/moderation/reports/<int:pk>/", views.moderate_report, name="moderate_report"),
    path("blog/feed/rss/", require_safe(feeds.LatestPostsRss()), name="feed_rss"),
    path("blog/feed/atom/", require_safe(feeds.LatestPostsAtom()), name="feed_atom"),
    path(
        "blog/topics/<slug:slug>/feed/rss/",
        require_safe(feeds.TopicPostsRss()),
        name="topic_feed_rss",
    ),
    path(
        "blog/topics/<slug:slug>/feed/atom/",
        require_safe(feeds.TopicPostsAtom()),
        name="topic_feed_atom",
    ),
    path("blog/comments/<int:pk>/edit/", views.comment_edit, name="comment_edit"),
    path("blog/comments/<int:pk>/hide/", views.comment_hide, name="comment_hide"),
    path("blog/comments/<int:pk>/report/", views.report_comment, name="comment_report"),
    path("blog/<slug:slug>/", views.post_detail, name="detail"),
    path("blog/<slug:slug>/edit/", views.post_edit, name="edit"),
    path("blog/<slug:slug>/support/", views.support, name="support"),
    path("blog/<slug:slug>/comment/", views.comment_create, name="comment"),
    path("blog/<slug:slug>/report/", views.report_post, name="report"),
    path("blog/<slug:slug>/idea-status/", views.idea_status, name="idea_status"),
    path("proposals/", views.proposal_list, name="proposals"),
    path("proposals/new/", views.proposal_create, name="proposal_create"),
    path("proposals/<slug:slug>/", views.proposal_detail, name="proposal_detail"),
    path("proposals/<slug:slug>/edit/", views.proposal_edit, name="proposal_edit"),
    path("proposals/<slug:slug>/status/", views.proposal_advance, name="proposal_advance"),
    path("proposals/<slug:slug>/endorse/", views.endorse, name="endorse"),
]
