from django.urls import path

from common.pagecache import public_page

from . import views
from .selectors import registry_version as version

app_name = "stakeholders"

urlpatterns = [
    path("", public_page(views.DirectoryView.as_view(), version=version), name="directory"),
    path("map/", public_page(views.MapView.as_view(), version=version), name="map"),
    path("map.geojson", views.map_geojson, name="map_geojson"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.json", views.export_json, name="export_json"),
    path("register/", views.RegisterView.as_view(), name="register"),
    path("moderation/", views.ModerationQueueView.as_view(), name="moderation"),
    path("moderation/<int:pk>/", views.moderate, name="moderate"),
    path(
        "<slug:slug>/",
        public_page(views.StakeholderDetailView.as_view(), version=version),
        name="detail",
    ),
    path("<slug:slug>/contact/", views.ContactStakeholderView.as_view(), name="contact"),
]
