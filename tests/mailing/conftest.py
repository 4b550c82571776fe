import pytest

from tests.calls.factories import CallIndexPageFactory


@pytest.fixture
def call_index(home_page):
    return CallIndexPageFactory(parent=home_page)


@pytest.fixture
def sign_up(client, django_capture_on_commit_callbacks):
    """POST the public form (its on-commit email sent at once); return the response."""

    def _sign_up(email="awa@example.org", client_ip="10.1.0.1", **extra):
        data = {"email": email, "region": "ile-de-france", "role": "commerce", "consent": "on", **extra}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/prevenez-moi/", data, REMOTE_ADDR=client_ip)

    return _sign_up
