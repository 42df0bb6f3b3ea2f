from django.urls import path

from . import views

app_name = "polls"

urlpatterns = [
    # The organisers', beside the AlpCafé's own pages.
    path("alpcafes/<slug:slug>/poll/", views.manage, name="manage"),
    path("alpcafes/<slug:slug>/poll/dates/", views.dates, name="dates"),
    path("alpcafes/<slug:slug>/poll/ask/", views.ask, name="ask"),
    path("alpcafes/<slug:slug>/poll/review/", views.review, name="review"),
    path("alpcafes/<slug:slug>/poll/results/", views.results, name="results"),
    path("alpcafes/<slug:slug>/poll/close/", views.close, name="close"),
    path("alpcafes/<slug:slug>/poll/choose/", views.choose, name="choose"),
    # The personal link of each person asked.
    path("poll/<str:token>/", views.vote, name="vote"),
]
