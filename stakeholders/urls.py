from django.urls import path

from common.pagecache import public_page

from . import views

app_name = "stakeholders"

urlpatterns = [
    path("", public_page(views.directory), name="directory"),
    path("map/", public_page(views.map_page), name="map"),
    path("map.geojson", public_page(views.map_geojson), name="map_geojson"),
    path("export.csv", public_page(views.export_csv), name="export_csv"),
    path("export.json", public_page(views.export_json), name="export_json"),
    path("register/", views.register, name="register"),
    path("register/similar.json", views.register_similar, name="register_similar"),
    path("join-requests/", views.join_requests, name="join_requests"),
    path("moderation/", views.moderation, name="moderation"),
    path("moderation/<int:pk>/", views.moderate, name="moderate"),
    path("members/", views.members, name="members"),
    path("members/<int:pk>/trust/", views.member_trust, name="member_trust"),
    path(
        "<slug:slug>/",
        # Its sections: the AlpCafés it attended, the earlier initiatives it took part in, its
        # open partnership opportunities.
        public_page(views.detail, domains=("alpcafes", "partnerships")),
        name="detail",
    ),
    path("<slug:slug>/contact/", views.contact, name="contact"),
    path("<slug:slug>/join/", views.join, name="join"),
    path("<slug:slug>/edit/", views.edit, name="edit"),
]
