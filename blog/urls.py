from django.urls import path

from . import views

app_name = "blog"

# Included at the site root: the blog lives under /blog/, the policy proposals under /proposals/.
urlpatterns = [
    path("blog/", views.post_list, name="list"),
    path("proposals/", views.proposal_list, name="proposals"),
]
