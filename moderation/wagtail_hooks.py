"""Admin hooks of the moderation queue: the « Candidatures » menu (moderation/queue.py), the
action URLs, the dashboard panel, and Wagtail's own form submissions kept away from the
applications.
https://docs.wagtail.org/en/stable/reference/hooks.html
"""

from django.urls import include, path
from wagtail import hooks

from calls.models import CallPage

from . import access, queue, rights, urls
from .dashboard import ApplicationsPanel, ErasureRequestsPanel

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


def is_juror_only(user):
    """A reviewer who neither moderates nor edits pages: the applications are all their work."""
    if user.is_superuser or not access.is_reviewer(user) or access.is_moderator(user):
        return False
    from wagtail.permission_policies.pages import PagePermissionPolicy

    return not PagePermissionPolicy().user_has_any_permission(user, ["add", "change", "publish"])


# Wagtail's generic home panels an editor does not need (pages locked by others: rare here).
NOT_FOR_EDITORS = {"locked_pages"}


@hooks.register("construct_homepage_panels")
def add_applications_panel(request, panels):
    """Each role's home: a juror sees what they have to review, nothing of the pages; an
    editor sees the pages waiting for approval and their recent edits; moderators also get
    the applications' figures."""
    user = request.user
    if is_juror_only(user):
        panels[:] = []
    elif not user.is_superuser:
        panels[:] = [panel for panel in panels if getattr(panel, "name", "") not in NOT_FOR_EDITORS]
    if access.can_list(user):
        panels.append(ApplicationsPanel(user))
    if access.can_erase(user):
        requests = rights.open_requests()
        if requests:
            panels.append(ErasureRequestsPanel(requests))


@hooks.register("construct_homepage_summary_items")
def juror_summary(request, summary_items):
    """Counts of pages, images and documents mean nothing to a juror."""
    if is_juror_only(request.user):
        summary_items[:] = []
