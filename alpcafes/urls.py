from django.urls import path

from . import views

app_name = "alpcafes"

urlpatterns = [
    path("", views.alpcafe_list, name="list"),
    path("calendar.ics", views.calendar_feed, name="feed"),
    path("new/", views.alpcafe_create, name="create"),
    path("mine/", views.mine, name="mine"),
    path("rsvp/<str:token>/", views.rsvp, name="rsvp"),
    path("<slug:slug>/", views.alpcafe_detail, name="detail"),
    path("<slug:slug>/calendar.ics", views.alpcafe_ics, name="ics"),
    path("<slug:slug>/register/", views.register, name="register"),
    path("<slug:slug>/cancel-registration/", views.cancel_registration, name="cancel_registration"),
    path("<slug:slug>/manage/", views.manage, name="manage"),
    path("<slug:slug>/edit/", views.alpcafe_edit, name="edit"),
    path("<slug:slug>/progress.json", views.progress, name="progress"),
    path("<slug:slug>/guests.csv", views.guests_csv, name="guests_csv"),
    path("<slug:slug>/invite/", views.invite, name="invite"),
    path("<slug:slug>/invite/review/", views.invite_review, name="invite_review"),
    path("<slug:slug>/check-in/", views.check_in, name="check_in"),
    path("<slug:slug>/mail/", views.mail_log, name="mail"),
    path("<slug:slug>/outcomes/", views.record_outcomes, name="outcomes"),
    path("<slug:slug>/cancel/", views.cancel_alpcafe, name="cancel"),
]
