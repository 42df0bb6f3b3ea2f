from django.urls import path

from . import health, language, views

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("privacy/", views.legal, {"page": "privacy"}, name="privacy"),
    path("imprint/", views.legal, {"page": "imprint"}, name="imprint"),
    path("accessibility/", views.legal, {"page": "accessibility"}, name="accessibility"),
    path("community-rules/", views.legal, {"page": "community_rules"}, name="community_rules"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("language/", language.choose_language, name="choose_language"),
]
