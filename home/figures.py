"""Key figures computed from the data: one source for every number the site states.

The « Chiffres clés » block (``home/blocks.py``) shows, per item, either a figure typed by an
editor or one of the figures registered here, computed from the data. Home knows none of the
data: each upper layer registers its figures in a ``figures`` module (``calls/figures.py``,
``stories/figures.py``, ``laureates/figures.py``), which ``HomeConfig.ready`` imports with
Django's ``autodiscover_modules`` (as the admin finds ``admin`` modules).

A figure has a key (stored in the block's JSON: never rename one), a French label, a
function ``compute(edition)`` (``edition``: a year, or ``None`` for every edition) returning
an int or a ``Decimal``, its kind (a count or euros) and the models whose changes refresh it.

Values are kept in the cache (``home.cache.GenerationCache``, prefix ``figures``); a save or
a deletion of a registered model starts a new generation of the figures and of the page
cache (the home page shows them), after the transaction commits as well. A cache that does
not answer costs the cache, never the figures: they are then computed for each page.
"""

import logging
from dataclasses import dataclass
from decimal import Decimal

from django.db.models.signals import post_delete, post_save
from django.utils.formats import number_format
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

from .cache import GenerationCache
from .page_cache import page_cache

logger = logging.getLogger(__name__)

COUNT = "count"
EUROS = "euros"

# Figures change with the data, which signals announce; the timeout only bounds how long a
# per-process cache (LocMemCache) may keep a value another process changed.
FIGURES = GenerationCache("figures", timeout=300)


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    compute: object  # compute(edition) -> int | Decimal
    models: tuple
    kind: str = COUNT
    per_edition: bool = True


_registry = {}
_edition_sources = []


def register(key, label, compute, *, models, kind=COUNT, per_edition=True):
    """Add a computed figure; ``models``: the model classes whose save or deletion changes it."""
    if key in _registry and _registry[key].compute is not compute:
        raise ValueError(f"Figure « {key} » registered twice")
    figure = Figure(key, label, compute, tuple(models), kind, per_edition)
    _registry[key] = figure
    for model in figure.models:
        for signal in (post_save, post_delete):
            signal.connect(data_changed, sender=model, dispatch_uid=f"figures-{signal!r}-{model._meta.label}")
    return figure


def autodiscover():
    """Import every installed app's ``figures`` module (from ``HomeConfig.ready``)."""
    autodiscover_modules("figures")


def register_editions(source):
    """Add ``source()``, the years of the editions an app knows (the calls' years)."""
    if source not in _edition_sources:
        _edition_sources.append(source)


def editions():
    """Every known edition, oldest first."""
    return sorted({year for source in _edition_sources for year in source()})


def get(key):
    return _registry.get(key)


def choices():
    """The block's choices: every registered figure, by label (a callable: read when shown)."""
    return sorted(((figure.key, figure.label) for figure in _registry.values()), key=lambda choice: str(choice[1]))


def data_changed(sender=None, **kwargs):
    """A registered model changed: every figure and every cached page is computed again."""
    FIGURES.new_generation()
    page_cache().new_generation()


def compute(key, edition=None):
    """The value of figure ``key`` for ``edition`` (``None``: all editions), not cached."""
    figure = _registry[key]
    return figure.compute(edition if figure.per_edition else None)


def values(requests):
    """``[(key, edition)] -> [value or None]``, kept together in the cache (one read per block).

    An unknown key (a figure no longer registered) is ``None``; the block leaves it out.
    """
    requests = [(key, edition) for key, edition in requests]

    def compute_all():
        return [compute(key, edition) if key in _registry else None for key, edition in requests]

    return FIGURES.cached("values", requests, compute_all) if requests else []


def display(value, kind=COUNT):
    """A figure as French reads it (Django's localised number format): « 1 234 »,
    « 625 000 € », « 12 500,50 € » (cents only when there are some)."""
    if value is None:
        return ""
    value = Decimal(value)
    if kind == EUROS:
        value = value.quantize(Decimal("0.01"))
        places = 0 if value == value.to_integral_value() else 2
        return f"{number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)}\u00a0€"
    return number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)


def label_for(key, edition=None):
    """The default label of a figure, with its edition: « candidatures reçues (édition 2020) »."""
    figure = _registry.get(key)
    if figure is None:
        return ""
    if edition and figure.per_edition:
        return _("%(label)s (édition %(edition)s)") % {"label": figure.label, "edition": edition}
    return figure.label
