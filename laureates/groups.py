"""The laureates' permissions given to « Modérateurs » (by this app's data migration).

Reviewers (« Évaluateurs ») and editors get none: the laureates' records, payments and plans
are the team's. Other groups can be given them in Wagtail's group editor.
"""

from django.apps import apps as global_apps

from moderation.groups import permission

# No deletion of a laureate or a payment (their history would go with them): a laureate leaves
# the network, a payment is cancelled. Superusers keep every right.
MODEL_PERMISSIONS = [
    ("laureate", ["add", "change", "view"]),
    ("payment", ["add", "change", "view"]),
    ("coachingarea", ["add", "change", "delete", "view"]),
    ("milestonetemplate", ["add", "change", "delete", "view"]),
    ("milestone", ["add", "change", "delete", "view"]),
    ("teamnote", ["add", "change", "delete", "view"]),
    ("laureatehistoryentry", ["view"]),
    ("reportform", ["add", "change", "delete", "view"]),
    ("report", ["view"]),
]
CUSTOM_PERMISSIONS = [
    ("record_payments", "Enregistrer les versements des lauréats"),
    ("erase_laureate_contacts", "Effacer les coordonnées des lauréats sortis du réseau"),
]

COACHING_AREAS = [
    "Communication",
    "Recherche de financement",
    "Partenariats locaux",
    "Levée des freins à l'ouverture",
]


def grant_moderators(apps=None):
    """Give « Modérateurs » every permission of this app (idempotent)."""
    apps = apps or global_apps
    Group = apps.get_model("auth", "Group")
    moderators, _created = Group.objects.get_or_create(name="Modérateurs")
    granted = [
        permission(apps, "laureates", model, f"{action}_{model}")
        for model, actions in MODEL_PERMISSIONS
        for action in actions
    ]
    granted += [permission(apps, "laureates", "laureate", codename, name) for codename, name in CUSTOM_PERMISSIONS]
    moderators.permissions.add(*granted)


def seed_coaching_areas(apps=None):
    apps = apps or global_apps
    CoachingArea = apps.get_model("laureates", "CoachingArea")
    for order, name in enumerate(COACHING_AREAS):
        CoachingArea.objects.get_or_create(name=name, defaults={"sort_order": order})
