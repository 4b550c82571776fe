"""Registration's URLs, mounted at the site's root by config/urls.py (before Wagtail's pages).

The paths holding a secret (``/seances/inscription/``, ``/seances/invitation/``,
``/seances/agenda/``) are masked in every log (``home/log_redaction.py``).
"""

from django.urls import path

from . import registration_space_views as space_views
from . import registration_views as views

app_name = "network_registration"
urlpatterns = [
    path("seances/<int:pk>/inscription/", views.form_view, name="form"),
    path("seances/<int:pk>/inscrire/", space_views.register_view, name="register"),
    path("seances/merci/", views.thanks_view, name="thanks"),
    path("seances/invitation/<str:token>/", views.invitation_view, name="invitation"),
    path("seances/inscription/<str:token>/", views.manage_view, name="manage"),
    path("seances/inscription/<str:token>/seance.ics", views.manage_ics_view, name="manage_ics"),
    path("seances/inscription/<str:token>/agenda/", views.manage_feed_view, name="manage_feed"),
    path("seances/inscription/<str:token>/documents/<int:pk>/", views.manage_resource_view, name="manage_resource"),
    path("seances/agenda/<str:token>/", views.feed_view, name="feed"),
    path("flux/agenda.ics", views.public_feed_view, name="public_feed"),
    path("espace-candidat/mes-seances/", space_views.mine_view, name="mine"),
    path("espace-candidat/mes-seances/<int:pk>/annuler/", space_views.mine_cancel_view, name="mine_cancel"),
    path("espace-candidat/mes-seances/<int:pk>/seance.ics", space_views.mine_ics_view, name="mine_ics"),
    path("espace-candidat/mes-seances/agenda/", space_views.mine_feed_view, name="mine_feed"),
]
