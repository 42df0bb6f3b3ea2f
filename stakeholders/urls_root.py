"""The registry's addresses outside /stakeholders/: the member's profile and the signed links in
mail (unsubscribe, preferences)."""

from django.urls import path

from . import views

urlpatterns = [
    path("accounts/profile/", views.profile, name="profile"),
    path("mail/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("mail/preferences/<str:token>/", views.mail_preferences, name="mail_preferences"),
]
