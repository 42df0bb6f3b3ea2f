from django.urls import path

from common.pagecache import public_page
from common.versions import DOMAINS

from . import views

app_name = "impact"

urlpatterns = [
    path("", public_page(views.impact_page, domains=DOMAINS), name="page"),
    path("export.csv", public_page(views.export_csv, domains=DOMAINS), name="export_csv"),
    path("export.xlsx", public_page(views.export_xlsx, domains=DOMAINS), name="export_xlsx"),
    path("data/<slug:name>.csv", public_page(views.data_csv, domains=DOMAINS), name="data"),
]
