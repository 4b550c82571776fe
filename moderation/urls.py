from django.urls import path

from . import queue, views

app_name = "moderation"
urlpatterns = [
    *queue.urlpatterns(),
    path("attachment/<int:pk>/", views.download_attachment, name="download"),
    path("attachment/<int:pk>/preview/", views.preview_attachment, name="preview"),
    path("bulk/", views.bulk_view, name="bulk"),
    path("application/<int:pk>/transition/", views.transition_view, name="transition"),
    path("application/<int:pk>/assign/", views.assign_view, name="assign"),
    path("application/<int:pk>/review/", views.review_view, name="review"),
    path("application/<int:pk>/data/", views.applicant_data_view, name="applicant_data"),
    path("application/<int:pk>/erase/", views.erase_view, name="erase"),
    path("application/<int:pk>/story/", views.promote_view, name="promote"),
    path("application/<int:pk>/decision/cancel/", views.cancel_decision_view, name="cancel_decision"),
    path("call/<int:pk>/announce/", views.announce_view, name="announce"),
    path("call/<int:pk>/ranking/", views.ranking_view, name="ranking"),
]
