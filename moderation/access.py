"""Who may see and do what in the moderation queue.

Every view builds its objects from ``applications_for(user)``: an id outside it (another
call's application in a bulk selection, an application assigned to someone else) is
simply not found, and the action is refused. Wagtail's own submissions deletion had
exactly this bug (CVE-2026-44199): it trusted the ids of the form.

- Modérateurs (``moderation.view_all_applications``) and superusers: every application.
- Évaluateurs (``moderation.review_applications``): the applications assigned to them, except
  those on which they declared a conflict of interest (closed to them from then on: answers,
  workspace, previews and attachments are not found).
- Everyone else (Éditeurs included): none.
"""

from calls.models import Application

from .models import Review
from .workflow import is_decided


def _perm(user, codename):
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(f"moderation.{codename}"))


def is_moderator(user):
    return _perm(user, "view_all_applications")


def is_reviewer(user):
    return _perm(user, "review_applications")


def can_list(user):
    return is_moderator(user) or is_reviewer(user)


def can_assign(user):
    return is_moderator(user) and _perm(user, "assign_reviewers")


def can_decide(user):
    return is_moderator(user) and _perm(user, "decide_applications")


def can_export(user):
    return is_moderator(user) and _perm(user, "export_applications")


def can_erase(user):
    return is_moderator(user) and _perm(user, "erase_applications")


def can_promote(user):
    """Creating a laureate's draft story: deciding the application, and editing pages."""
    return can_decide(user)


def applications_for(user):
    """The applications ``user`` may open; spam included for moderators (the list hides it)."""
    if is_moderator(user):
        return Application.objects.all()
    if is_reviewer(user):
        return Application.objects.filter(assignments__reviewer=user, is_spam=False).exclude(
            pk__in=conflicted_ids(user)
        )
    return Application.objects.none()


def conflicted_ids(user):
    """The applications on which ``user`` declared a conflict of interest (a subquery)."""
    return Review.objects.filter(reviewer=user, conflict_of_interest=True).values("application_id")


def visible_application(user, pk):
    """The application ``pk`` if ``user`` may open it, else ``None``."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return applications_for(user).select_related("page").filter(pk=pk).first()


def is_assigned(user, application):
    return application.assignments.filter(reviewer=user).exists()


def own_review(user, application):
    return Review.objects.filter(application=application, reviewer=user).first()


def can_review(user, application):
    """Assigned reviewers score until the decision (moderators only when assigned too)."""
    return (
        is_reviewer(user)
        and not application.is_spam
        and not is_decided(application.status)
        and is_assigned(user, application)
    )


def can_see_all_reviews(user, application, review=None):
    """Moderators see every review; a reviewer sees the others' once they have scored."""
    if is_moderator(user):
        return True
    review = own_review(user, application) if review is None else review
    return bool(review and review.is_scored)
