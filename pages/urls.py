from django.urls import path

from . import language, views

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("healthz", views.healthz, name="healthz"),
    path("language/", language.choose_language, name="choose_language"),
]
