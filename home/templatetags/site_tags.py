from django import template
from wagtail.models import Page, Site

register = template.Library()


def _site_root(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    return site.root_page if site else None


@register.simple_tag(takes_context=True)
def main_menu(context):
    """The home page's live, public children marked "show in menus" (one query)."""
    root = _site_root(context)
    if root is None:
        return []
    return list(root.get_children().live().public().in_menu().order_by("path"))


@register.simple_tag(takes_context=True)
def breadcrumbs(context, page):
    """Ancestors of ``page`` below the tree root, the site root first (one query)."""
    if page is None or not isinstance(page, Page) or page.depth <= 2:
        return []
    return list(page.get_ancestors().filter(depth__gte=2).order_by("depth"))


@register.simple_tag(takes_context=True)
def is_current(context, menu_page):
    page = context.get("page")
    if not isinstance(page, Page):
        return False
    return page.path.startswith(menu_page.path)
