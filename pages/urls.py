from django.urls import path

from common.pagecache import public_page
from common.versions import DOMAINS

from . import health, language, views

legal = public_page(views.legal)

urlpatterns = [
    path("", public_page(views.home, domains=DOMAINS), name="home"),
    path("about/", public_page(views.about), name="about"),
    path("privacy/", legal, {"page": "privacy"}, name="privacy"),
    path("imprint/", legal, {"page": "imprint"}, name="imprint"),
    path("accessibility/", legal, {"page": "accessibility"}, name="accessibility"),
    path("community-rules/", legal, {"page": "community_rules"}, name="community_rules"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("language/", language.choose_language, name="choose_language"),
]
