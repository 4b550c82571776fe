"""The permissions of attendance, exports and resources given to « Modérateurs » (by this
app's data migration ``0004_att20_team_permissions``).

Reviewers (« Évaluateurs ») and editors get none. A registration is never deleted by the team
(its history would go): it is cancelled. Other groups can be given these in Wagtail's group
editor.
"""

from django.apps import apps as global_apps

from moderation.groups import permission

MODEL_PERMISSIONS = [
    ("registration", ["view", "change"]),
    ("resource", ["add", "change", "delete", "view"]),
]
CUSTOM_PERMISSIONS = [
    ("registration", "export_registrations", "Exporter les inscriptions avec les coordonnées des habitants"),
]


def grant_moderators(apps=None):
    """Give « Modérateurs » the attendance's, exports' and resources' permissions (idempotent)."""
    apps = apps or global_apps
    Group = apps.get_model("auth", "Group")
    moderators, _created = Group.objects.get_or_create(name="Modérateurs")
    granted = [
        permission(apps, "network", model, f"{action}_{model}")
        for model, actions in MODEL_PERMISSIONS
        for action in actions
    ]
    granted += [permission(apps, "network", model, codename, name) for model, codename, name in CUSTOM_PERMISSIONS]
    moderators.permissions.add(*granted)
