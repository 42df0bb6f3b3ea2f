from django.urls import path

from common.pagecache import public_page

from . import views

# AlpCafés' pages show their reports and the organisations that took part, and say when they
# have 1:1 meetings.
ALPCAFES = ("alpcafes", "blog", "partnerships")

app_name = "alpcafes"

urlpatterns = [
    path("", public_page(views.alpcafe_list, domains=ALPCAFES), name="list"),
    path("calendar.ics", public_page(views.calendar_feed, domains=ALPCAFES), name="feed"),
    path("new/", views.alpcafe_create, name="create"),
    path("mine/", views.mine, name="mine"),
    path("rsvp/<str:token>/", views.rsvp, name="rsvp"),
    path("<slug:slug>/", public_page(views.alpcafe_detail, domains=ALPCAFES), name="detail"),
    path("<slug:slug>/calendar.ics", public_page(views.alpcafe_ics, domains=ALPCAFES), name="ics"),
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
