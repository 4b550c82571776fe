"""Demo content of the laureates, run by ``load_demo_content`` after the stories, calls and
moderation (see home/demo.py).

The 2020 edition has no applications on this site: its three named laureates are records
made by hand with what the programme's public material gives (name, town, région), linked to
their story and to the 2020 call page when the demo has them. No contact, no amount, no
kind of business: nothing invented. Idempotent: a record is looked up by edition and name.
The demo has no applications of the 2026 call, so no laureate of it is made here.
"""

from django.utils.translation import gettext as _

from calls.models import CallPage
from home.demo import register
from stories.demo import NAMED
from stories.models import StoryPage

from .models import Actor, Laureate
from .services import write_history

EDITION_2020 = 2020
CALL_2020_SLUG = "appel-a-candidatures-2020"


@register(40)
def load(home, stdout):
    call = CallPage.objects.filter(slug=CALL_2020_SLUG).first()
    made = 0
    for data in NAMED:
        if Laureate.objects.filter(edition=EDITION_2020, business_name=data["title"]).exists():
            continue
        laureate = Laureate.objects.create(
            edition=EDITION_2020,
            call=call,
            business_name=data["title"],
            town=data["town"],
            region=data["region"],
            story=StoryPage.objects.filter(slug=data["slug"]).first(),
        )
        write_history(
            laureate,
            _("Lauréat créé à la main"),
            _("Édition 2020 (contenu de démonstration : nom, commune et région seulement)."),
            actor=Actor.SYSTEME,
        )
        made += 1
    stdout.write(f"Lauréats (fiches) : {made} fiche(s) de l'édition 2020 créée(s).\n")
