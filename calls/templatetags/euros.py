"""``{{ amount|euros }}``: « 12 500,00 € » (Django's French number format, no-break spaces)."""

from django import template

from calls.fields import format_euros

register = template.Library()


@register.filter
def euros(value):
    """An amount in euros as a person reads it; « — » when there is none."""
    if value is None or value == "":
        return "—"
    return format_euros(value)
