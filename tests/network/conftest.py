import time

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from applicants.auth import SESSION_EMAIL, SESSION_SEEN
from tests.factories import UserFactory

from .factories import make_agenda


def space_session(email):
    """A session store signed in to the applicant's space as ``email``."""
    session = SessionStore()
    session[SESSION_EMAIL] = email
    session[SESSION_SEEN] = int(time.time())
    session.save()
    return session


@pytest.fixture
def space_request():
    """A GET request signed in to the applicant's space as ``email`` (None: nobody)."""

    def _request(email=None, user=None):
        request = RequestFactory().get("/agenda/")
        request.session = space_session(email) if email else SessionStore()
        request.user = user or AnonymousUser()
        return request

    return _request


@pytest.fixture
def signed_in_client(client):
    """``client`` signed in to the applicant's space as ``email``, through its session cookie."""

    def _sign_in(email):
        session = space_session(email)
        client.cookies["sessionid"] = session.session_key
        return client

    return _sign_in


@pytest.fixture
def team_user(db):
    """A staff user allowed to see the laureates (the team)."""
    user = UserFactory(username="equipe", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_laureate", content_type__app_label="laureates"))
    return user


@pytest.fixture
def agenda(home_page):
    return make_agenda(home_page)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the code given, then what it left for after its commit (emails sent by the immediate
    task backend, the CDN purges)."""

    def _run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return _run
