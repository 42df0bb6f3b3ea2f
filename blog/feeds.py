"""RSS and Atom feeds of the published posts, for the whole blog and per topic. Each item carries
the post's sanitised HTML; links are absolute (the syndication framework adds the host)."""

from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from common.fragments import content_key, kept
from stakeholders.models import Sector

from .models import Post

FEED_SIZE = 30


class KeptFeed(Feed):
    """A feed whose document is made once per data version, language, host and arguments in each
    process (common/fragments.py): a feed reader's request after the page cache's five minutes,
    or with a parameter of its own, reads nothing."""

    def __call__(self, request, *args, **kwargs):
        key = content_key(
            request, type(self).__name__, extra=(request.get_host(), *args, *kwargs.values())
        )

        def render():
            response = super(KeptFeed, self).__call__(request, *args, **kwargs)
            return response.content, response["Content-Type"]

        content, content_type = kept(key, render)
        return HttpResponse(content, content_type=content_type)


class LatestPostsRss(KeptFeed):
    title = _("AlpClusters community blog")
    description = _("News, AlpCafé reports and ideas from the AlpClusters community.")

    def link(self):
        return reverse("blog:list")

    def feed_url(self):
        return reverse("blog:feed_rss")

    def _posts(self):
        return (
            Post.objects.published()
            .select_related("author")
            .prefetch_related("topics")
            .order_by("-published_at", "-pk")
        )

    def items(self):
        return self._posts()[:FEED_SIZE]

    def item_title(self, item: Post):
        return item.title

    def item_description(self, item: Post):
        return item.body_html

    def item_pubdate(self, item: Post):
        return item.published_at

    def item_updateddate(self, item: Post):
        return item.updated_at

    def item_author_name(self, item: Post):
        return item.author.display_name if item.author else None

    def item_categories(self, item: Post):
        return [topic.label for topic in item.topics.all()]


class LatestPostsAtom(LatestPostsRss):
    feed_type = Atom1Feed
    subtitle = LatestPostsRss.description

    def feed_url(self):
        return reverse("blog:feed_atom")


class TopicPostsRss(LatestPostsRss):
    def get_object(self, request, slug):
        return get_object_or_404(Sector, slug=slug)

    def title(self, topic: Sector):
        return _("AlpClusters community blog: %(topic)s") % {"topic": topic.label}

    def description(self, topic: Sector):
        return _("Posts about %(topic)s from the AlpClusters community.") % {"topic": topic.label}

    def link(self, topic: Sector):
        return reverse("blog:list") + f"?topic={topic.slug}"

    def feed_url(self, topic: Sector):
        return reverse("blog:topic_feed_rss", args=[topic.slug])

    def items(self, topic: Sector):
        return self._posts().filter(topics=topic)[:FEED_SIZE]


class TopicPostsAtom(TopicPostsRss):
    feed_type = Atom1Feed

    def subtitle(self, topic: Sector):
        return self.description(topic)

    def feed_url(self, topic: Sector):
        return reverse("blog:topic_feed_atom", args=[topic.slug])
