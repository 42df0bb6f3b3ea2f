from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from . import selectors


class HomeView(TemplateView):
    template_name = "alpclusters/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(figures=selectors.headline_figures(), alpcafes=selectors.next_alpcafes())
        return context


class AboutView(TemplateView):
    template_name = "alpclusters/about.html"


@never_cache
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
