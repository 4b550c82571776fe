from django import template
from wagtail.models import Page, Site

from home import chrome, legal

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context):
    """The home page's live, public children marked "show in menus" (kept per generation)."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    return chrome.main_menu(site)


@register.simple_tag(takes_context=True)
def breadcrumbs(context, page):
    """Ancestors of ``page`` below the tree root, the site root first (kept per generation)."""
    if page is None or not isinstance(page, Page) or page.depth <= 2:
        return []
    return chrome.ancestors(page)


@register.simple_tag(takes_context=True)
def is_current(context, menu_page):
    page = context.get("page")
    if not isinstance(page, Page):
        return False
    return page.path.startswith(menu_page.path)


@register.simple_tag(takes_context=True)
def legal_links(context):
    """The footer's legal pages (home/legal.py, kept per generation)."""
    request = context.get("request")
    return legal.legal_links(request) if request is not None else []
