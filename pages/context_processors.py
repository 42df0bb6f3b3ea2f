from django.conf import settings
from django.utils.functional import SimpleLazyObject

from common.pagecache import EVERY_PAGE
from common.versions import data_version
from stakeholders import permissions

from . import project
from .navigation import main_menu, member_menu


def site(request):
    user = request.user
    menu = SimpleLazyObject(lambda: member_menu(user) if user.is_authenticated else [])
    return {
        "main_menu": main_menu(request.path),
        # Lazy: read (from the cache, mostly) when a template shows a fact.
        "project": SimpleLazyObject(project.current),
        # What the footer's facts depend on: the footer is rendered once per version (and
        # language) in each process ({% fragment %}).
        "footer_version": SimpleLazyObject(lambda: data_version(*EVERY_PAGE)),
        "map_tile_url": settings.MAP_TILE_URL,
        "map_attribution": settings.MAP_TILE_ATTRIBUTION,
        # Lazy: only pages that show role-dependent links pay for the group look-up.
        "is_moderator": SimpleLazyObject(lambda: permissions.is_moderator(user)),
        "is_organiser": SimpleLazyObject(lambda: permissions.is_organiser(user)),
        "member_menu": menu,
        # The menu's entries are the same for many members (the counts for moderators): its
        # list is kept per entries ({% fragment %}), the name and CSRF token around it not.
        "member_menu_key": SimpleLazyObject(
            lambda: tuple((str(item.label), item.url, item.count) for item in menu)
        ),
        # A view that has the whole page kept gives its key (templates/base.html).
        "page_key": None,
        "personal_content": False,
    }
