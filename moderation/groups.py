"""The site's groups and their permissions (created by this app's data migration).

- Éditeurs: the admin, every page (add, edit, publish, lock), images and documents (in
  every collection), the partners (« Fragments ») and the themes; nothing of the
  applications. Wagtail checks images against ``wagtailimages.Image``'s permissions even
  with a custom image model (``WAGTAILIMAGES_IMAGE_MODEL``), so those are the ones given.
- Évaluateurs: the admin and the applications assigned to them (read, score, comment).
- Modérateurs: the admin and every application: assignments, transitions, export, erasure.
Administrators are superusers. Wagtail's English groups (« Editors », « Moderators ») are
folded into « Éditeurs » by a migration (``fold_wagtail_groups``).

Missing permissions are created here (on a fresh database Django creates them only after
all migrations), so the groups are complete as soon as ``migrate`` ends.
"""

from django.apps import apps as global_apps
from django.conf import settings

PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
# Collection permissions (every collection: granted on the root one).
MEDIA_PERMISSIONS = [
    ("wagtailimages", "image", ["add_image", "change_image", "delete_image", "choose_image"]),
    ("wagtaildocs", "document", ["add_document", "change_document", "delete_document", "choose_document"]),
]
# Given on the custom image model by an earlier version: Wagtail never reads them.
UNUSED_MEDIA_PERMISSIONS = [
    ("home", "customimage", ["add_customimage", "change_customimage", "delete_customimage", "choose_image"]),
]
# Model permissions of the snippets editors keep up to date.
SNIPPET_PERMISSIONS = [
    ("home", "partner", ["add_partner", "change_partner", "delete_partner", "view_partner"]),
    ("stories", "theme", ["add_theme", "change_theme", "delete_theme", "view_theme"]),
]
MODERATION = [
    ("view_all_applications", "Voir toutes les candidatures"),
    ("review_applications", "Évaluer les candidatures qui lui sont assignées"),
    ("assign_reviewers", "Assigner des évaluateurs"),
    ("decide_applications", "Changer le statut des candidatures"),
    ("export_applications", "Exporter les candidatures"),
    ("erase_applications", "Effacer les données personnelles des candidats"),
]
REVIEWER_PERMISSIONS = ["review_applications"]


def permission(apps, app_label, model, codename, name=None):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _created = ContentType.objects.get_or_create(app_label=app_label, model=model)
    found, _created = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": (name or codename.replace("_", " "))[:255]}
    )
    return found


def create_groups(apps=None):
    """Create the groups (idempotent). ``apps``: a migration's historical apps, or the live ones."""
    apps = apps or global_apps
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    access_admin = permission(apps, "wagtailadmin", "admin", "access_admin", "Can access Wagtail admin")
    moderation = {
        codename: permission(apps, "moderation", "moderationrights", codename, name) for codename, name in MODERATION
    }

    editors, _created = Group.objects.get_or_create(name="Éditeurs")
    editors.permissions.add(access_admin)
    root_page = Page.objects.filter(depth=1).first()
    if root_page is not None:
        for codename in PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=editors, page=root_page, permission=permission(apps, "wagtailcore", "page", codename)
            )
    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection is not None:
        for app_label, model, codenames in MEDIA_PERMISSIONS:
            for codename in codenames:
                GroupCollectionPermission.objects.get_or_create(
                    group=editors,
                    collection=root_collection,
                    permission=permission(apps, app_label, model, codename),
                )
        for app_label, model, _codenames in UNUSED_MEDIA_PERMISSIONS:
            GroupCollectionPermission.objects.filter(
                group=editors, permission__content_type__app_label=app_label, permission__content_type__model=model
            ).delete()
    for app_label, model, codenames in SNIPPET_PERMISSIONS:
        editors.permissions.add(*[permission(apps, app_label, model, codename) for codename in codenames])

    reviewers, _created = Group.objects.get_or_create(name="Évaluateurs")
    reviewers.permissions.add(access_admin, *[moderation[codename] for codename in REVIEWER_PERMISSIONS])

    moderators, _created = Group.objects.get_or_create(name="Modérateurs")
    moderators.permissions.add(access_admin, *moderation.values())


# Wagtail's own groups, created by its migrations in English: folded into « Éditeurs ».
# « Moderators » there means publishing pages, not the applications: its members join the
# editors (never « Modérateurs », which opens every applicant's data).
WAGTAIL_GROUPS = ("Editors", "Moderators")


def fold_wagtail_groups(apps=None):
    """Move the members of Wagtail's « Editors » and « Moderators » into « Éditeurs », point
    the approval tasks that named them at « Éditeurs », then delete them (idempotent)."""
    apps = apps or global_apps
    Group = apps.get_model("auth", "Group")
    english = list(Group.objects.filter(name__in=WAGTAIL_GROUPS))
    if not english:
        return
    create_groups(apps)
    editors = Group.objects.get(name="Éditeurs")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    for user in User.objects.filter(groups__in=english).distinct():
        user.groups.add(editors)
    try:
        GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    except LookupError:  # pragma: no cover - Wagtail always has it
        GroupApprovalTask = None
    if GroupApprovalTask is not None:
        for task in GroupApprovalTask.objects.filter(groups__in=english).distinct():
            task.groups.add(editors)
    Group.objects.filter(pk__in=[group.pk for group in english]).delete()
