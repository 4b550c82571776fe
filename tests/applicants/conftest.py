import re

import pytest
from django.core import mail

from tests.calls.factories import CallIndexPageFactory
from tests.moderation.factories import ApplicationFactory, make_call

LINK_RE = re.compile(r"https?://[^\s]+/espace-candidat/connexion/([A-Za-z0-9_-]+)/(\?suite=[^\s]+)?")
# The link to resume a draft (calls/drafts.py): group 1 the path, group 2 the token.
RESUME_RE = re.compile(r"https?://[^/\s]+(/espace-candidat/brouillons/reprendre/([^\s/]+)/)")


@pytest.fixture
def closed_call(home_page):
    return make_call(CallIndexPageFactory(parent=home_page), slug="appel-clos", title="Appel clos")


@pytest.fixture
def awa_application(closed_call):
    return ApplicationFactory(page=closed_call, applicant_email="Awa@Example.org")


@pytest.fixture
def other_application(closed_call):
    return ApplicationFactory(page=closed_call, applicant_email="bilal@example.org", applicant_name="Bilal Karim")


def last_token():
    """The token of the last sign-in email sent."""
    match = LINK_RE.search(mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


@pytest.fixture
def sign_in(client, django_capture_on_commit_callbacks):
    """Sign ``client`` in as ``email`` the way an applicant does: ask, read the email, POST."""

    def _sign_in(email="awa@example.org", target=client):
        with django_capture_on_commit_callbacks(execute=True):
            response = target.post("/espace-candidat/", {"email": email})
        assert response.status_code == 303
        token = last_token()
        response = target.post(f"/espace-candidat/connexion/{token}/")
        assert response.status_code == 303, response.content.decode()[:500]
        return target

    return _sign_in
