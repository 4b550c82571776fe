"""Demo content of the calls app, run by ``load_demo_content`` (see home/demo.py)."""

from home.demo import register
from home.demo_content import get_or_create_child

from .models import CallIndexPage


@register(20)
def load(home, stdout):
    get_or_create_child(
        home,
        CallIndexPage,
        "appels",
        title="Appels à candidatures",
        show_in_menus=True,
        intro=(
            "Vous tenez un commerce de proximité dans ou près d'un quartier prioritaire ? "
            "Retrouvez ici les appels à candidatures ouverts, à venir et passés."
        ),
        search_description="Les appels à candidatures de Quartiers Cafés.",
    )
