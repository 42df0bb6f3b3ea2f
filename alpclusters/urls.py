"""The portal's addresses: each app's own, and the admin."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("pages.urls")),
    path("", include("stakeholders.urls_root")),
    path("stakeholders/", include("stakeholders.urls")),
    path("alpcafes/", include("alpcafes.urls")),
    path("", include("polls.urls")),
    path("partnerships/", include("partnerships.urls")),
    path("", include("blog.urls")),
    path("staff/digest/", include("digests.urls")),
    path("impact/", include("impact.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

# Uploaded files (blog covers) in development; in production the proxy or object storage serves
# MEDIA_ROOT, which must then be shared by every web machine.
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
