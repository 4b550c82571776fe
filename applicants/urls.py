from django.urls import path

from . import laureate_views, rights_views, views

app_name = "applicants"
urlpatterns = [
    path("", views.space_view, name="space"),
    path("lien-envoye/", views.link_sent_view, name="link_sent"),
    path("connexion/<str:token>/", views.sign_in_view, name="sign_in"),
    path("deconnexion/", views.sign_out_view, name="sign_out"),
    path("candidatures/<int:pk>/", views.application_view, name="application"),
    path("candidatures/<int:pk>/retirer/", views.withdraw_view, name="withdraw"),
    path("candidatures/<int:pk>/donnees/", views.data_view, name="data"),
    path("effacer-mes-donnees/", rights_views.erase_view, name="erase"),
    path("candidatures/<int:pk>/corriger/", rights_views.correction_view, name="correct"),
    path("candidatures/<int:pk>/pdf/", views.pdf_view, name="pdf"),
    path("brouillons/<int:pk>/", views.draft_view, name="draft"),
    path("brouillons/<int:pk>/supprimer/", views.draft_delete_view, name="draft_delete"),
    path("brouillons/<int:pk>/lien/", views.draft_link_view, name="draft_link"),
    path("brouillons/reprendre/<str:token>/", views.draft_resume_view, name="draft_resume"),
    path("laureat/<int:pk>/", laureate_views.laureate_view, name="laureate"),
    path("laureat/etapes/<int:pk>/fait/", laureate_views.milestone_done_view, name="milestone_done"),
    path("laureat/fichiers/<int:pk>/", laureate_views.milestone_file_view, name="milestone_file"),
    path("laureat/<int:pk>/bilans/<int:form_pk>/", laureate_views.report_view, name="laureate_report"),
    path("laureat/bilans/fichiers/<int:pk>/", laureate_views.report_file_view, name="report_file"),
]
