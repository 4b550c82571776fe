"""``{% signup_box %}``: the list's sign-up box, for a page of another app (the calls' index)."""

from django import template

from mailing.forms import SignupForm

register = template.Library()


@register.inclusion_tag("mailing/includes/signup_box.html")
def signup_box():
    return {"form": SignupForm()}
