"""Every link in every email resolves to the configured site: one base URL
(``WAGTAILADMIN_BASE_URL``, home/links.py), which ``make run`` sets from HOST and PORT and the
demo's Wagtail Site follows."""

import re
import subprocess
from pathlib import Path

import pytest
from django.urls import Resolver404, resolve

from applicants import emails as applicant_emails
from applicants.auth import new_token
from applicants.models import ApplicantAccount
from calls import drafts
from calls import emails as call_emails
from calls.models import Draft, Status
from moderation import emails as moderation_emails
from moderation.reviews import assign
from moderation.workflow import transition
from tests.moderation.factories import user_in

pytestmark = pytest.mark.django_db

BASE = "http://127.0.0.1:8765"
URL = re.compile(r"https?://[^\s)»]+")
REPOSITORY = Path(__file__).resolve().parents[2]


@pytest.fixture
def base_url(settings):
    settings.WAGTAILADMIN_BASE_URL = BASE + "/"
    return BASE


def links(message):
    found = URL.findall(message.body)
    assert found, message.body
    return found


def assert_on_the_site(client, message):
    for url in links(message):
        assert url.startswith(BASE + "/"), (url, message.subject)
        path = url[len(BASE) :].split("?", 1)[0]
        try:
            resolve(path)
        except Resolver404:
            pytest.fail(f"{url} ({message.subject}) resolves to no view")
        response = client.get(url[len(BASE) :], HTTP_HOST="127.0.0.1:8765")
        assert response.status_code in (200, 302), (url, response.status_code)


def test_every_email_links_to_the_configured_site(client, base_url, awa_application):
    moderator = user_in("Modérateurs", email="mona@example.org")
    reviewer = user_in("Évaluateurs", email="remi@example.org")
    page = awa_application.page
    page.to_address = "equipe@example.org"
    page.save(update_fields=["to_address"])
    assign(awa_application, reviewer, moderator)
    transition(awa_application, Status.EN_INSTRUCTION, moderator)
    account = ApplicantAccount.objects.create(email="awa@example.org")
    draft = Draft.objects.create(page=page, email="awa@example.org")
    messages = [
        call_emails.build_confirmation(awa_application),
        call_emails.build_notification(awa_application),
        moderation_emails.build_information_request(awa_application, "Merci d'envoyer votre bail."),
        moderation_emails.build_answer_notification(awa_application, files=1),
        moderation_emails.build_assignment(reviewer.pk, [awa_application.pk]),
        applicant_emails.sign_in_message(
            account, new_token(account), f"/espace-candidat/candidatures/{awa_application.pk}/"
        ),
        applicant_emails.draft_message(account, drafts.resume_token(draft), draft),
    ]
    for message in messages:
        assert message is not None
        assert_on_the_site(client, message)
    confirmation = messages[0].body
    assert f"{BASE}/espace-candidat/candidatures/{awa_application.pk}/" in confirmation
    assert f"{BASE}/espace-candidat/candidatures/{awa_application.pk}/pdf/" in confirmation


def test_the_demo_site_is_served_where_the_links_point(base_url, home_page):
    from wagtail.models import Site

    from home.demo_content import build_site

    class Quiet:
        def write(self, *args, **kwargs):
            pass

    build_site(Quiet())
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8765)
    assert site.root_url == BASE


def test_make_run_sets_the_base_url_from_host_and_port():
    dry_run = subprocess.run(
        ["make", "-n", "run", "HOST=127.0.0.1", "PORT=8765"],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin"},
    ).stdout
    serve = [line for line in dry_run.splitlines() if "runserver" in line]
    demo = [line for line in dry_run.splitlines() if "load_demo_content" in line]
    assert serve and demo
    for line in serve + demo:
        assert f"WAGTAILADMIN_BASE_URL={BASE}" in line, line
