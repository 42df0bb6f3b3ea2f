from django.urls import path
from django.views.decorators.http import require_safe

from common.pagecache import public_page

from . import feeds, views

# Cards and pages name the organisation (registry) of each opportunity.
DOMAINS = ("partnerships", "registry")


def page(view):
    return public_page(view, domains=DOMAINS)


app_name = "partnerships"

urlpatterns = [
    path("", page(views.opportunity_list), name="list"),
    path("new/", views.create, name="create"),
    path("mine/", views.mine, name="mine"),
    path("moderation/", views.moderation, name="moderation"),
    path("moderation/<int:pk>/", views.moderate, name="moderate"),
    path("feed/rss/", page(require_safe(feeds.OpportunitiesRss())), name="feed_rss"),
    path("feed/atom/", page(require_safe(feeds.OpportunitiesAtom())), name="feed_atom"),
    path("renew/<str:token>/", views.renew, name="renew"),
    path("interest/<int:pk>/decide/", views.interest_decide, name="interest_decide"),
    # 1:1 meetings at AlpCafés (before the opportunities' slugs): participants' and organisers'.
    path("meetings/<slug:slug>/", views.meetings, name="meetings"),
    path("meetings/<slug:slug>/agenda/", views.agenda, name="agenda"),
    path("meetings/<slug:slug>/agenda.ics", views.agenda_ics, name="agenda_ics"),
    path("meetings/<slug:slug>/setup/", views.setup, name="setup"),
    path("meetings/<slug:slug>/grid/", views.grid, name="grid"),
    path("<slug:slug>/", page(views.detail), name="detail"),
    path("<slug:slug>/edit/", views.edit, name="edit"),
    path("<slug:slug>/close/", views.close, name="close"),
    path("<slug:slug>/interest/", views.interest, name="interest"),
]
