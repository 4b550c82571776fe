from django.urls import path

from . import decision_views, queue, record_views, review_views, views

app_name = "moderation"
urlpatterns = [
    *queue.urlpatterns(),
    path("attachment/<int:pk>/", views.download_attachment, name="download"),
    path("attachment/<int:pk>/preview/", views.preview_attachment, name="preview"),
    path("bulk/", views.bulk_view, name="bulk"),
    path("application/<int:pk>/transition/", views.transition_view, name="transition"),
    path("application/<int:pk>/assign/", review_views.assign_view, name="assign"),
    path("application/<int:pk>/review/", review_views.review_view, name="review"),
    path("application/<int:pk>/data/", record_views.applicant_data_view, name="applicant_data"),
    path("application/<int:pk>/erase/", record_views.erase_view, name="erase"),
    path("erasure-request/<int:pk>/", record_views.erasure_request_view, name="erasure_request"),
    path("application/<int:pk>/story/", record_views.promote_view, name="promote"),
    path("application/<int:pk>/decision/cancel/", decision_views.cancel_decision_view, name="cancel_decision"),
    path("call/<int:pk>/announce/", decision_views.announce_view, name="announce"),
    path("call/<int:pk>/ranking/", decision_views.ranking_view, name="ranking"),
]
