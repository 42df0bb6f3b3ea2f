from django.urls import path

from common.pagecache import public_page

from . import views
from .selectors import impact_version

app_name = "impact"

urlpatterns = [
    path("", public_page(views.impact_page, version=impact_version), name="page"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("data/<slug:name>.csv", views.data_csv, name="data"),
]
