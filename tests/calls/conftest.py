import pytest

from tests.calls.factories import CallIndexPageFactory, make_call


@pytest.fixture
def call_index(home_page):
    return CallIndexPageFactory(parent=home_page)


@pytest.fixture
def call(call_index):
    return make_call(call_index, slug="appel-2030", title="Appel à candidatures 2030")


@pytest.fixture
def get_token(client):
    """GET the call page and return the submission token the form carries."""
    import re

    def _get(page):
        html = client.get(page.url).content.decode()
        return re.search(r'name="qc_jeton" value="([0-9a-f-]+)"', html).group(1)

    return _get
