from django.urls import path

from . import views

app_name = "territory"
urlpatterns = [
    path("qpv/", views.qpv_lookup, name="qpv"),
    path("communes/", views.communes, name="communes"),
]
