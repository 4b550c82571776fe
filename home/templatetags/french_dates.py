"""Dates the French way on public pages: « 1er avril 2027 », « mardi 1er avril 2027 à 12h00 ».

Django's ``date`` filter writes « 1 avril 2027 »: French writes the first day of a month as an
ordinal (« 1er »). Use ``{% load french_dates %}`` and ``{{ value|date_fr }}`` (day, month,
year), ``{{ value|date_fr:"weekday" }}`` (with the day of the week) or
``{{ value|date_fr:"weekday time" }}`` (and the time, « à 12h00 »). Datetimes are shown in the
site's time zone (Paris).
"""

import datetime

from django import template
from django.utils import timezone
from django.utils.dateformat import format as django_format

register = template.Library()
TIME_FORMAT = "H\\hi"  # 12h00


@register.filter
def date_fr(value, options=""):
    """``value`` (a date or datetime) in French; an empty string for anything else."""
    if not isinstance(value, datetime.date):
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    flags = set(str(options).split())
    day = "1er" if value.day == 1 else str(value.day)
    text = f"{day} {django_format(value, 'F Y')}"
    if "weekday" in flags:
        text = f"{django_format(value, 'l')} {text}"
    if "time" in flags and isinstance(value, datetime.datetime):
        text = f"{text} à {django_format(value, TIME_FORMAT)}"
    return text
