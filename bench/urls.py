"""The portal's URLs plus a bare Django view: the baseline every page is compared with."""

from django.http import HttpResponse
from django.urls import path

from alpclusters.urls import urlpatterns as portal_urlpatterns


def bare(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("__bare__", bare), *portal_urlpatterns]
