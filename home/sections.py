"""Sections that apps above home add to the home page (the latest news…), without home
importing them: an app registers a template and a function from its ``AppConfig.ready``;
``HomePage.get_context`` calls each function and the home template includes each section's
template with what it returned (nothing shown when it returns None), and links the section's
stylesheet (a static path) in the page's head when it is shown.
"""

from django.templatetags.static import static

SECTIONS = []


def register(template, func, order=50, stylesheet=None):
    """``func(home_page, request)`` returns the section's context (a dict) or None."""
    SECTIONS.append((order, template, func, stylesheet))
    SECTIONS.sort(key=lambda section: section[0])


def home_sections(home_page, request):
    shown = []
    for _order, template, func, stylesheet in SECTIONS:
        context = func(home_page, request)
        if context is not None:
            shown.append(
                {"template": template, "context": context, "stylesheet": static(stylesheet) if stylesheet else ""}
            )
    return shown
