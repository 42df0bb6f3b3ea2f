from django.conf import settings
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_safe

from common.fragments import content_key, lazy_context

from . import selectors


@require_safe
def home(request):
    def data():
        return {"alpcafes": selectors.next_alpcafes(), "posts": selectors.latest_posts()}

    # The figures, the next AlpCafés and the latest posts: the same for everyone until a
    # change or the next five-minute slot (an AlpCafé that starts leaves the list); the whole
    # page is kept, with a member's menu rendered into it.
    key = content_key(request, "home", upcoming=True)
    return render(
        request,
        "pages/home.html",
        {
            "figures": SimpleLazyObject(selectors.headline_figures),
            **lazy_context(data, "alpcafes", "posts"),
            "content_key": key,
            "page_key": key,
        },
    )


@require_safe
def about(request):
    # The project's facts and partners: the same for everyone until they change.
    return render(request, "pages/about.html", {"content_key": content_key(request, "about")})


@require_safe
def legal(request, page):
    """The privacy notice, the imprint, the accessibility statement and the community rules."""
    return render(
        request,
        f"pages/legal/{page}.html",
        {"legal": settings.LEGAL, "retention": settings.RETENTION},
    )
