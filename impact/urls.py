from django.urls import path

from common.pagecache import public_page
from common.versions import DOMAINS

from . import views

app_name = "impact"

urlpatterns = [
    path("", public_page(views.impact_page, domains=DOMAINS), name="page"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("data/<slug:name>.csv", views.data_csv, name="data"),
]
