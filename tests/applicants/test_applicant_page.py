"""The applicant's page: their applications (call, reference, status and the date of each
change, what the team asked), never another applicant's; its query count is pinned."""

import pytest

from calls.models import Status
from moderation.workflow import transition
from tests.moderation.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def test_lists_own_applications_with_each_status_change(
    client, sign_in, awa_application, other_application, admin_user
):
    transition(awa_application, Status.EN_INSTRUCTION, admin_user, "note interne à l'équipe")
    transition(awa_application, Status.INFORMATIONS_DEMANDEES, admin_user, "Envoyez le bail commercial.")
    sign_in()
    html = client.get("/espace-candidat/").content.decode()
    assert awa_application.reference in html and awa_application.page.title in html
    assert "Informations demandées" in html and "En instruction" in html and "Reçue" in html
    assert "Envoyez le bail commercial." in html
    assert "note interne" not in html  # only the request is addressed to the applicant
    assert other_application.reference not in html


def test_spam_is_not_listed(client, sign_in, awa_application, closed_call):
    spam = ApplicationFactory(page=closed_call, applicant_email="awa@example.org", is_spam=True)
    sign_in()
    assert spam.reference not in client.get("/espace-candidat/").content.decode()


def test_query_count_of_the_applicant_page(client, sign_in, closed_call, django_assert_max_num_queries, admin_user):
    for _ in range(4):
        application = ApplicationFactory(page=closed_call, applicant_email="awa@example.org")
        transition(application, Status.EN_INSTRUCTION, admin_user)
    sign_in()
    client.get("/espace-candidat/")
    # session, applications, their history, drafts, their files, then the layout (site,
    # menu, settings) and the session renewal: constant whatever the number of applications.
    with django_assert_max_num_queries(12):
        response = client.get("/espace-candidat/")
    assert response.content.decode().count("QC-2099-") >= 4
