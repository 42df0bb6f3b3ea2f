from django.urls import path

from . import views

app_name = "stakeholders"

urlpatterns = [
    path("", views.DirectoryView.as_view(), name="directory"),
    path("map/", views.MapView.as_view(), name="map"),
    path("map.geojson", views.map_geojson, name="map_geojson"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.json", views.export_json, name="export_json"),
    path("register/", views.RegisterView.as_view(), name="register"),
    path("moderation/", views.ModerationQueueView.as_view(), name="moderation"),
    path("moderation/<int:pk>/", views.moderate, name="moderate"),
    path("<slug:slug>/", views.StakeholderDetailView.as_view(), name="detail"),
    path("<slug:slug>/contact/", views.ContactStakeholderView.as_view(), name="contact"),
]
