"""Demo content of the stories app, run by ``load_demo_content`` (see home/demo.py)."""

from home.demo import register
from home.demo_content import get_or_create_child

from .models import StoryIndexPage


@register(10)
def load(home, stdout):
    get_or_create_child(
        home,
        StoryIndexPage,
        "laureats",
        title="Les lauréats",
        show_in_menus=True,
        intro=(
            "Cafés, restaurants, tiers-lieux et épiceries : découvrez les commerces récompensés par "
            "Quartiers Cafés et ce qu'ils apportent à leur quartier."
        ),
        search_description="Les lauréats de Quartiers Cafés : 50 commerces de proximité dans 12 régions.",
    )
