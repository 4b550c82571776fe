"""The list's public pages: /prevenez-moi/ (the form), its thank-you page, the confirmation
and unsubscribe links.

The sign-up POST is exempt from CSRF: a forged sign-up can only have a confirmation email sent
to the address typed, exactly what the form does for anyone, and the box on the calls' index
posts here without a token, so that page stays in the anonymous page cache. The unsubscribe
POST is exempt too: RFC 8058's one-click POST comes from the mail client, without a token.
The token pages are ``no-store`` and ``noindex``; a GET only shows a button (mail scanners
open links), a POST acts.
"""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from home import ratelimit
from home.private import private_view

from . import signup
from .forms import SignupForm


@csrf_exempt  # see the module's docstring: a forged sign-up only sends the confirmation email
@require_http_methods(["GET", "HEAD", "POST"])
def signup_view(request):
    form = SignupForm(request.POST or None)
    if request.method == "POST":
        retry_after = ratelimit.over(
            request,
            "mailing:signup",
            limit=settings.MAILING_SIGNUP_LIMIT,
            seconds=settings.MAILING_SIGNUP_WINDOW,
            what="Rate limit of the mailing list's sign-ups not applied",
        )
        if retry_after is not None:
            context = {"retry_after_minutes": max(1, -(-retry_after // 60))}
            response = render(request, "mailing/too_many.html", context, status=429)
            response["Retry-After"] = str(retry_after)
            add_never_cache_headers(response)
            return response
        if form.is_valid():
            data = form.cleaned_data
            signup.subscribe(data["email"], region=data["region"], role=data["role"], consent_text=form.consent_text)
            response = HttpResponseRedirect(reverse("mailing:thanks"))
            response.status_code = 303
            return response
    response = render(request, "mailing/signup.html", {"form": form}, status=400 if form.is_bound else 200)
    if form.is_bound:
        add_never_cache_headers(response)
    return response


def thanks_view(request):
    return render(request, "mailing/thanks.html", {"max_age_days": settings.MAILING_CONFIRMATION_MAX_AGE_DAYS})


@private_view
@require_http_methods(["GET", "HEAD", "POST"])
def confirm_view(request, token):
    if request.method == "POST":
        outcome = signup.confirm(token)
    else:
        outcome, _subscriber = signup.check_confirmation(token)
        if outcome == signup.CONFIRMED:
            return render(request, "mailing/confirm.html")
    if outcome == signup.CONFIRMED:
        return render(request, "mailing/confirmed.html")
    return render(request, "mailing/link_invalid.html", {"expired": outcome == signup.EXPIRED}, status=400)


@private_view
@csrf_exempt  # RFC 8058: the mail client's one-click POST carries no CSRF token
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe_view(request, token):
    if request.method == "POST":
        if signup.unsubscribe(token):
            return render(request, "mailing/unsubscribed.html")
    elif signup.subscriber_for_unsubscribe(token) is not None:
        return render(request, "mailing/unsubscribe.html")
    return render(request, "mailing/unsubscribe_invalid.html", status=400)
