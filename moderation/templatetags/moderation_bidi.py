"""``{{ value|isolate }}``: applicant text isolated where ``<bdi>`` cannot go (attributes)."""

from django import template

from moderation import bidi

register = template.Library()


@register.filter
def isolate(value):
    return bidi.isolate(value)
