from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
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


@never_cache
@require_safe
def healthz(request):
    """Liveness for load balancers: answers 200 only while the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001 — any database failure means "unhealthy", reported as 503
        return JsonResponse(
            {"status": "error", "database": str(exc.__class__.__name__)}, status=503
        )
    return JsonResponse({"status": "ok"})
