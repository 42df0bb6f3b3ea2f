from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import selectors


@require_safe
def home(request):
    return render(
        request,
        "pages/home.html",
        {
            "figures": selectors.headline_figures(),
            "alpcafes": selectors.next_alpcafes(),
            "posts": selectors.latest_posts(),
        },
    )


@require_safe
def about(request):
    return render(request, "pages/about.html")


@require_safe
def legal(request, page):
    """The privacy notice, the imprint, the accessibility statement and the community rules."""
    return render(
        request,
        f"pages/legal/{page}.html",
        {"legal": settings.LEGAL, "retention": settings.RETENTION},
    )
