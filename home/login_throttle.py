"""Login throttling with one limit per kind of lockout (django-axes' ``AXES_HANDLER``).

``AXES_LOCKOUT_PARAMETERS`` locks three ways: a username from one address (someone mistyping
their password, or guessing one account's), an address alone (one client trying one password
on many usernames), a username alone (one account attacked from many addresses). django-axes
compares them all to the one ``AXES_FAILURE_LIMIT``; its maintainers' answer for distinct
limits is a custom handler (https://github.com/jazzband/django-axes/issues/661), which this is.

How: axes locks when ``get_failures() >= get_failure_limit()``, both when a failure is
recorded and when a login is tried. ``get_failures`` here returns, over the lockout
parameters, the largest ``failures - own limit``, shifted by ``AXES_FAILURE_LIMIT``: it
reaches ``AXES_FAILURE_LIMIT`` exactly when one kind reaches its own limit, and for the
(username, address) pair, whose limit is ``AXES_FAILURE_LIMIT``, it is the real count.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def limit_for(parameter, default):
    """Failures allowed for one of ``AXES_LOCKOUT_PARAMETERS`` (a name or a list of names)."""
    if parameter == "ip_address":
        return settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS
    if parameter == "username":
        return settings.LOGIN_FAILURE_LIMIT_PER_USERNAME
    return default


class PerParameterLimitsHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None):
        base = get_failure_limit(request, credentials)
        parameters = get_lockout_parameters(request, credentials)
        # One queryset per parameter, in the same order, within the cool-off.
        attempts_list = self.get_user_attempts(request, credentials)
        margins = [
            (attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0) - limit_for(parameter, base)
            for parameter, attempts in zip(parameters, attempts_list, strict=True)
        ]
        return base + max(margins)

    def reset_user_attempts(self, request, credentials=None):
        """A successful login forgives this username's failures from this address only.

        axes would delete every attempt matching any lockout parameter: all the failures of
        the address (so an attacker holding one valid account could log in with it between
        guesses at others and never be locked by address) and all those of the username
        from every address.
        """
        count, _ = AccessAttempt.objects.filter(
            username=get_client_username(request, credentials), ip_address=request.axes_ip_address
        ).delete()
        return count
