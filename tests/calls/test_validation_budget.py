"""The validation budget: every file a client sends to be checked counts, by number and by
bytes, whatever becomes of the form; past either limit, a French 429 before any check."""

import re
import types

import pytest

from calls.models import Application, Attachment
from calls.submission import count_validation
from tests.calls.factories import jpeg_file, pdf_file, valid_answers
from tests.calls.test_submission import private_files

pytestmark = pytest.mark.django_db

WINDOW_START = 1_800_000_000.0  # a multiple of 3600


@pytest.fixture(autouse=True)
def clock(monkeypatch, settings):
    settings.CALLS_VALIDATION_WINDOW = 3600
    settings.CALLS_VALIDATION_FILE_LIMIT = 3
    settings.CALLS_VALIDATION_BYTE_LIMIT = 10 * 1024 * 1024
    now = types.SimpleNamespace(value=WINDOW_START + 600)
    monkeypatch.setattr("home.ratelimit.time", types.SimpleNamespace(time=lambda: now.value))
    return now


def token_for(client, page):
    html = client.get(page.url).content.decode()
    return re.search(r'name="qc_jeton" value="([0-9a-f-]+)"', html).group(1)


def post(client, page, address="203.0.113.5", **fields):
    answers = {**valid_answers(), "qc_jeton": token_for(client, page), **fields}
    return client.post(page.url, answers, REMOTE_ADDR=address)


def test_files_checked_in_forms_sent_back_with_errors_count_until_a_french_429(client, call, settings, clock):
    # A form with an error stores nothing, but its files were checked: they count.
    first = post(client, call, nom_du_commerce="", photo_du_local=jpeg_file(), business_plan=pdf_file())
    assert first.status_code == 200
    assert Application.objects.count() == 0
    kept = private_files(settings)  # the accepted files, kept with the answers for the next try
    response = post(client, call, photo_du_local=jpeg_file(), business_plan=pdf_file())
    assert response.status_code == 429
    assert response["Retry-After"] == "3000"  # the end of the window
    assert "no-cache" in response["Cache-Control"]
    html = response.content.decode()
    assert "Trop de fichiers envoyés depuis votre connexion" in html
    assert "Rien n'a été enregistré." in html and "dans 50 minutes environ" in html
    assert Application.objects.count() == 0 and Attachment.objects.count() == 0
    assert private_files(settings) == kept
    # Another address has its own budget; the next window starts afresh.
    assert post(client, call, "198.51.100.7", photo_du_local=jpeg_file(), business_plan=pdf_file()).status_code == 303
    clock.value += 3600
    assert post(client, call, photo_du_local=jpeg_file(), business_plan=pdf_file()).status_code == 303


def test_bytes_count_as_well_as_files(client, call, settings):
    settings.CALLS_VALIDATION_FILE_LIMIT = 100
    plan = pdf_file()
    settings.CALLS_VALIDATION_BYTE_LIMIT = plan.size + 10
    assert post(client, call, nom_du_commerce="", business_plan=plan).status_code == 200
    assert post(client, call, business_plan=pdf_file()).status_code == 429


def test_a_post_without_files_is_neither_counted_nor_refused(client, call, settings):
    settings.CALLS_VALIDATION_FILE_LIMIT = 0
    for _ in range(3):
        assert post(client, call, nom_du_commerce="").status_code == 200


def test_the_counting_function_takes_numbers_from_other_views(rf, settings):
    settings.CALLS_VALIDATION_FILE_LIMIT = 2
    request = rf.post("/", REMOTE_ADDR="192.0.2.9")
    assert count_validation(request) is None  # no file: nothing counted
    assert count_validation(request, files=2, size=1000) is None
    assert count_validation(request, files=1, size=10) == 3000
