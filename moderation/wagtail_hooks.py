"""Admin hooks of the moderation queue: the « Candidatures » menu (moderation/queue.py), the
action URLs, the dashboard panel, and Wagtail's own form submissions kept away from the
applications.
https://docs.wagtail.org/en/stable/reference/hooks.html
"""

from django.urls import include, path
from wagtail import hooks

from calls.models import CallPage

from . import access, queue, urls
from .dashboard import ApplicationsPanel

queue.register()


@hooks.register("register_admin_urls")
def register_moderation_urls():
    return [path("moderation/", include(urls, namespace="moderation"))]


@hooks.register("filter_form_submissions_for_user")
def hide_call_submissions(user, editable_forms):
    """Applications are read in the queue, where access is checked per application and
    every change is recorded. Wagtail's submissions views (list, export, deletion) would
    bypass both, so calls are left out of them for everyone, superusers included: a call's
    applications appear only under « Candidatures »."""
    return editable_forms.not_type(CallPage)


@hooks.register("construct_homepage_panels")
def add_applications_panel(request, panels):
    if access.can_list(request.user):
        panels.append(ApplicationsPanel(request.user))
