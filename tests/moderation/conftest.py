import pytest

from tests.calls.factories import CallIndexPageFactory
from tests.factories import UserFactory
from tests.moderation.factories import ApplicationFactory, make_call, user_in


@pytest.fixture
def call_index(home_page):
    return CallIndexPageFactory(parent=home_page)


@pytest.fixture
def call(call_index):
    return make_call(call_index, title="Appel 2040", slug="appel-2040")


@pytest.fixture
def other_call(call_index):
    return make_call(call_index, title="Appel 2041", slug="appel-2041")


@pytest.fixture
def application(call):
    return ApplicationFactory(page=call)


@pytest.fixture
def moderator(db):
    return user_in("Modérateurs", username="moderatrice", first_name="Mona", last_name="Dupont")


@pytest.fixture
def reviewer(db):
    return user_in("Évaluateurs", username="evaluateur", first_name="Rémi", last_name="Martin")


@pytest.fixture
def other_reviewer(db):
    return user_in("Évaluateurs", username="evaluatrice", first_name="Rita", last_name="Bernard")


@pytest.fixture
def editor(db):
    return user_in("Éditeurs", username="editrice", first_name="Eve", last_name="Leroy")


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", is_superuser=True, is_staff=True)
