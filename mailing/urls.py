from django.urls import path

from . import views

app_name = "mailing"
urlpatterns = [
    path("", views.signup_view, name="signup"),
    path("merci/", views.thanks_view, name="thanks"),
    path("confirmer/<str:token>/", views.confirm_view, name="confirm"),
    path("desinscription/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
]
