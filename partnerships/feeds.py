"""RSS and Atom feeds of the open opportunities, like the blog's. Items carry the summary as
plain text (escaped) and the organisation, never an address."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import linebreaks
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import Opportunity

FEED_SIZE = 30


class OpportunitiesRss(Feed):
    title = _("AlpClusters partnership opportunities")
    description = _("Offers and requests of Alpine organisations looking for partners.")

    def link(self):
        return reverse("partnerships:list")

    def feed_url(self):
        return reverse("partnerships:feed_rss")

    def items(self):
        return selectors.feed_items(FEED_SIZE)

    def item_title(self, item: Opportunity):
        return f"{item.get_type_display()}: {item.title}"

    def item_description(self, item: Opportunity):
        return linebreaks(item.summary, autoescape=True)

    def item_pubdate(self, item: Opportunity):
        return item.published_at

    def item_updateddate(self, item: Opportunity):
        return item.updated_at

    def item_author_name(self, item: Opportunity):
        return item.stakeholder.name

    def item_categories(self, item: Opportunity):
        return [item.get_category_display()] + [s.label for s in item.sectors.all()]


class OpportunitiesAtom(OpportunitiesRss):
    feed_type = Atom1Feed
    subtitle = OpportunitiesRss.description

    def feed_url(self):
        return reverse("partnerships:feed_atom")
