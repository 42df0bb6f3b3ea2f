from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from stakeholders import views as stakeholder_views
from stakeholders.views import ProfileView

from . import language, views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("about/", views.AboutView.as_view(), name="about"),
    path("healthz", views.healthz, name="healthz"),
    path("mail/unsubscribe/<str:token>/", stakeholder_views.unsubscribe, name="unsubscribe"),
    path("staff/digest/", views.digest_preview, name="digest_preview"),
    path("stakeholders/", include("stakeholders.urls")),
    path("alpcafes/", include("alpcafes.urls")),
    path("", include("blog.urls")),
    path("accounts/profile/", ProfileView.as_view(), name="profile"),
    path("accounts/", include("allauth.urls")),
    path("language/", language.choose_language, name="choose_language"),
    path("admin/", admin.site.urls),
]

# Uploaded files (blog covers) in development; in production the proxy or object storage serves
# MEDIA_ROOT, which must then be shared by every web machine.
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
