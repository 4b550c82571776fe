"""Drafts probed as an attacker and a careless user would:

- budgets: the bytes drafts store and the resume links they email are counted per client
  address (for one call and for all calls) and per email address; past one, a French 429
  and nothing stored or sent, whatever the button (« Enregistrer… », « Suivant », a page
  shown again with errors);
- a shared computer: signing out forgets the browser's drafts; the draft lives in a session
  cookie (gone when the browser closes) and is forgotten after an idle time; the form says so;
- a planted draft (saved with someone else's address) reaches that space only once the
  address opened the emailed link;
- the resume link: valid for days, reusable until the draft is sent, opens that draft only,
  revocable (a new link, a revocation, sending the draft).
"""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from calls import drafts
from calls.models import Application, Draft, DraftFile
from tests.applicants.conftest import RESUME_RE
from tests.calls.factories import CallIndexPageFactory, exe_renamed_pdf, jpeg_file, make_call, valid_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(home_page):
    index = CallIndexPageFactory(parent=home_page, slug="appels-ouverts")
    return make_call(index, slug="appel-ouvert", title="Appel ouvert")


def token_of(client, call):
    html = client.get(call.url).content.decode()
    return re.search(r'name="qc_jeton" value="([0-9a-f-]+)"', html).group(1)


def save(client, call, capture, address="203.0.113.7", **answers):
    data = {"qc_jeton": token_of(client, call), "qc_action": "brouillon", **answers}
    with capture(execute=True):
        return client.post(call.url, data, REMOTE_ADDR=address)


def resume_path():
    return RESUME_RE.search(mail.outbox[-1].body).group(1)


# --- budgets ------------------------------------------------------------------------------------


def test_one_client_cannot_email_dozens_of_addresses(client, call, django_capture_on_commit_callbacks, settings):
    settings.CALLS_DRAFT_EMAILS_PER_CLIENT = 3
    settings.CALLS_DRAFT_EMAILS_PER_CALL = 100
    for number in range(3):
        browser = client.__class__()
        response = save(browser, call, django_capture_on_commit_callbacks, courriel=f"cible{number}@example.org")
        assert response.status_code == 303
    browser = client.__class__()
    response = save(
        browser, call, django_capture_on_commit_callbacks, courriel="cible9@example.org", photo_du_local=jpeg_file()
    )
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    html = response.content.decode()
    assert "Trop de brouillons enregistrés" in html and "Rien n'a été enregistré ni envoyé" in html
    assert len(mail.outbox) == 3 and Draft.objects.count() == 3 and DraftFile.objects.count() == 0
    # Another client is not affected.
    response = save(client.__class__(), call, django_capture_on_commit_callbacks, "198.51.100.4", courriel="a@b.org")
    assert response.status_code == 303


def test_one_address_gets_few_links_whatever_the_clients(client, call, django_capture_on_commit_callbacks, settings):
    settings.CALLS_DRAFT_EMAILS_PER_ADDRESS = 2
    settings.APPLICANTS_LINK_MIN_INTERVAL = 0
    for number in range(2):
        response = save(
            client.__class__(), call, django_capture_on_commit_callbacks, f"198.51.100.{number}", courriel="awa@x.org"
        )
        assert response.status_code == 303
    response = save(client.__class__(), call, django_capture_on_commit_callbacks, "198.51.100.9", courriel="AWA@x.org")
    assert response.status_code == 429
    assert len(mail.outbox) == 2 and Draft.objects.count() == 2


def test_bytes_stored_by_drafts_are_counted_per_client(client, call, django_capture_on_commit_callbacks, settings):
    photo = jpeg_file("devanture.jpg", size=(400, 300))
    response = save(client, call, django_capture_on_commit_callbacks, courriel="awa@example.org", photo_du_local=photo)
    assert response.status_code == 303
    used = DraftFile.objects.get().size
    settings.CALLS_DRAFT_BYTES_PER_CLIENT = used + 500  # the first save's answers and a few bytes more
    settings.APPLICANTS_LINK_MIN_INTERVAL = 0
    # A page shown again with an error keeps accepted files: counted too.
    data = {
        **valid_answers(nom_du_commerce=""),
        "qc_jeton": token_of(client, call),
        "photo_du_local": jpeg_file("facade.jpg", size=(400, 300)),
    }
    response = client.post(call.url, data, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 429
    assert list(DraftFile.objects.values_list("display_name", flat=True)) == ["devanture.jpg"]
    assert len(mail.outbox) == 1
    # The application itself is not a draft: still accepted.
    data = {**valid_answers(), "qc_jeton": token_of(client, call), "business_plan": None}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(call.url, {k: v for k, v in data.items() if v is not None}, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 303 and Application.objects.count() == 1


def test_moving_through_steps_counts_against_the_per_call_budget(home_page, client, settings):
    from tests.calls.test_steps import STEPPED_FIELDS

    call = make_call(
        CallIndexPageFactory(parent=home_page), fields=STEPPED_FIELDS, slug="appel-etapes", form_in_steps=True
    )
    settings.CALLS_DRAFT_BYTES_PER_CALL = 100  # the step's answers would pass, not with a photo
    html = client.get(call.url).content.decode()
    data = {"qc_jeton": re.search(r'name="qc_jeton" value="([0-9a-f-]+)"', html).group(1), "qc_etape": "1"}
    response = client.post(
        call.url, {**data, "qc_action": "suivant", "nom_du_commerce": "Le Petit Zinc", "photo_du_local": jpeg_file()}
    )
    assert response.status_code == 429 and "Trop de brouillons" in response.content.decode()
    assert not Draft.objects.exists()
    assert DraftFile.objects.count() == 0


def test_saving_with_a_refused_file_says_so_and_keeps_the_rest(client, call, django_capture_on_commit_callbacks):
    response = save(
        client,
        call,
        django_capture_on_commit_callbacks,
        courriel="awa@example.org",
        photo_du_local=jpeg_file("devanture.jpg"),
        business_plan=exe_renamed_pdf(),
    )
    # Saving never validates the answers, but a refused file is said (it was not kept).
    assert response.status_code == 400
    html = response.content.decode()
    assert "sans les fichiers refusés" in html and "Il y a 2 erreurs" in html
    assert list(DraftFile.objects.values_list("display_name", flat=True)) == ["devanture.jpg"]
    assert len(mail.outbox) == 1


# --- a shared computer ---------------------------------------------------------------------------


def test_signing_out_forgets_the_drafts_of_the_browser(client, call, sign_in, awa_application):
    sign_in()
    data = {**valid_answers(nom_du_commerce="Le Petit Zinc", projet=""), "qc_jeton": token_of(client, call)}
    client.post(call.url, {**data, "photo_du_local": jpeg_file("devanture.jpg")})  # an error: the file kept
    html = client.get(call.url).content.decode()
    assert "Déjà joint : devanture.jpg" in html and 'value="Le Petit Zinc"' in html
    assert client.post("/espace-candidat/deconnexion/").status_code == 303
    html = client.get(call.url).content.decode()
    assert "devanture.jpg" not in html and "Le Petit Zinc" not in html and "Vous reprenez" not in html


def test_an_anonymous_draft_lives_until_the_browser_closes_or_an_idle_time(client, call, settings):
    settings.CALLS_DRAFT_SESSION_IDLE_MINUTES = 20
    html = client.get(call.url).content.decode()
    assert "jusqu'à sa fermeture ou 20 minutes sans activité" in html
    data = {**valid_answers(projet=""), "qc_jeton": token_of(client, call)}
    response = client.post(call.url, {**data, "photo_du_local": jpeg_file("devanture.jpg")})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == "" and cookie["max-age"] == ""  # a session cookie, not 14 days
    assert "Déjà joint : devanture.jpg" in client.get(call.url).content.decode()
    # Nineteen minutes later: still there (each request renews it).
    session = client.session
    session[drafts.SESSION_SEEN] -= 19 * 60
    session.save()
    assert "Déjà joint : devanture.jpg" in client.get(call.url).content.decode()
    # Twenty-one minutes without a request: forgotten.
    session = client.session
    session[drafts.SESSION_SEEN] -= 21 * 60
    session.save()
    html = client.get(call.url).content.decode()
    assert "devanture.jpg" not in html and 'value="Awa Diallo"' not in html
    assert drafts.SESSION_KEY not in client.session


# --- planted drafts ------------------------------------------------------------------------------


def test_a_planted_draft_reaches_a_space_only_once_the_address_confirmed(
    client, call, sign_in, other_application, django_capture_on_commit_callbacks, settings
):
    settings.APPLICANTS_LINK_MIN_INTERVAL = 0
    mallory = client.__class__()
    save(mallory, call, django_capture_on_commit_callbacks, courriel="bilal@example.org", photo_du_local=jpeg_file())
    draft = Draft.objects.get()
    link = resume_path()
    assert "Si vous n'avez pas commencé cette candidature, ignorez ce courriel" in mail.outbox[-1].body
    sign_in("bilal@example.org")
    html = client.get("/espace-candidat/").content.decode()
    assert "Aucun brouillon en cours." in html and f"/brouillons/{draft.pk}/" not in html
    assert client.get(f"/espace-candidat/brouillons/{draft.pk}/").status_code == 404
    # Bilal opens the link emailed to him: the draft is his to see from now on.
    assert client.post(link).status_code == 303
    html = client.get("/espace-candidat/").content.decode()
    assert f"/brouillons/{draft.pk}/" in html


def test_an_unconfirmed_address_is_not_known_to_the_sign_in_form(client, call, django_capture_on_commit_callbacks):
    save(client.__class__(), call, django_capture_on_commit_callbacks, courriel="zoe@example.org")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/espace-candidat/", {"email": "zoe@example.org"})
    assert mail.outbox == []  # nothing of hers in the space: no sign-in link


# --- the resume link -------------------------------------------------------------------------------


def test_the_resume_link_is_reusable_for_days_then_expires(client, call, django_capture_on_commit_callbacks, settings):
    settings.CALLS_DRAFT_LINK_MAX_AGE_DAYS = 7
    save(client, call, django_capture_on_commit_callbacks, courriel="awa@example.org", photo_du_local=jpeg_file())
    link = resume_path()
    assert "pendant 7 jours" in mail.outbox[-1].body
    draft = Draft.objects.get()
    # The next day, in another browser; then again on a third one: the same link works.
    Draft.objects.filter(pk=draft.pk).update(link_issued_at=timezone.now() - datetime.timedelta(days=1))
    for _ in range(2):
        browser = client.__class__()
        response = browser.post(link)
        assert response.status_code == 303 and response["Location"] == call.url + "#candidater"
        assert "Déjà joint : devanture.jpg" in browser.get(call.url).content.decode()
        # It opens that draft only: the space stays closed.
        assert "Recevoir un lien de connexion" in browser.get("/espace-candidat/").content.decode()
    # Past its validity: a French page, nothing opened.
    Draft.objects.filter(pk=draft.pk).update(link_issued_at=timezone.now() - datetime.timedelta(days=7, hours=1))
    browser = client.__class__()
    response = browser.post(link)
    assert response.status_code == 400 and "Ce lien ne fonctionne plus" in response.content.decode()
    assert "devanture.jpg" not in browser.get(call.url).content.decode()


def test_the_resume_link_opens_its_own_draft_only(client, call, django_capture_on_commit_callbacks):
    from django.core import signing

    save(client, call, django_capture_on_commit_callbacks, courriel="awa@example.org")
    draft = Draft.objects.get()
    other = Draft.objects.create(page=call, email="bilal@example.org", link_key=draft.link_key)
    forged = signing.dumps({"d": other.pk, "k": draft.link_key}, salt="autre")
    altered = resume_path()[:-3] + "x/"
    for path in (f"/espace-candidat/brouillons/reprendre/{forged}/", altered):
        assert client.__class__().post(path).status_code == 400
    assert Draft.objects.get(pk=other.pk).email_confirmed_at is None


def test_the_link_ends_when_sent_revoked_or_replaced(
    client, call, sign_in, django_capture_on_commit_callbacks, settings
):
    settings.APPLICANTS_LINK_MIN_INTERVAL = 0
    save(client, call, django_capture_on_commit_callbacks, courriel="awa@example.org")
    first = resume_path()
    assert client.__class__().post(first).status_code == 303  # confirmed: in the space now
    draft = Draft.objects.get()
    owner = client.__class__()
    sign_in(target=owner)
    # A new link: the old one stops working, the new one works.
    with django_capture_on_commit_callbacks(execute=True):
        response = owner.post(f"/espace-candidat/brouillons/{draft.pk}/lien/", {"action": "nouveau"})
    assert response.status_code == 303
    second = resume_path()
    assert second != first
    assert client.__class__().post(first).status_code == 400
    assert client.__class__().post(second).status_code == 303
    # Revoked: no link works any more.
    assert owner.post(f"/espace-candidat/brouillons/{draft.pk}/lien/", {"action": "revoquer"}).status_code == 303
    assert client.__class__().post(second).status_code == 400
    # Another draft's link dies with its draft once sent.
    browser = client.__class__()
    save(browser, call, django_capture_on_commit_callbacks, "198.51.100.2", courriel="zoe@example.org")
    third = resume_path()
    data = {**valid_answers(courriel="zoe@example.org"), "qc_jeton": token_of(browser, call)}
    with django_capture_on_commit_callbacks(execute=True):
        assert browser.post(call.url, data).status_code == 303
    assert client.__class__().post(third).status_code == 400
