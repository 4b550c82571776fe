from django.urls import path

from . import views

app_name = "applicants"
urlpatterns = [
    path("", views.space_view, name="space"),
    path("lien-envoye/", views.link_sent_view, name="link_sent"),
    path("connexion/<str:token>/", views.sign_in_view, name="sign_in"),
    path("deconnexion/", views.sign_out_view, name="sign_out"),
    path("brouillons/<int:pk>/", views.draft_view, name="draft"),
    path("brouillons/<int:pk>/supprimer/", views.draft_delete_view, name="draft_delete"),
]
