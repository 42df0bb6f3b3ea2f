"""The registry's addresses outside /stakeholders/: the member's profile and the signed links in
mail (unsubscribe, preferences)."""

from django.urls import path

from . import views

urlpatterns = [
    path("accounts/profile/", views.profile, name="profile"),
    path("accounts/profile/my-data.zip", views.my_data, name="my_data"),
    path("accounts/profile/delete/", views.account_delete, name="account_delete"),
    path("mail/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("mail/preferences/<str:token>/", views.mail_preferences, name="mail_preferences"),
    path("mail/preferences/<str:token>/my-data.zip", views.contact_data, name="contact_data"),
    path("mail/preferences/<str:token>/erase/", views.contact_erase, name="contact_erase"),
]
