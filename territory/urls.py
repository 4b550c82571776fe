from django.urls import path

from . import views

app_name = "territory"
urlpatterns = [
    path("qpv/", views.qpv_lookup, name="qpv"),
    path("qpv/carte/", views.commune_map, name="commune_map"),
    path("communes/", views.communes, name="communes"),
]
