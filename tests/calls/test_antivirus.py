"""The antivirus hook, against Debian's real clamd (the ``clamd`` fixture starts it)."""

import logging
import os
import socket
import threading

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from calls.attachments.validation import validate_upload
from calls.models import Application, DraftFile
from tests.calls import samples
from tests.calls.factories import jpeg_file, pdf_file, valid_answers

MB = 1024 * 1024


@pytest.fixture(autouse=True)
def _french():
    with translation.override("fr"):
        yield


@pytest.fixture
def scanning(settings, clamd):
    settings.CLAMAV_SOCKET = clamd["socket"]
    settings.CLAMAV_HOST = ""
    settings.CLAMAV_TIMEOUT = 10
    settings.CLAMAV_FAIL_OPEN = False
    return clamd


@pytest.fixture
def silent_daemon(tmp_path):
    """A unix socket that accepts connections and reads, but never answers (a hung clamd)."""
    path = str(tmp_path / "muet.sock")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen()
    accepted = []
    stop = threading.Event()

    def serve():
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                connection, _address = server.accept()
            except OSError:
                continue
            accepted.append(connection)  # kept open, never answered

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield path, accepted
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    server.close()


def private_files(settings):
    found = []
    for folder, _dirs, files in os.walk(settings.PRIVATE_MEDIA_ROOT):
        found += [os.path.join(folder, name) for name in files]
    return found


def refused(name, data, kinds=("pdf",)):
    with pytest.raises(ValidationError) as caught:
        validate_upload(samples.upload(name, data), list(kinds), MB)
    return caught.value.code, caught.value.messages[0]


# --- An infected file ----------------------------------------------------------------------


@pytest.mark.django_db
def test_eicar_inside_a_valid_pdf_is_refused_by_the_call_page_and_nothing_is_stored(
    client, call, get_token, settings, scanning
):
    infected = samples.upload("business-plan.pdf", samples.pdf_with_eicar(), "application/pdf")
    payload = {**valid_answers(), "qc_jeton": get_token(call), "projet": "Mon projet détaillé"}
    response = client.post(call.url, {**payload, "photo_du_local": jpeg_file(), "business_plan": infected})
    assert response.status_code == 200
    html = response.content.decode()
    assert Application.objects.count() == 0
    # Only the photo, which passed its checks, is kept (in the browser's draft): never the
    # infected file.
    kept = DraftFile.objects.get()
    assert kept.field_key == "photo_du_local"
    assert [path.rsplit("/", 1)[-1] for path in private_files(settings)] == [kept.file.name.rsplit("/", 1)[-1]]
    assert 'id="id_business_plan_error"' in html
    assert "Le fichier « business-plan.pdf » contient un virus (Eicar-Test-Signature" in html
    assert "il n&#x27;a pas été enregistré." in html
    assert "Mon projet détaillé" in html  # the other answers are kept


def test_eicar_is_refused_over_tcp_too(settings, clamd):
    settings.CLAMAV_SOCKET = ""
    settings.CLAMAV_HOST, settings.CLAMAV_PORT = clamd["host"], clamd["port"]
    code, message = refused("statuts.pdf", samples.pdf_with_eicar())
    assert code == "virus"
    assert message.startswith("Le fichier « statuts.pdf » contient un virus (Eicar-Test-Signature")
    assert message.endswith(" : il n'a pas été enregistré.")
    assert "Format" not in message  # the format was fine: no list of accepted formats


def test_clean_pdf_passes_the_scan(scanning):
    assert validate_upload(samples.upload("plan.pdf", samples.pdf_bytes()), ["pdf"], MB).kind == "pdf"


@pytest.mark.django_db
def test_clean_files_are_stored_through_the_call_page(client, call, get_token, settings, scanning):
    payload = {**valid_answers(), "qc_jeton": get_token(call)}
    response = client.post(call.url, {**payload, "photo_du_local": jpeg_file(), "business_plan": pdf_file()})
    assert response.status_code == 303
    assert Application.objects.get().attachments.count() == 2
    assert len(private_files(settings)) == 2


# --- A daemon that does not answer ----------------------------------------------------------


def test_nothing_listening_fails_closed_with_a_french_message(settings, tmp_path, caplog):
    settings.CLAMAV_SOCKET = str(tmp_path / "absent.sock")
    settings.CLAMAV_FAIL_OPEN = False
    with caplog.at_level(logging.ERROR, logger="calls.attachments.antivirus"):
        code, message = refused("plan.pdf", samples.pdf_bytes())
    assert code == "scan_unavailable"
    assert message == (
        "Le fichier « plan.pdf » n'a pas pu être vérifié par l'antivirus pour le moment : "
        "il n'a pas été enregistré. Réessayez dans quelques minutes."
    )
    assert "file refused (fail closed)" in caplog.text


def test_a_daemon_that_never_replies_fails_closed_after_the_timeout(settings, silent_daemon):
    path, accepted = silent_daemon
    settings.CLAMAV_SOCKET, settings.CLAMAV_TIMEOUT, settings.CLAMAV_FAIL_OPEN = path, 0.5, False
    code, _message = refused("photo.png", samples.image_bytes("PNG"), kinds=["png"])
    assert code == "scan_unavailable"
    assert accepted  # it did connect: the reply is what never came


@pytest.mark.django_db
def test_fail_closed_keeps_the_other_answers_on_the_call_page(client, call, get_token, settings, silent_daemon):
    settings.CLAMAV_SOCKET, settings.CLAMAV_TIMEOUT, settings.CLAMAV_FAIL_OPEN = silent_daemon[0], 0.5, False
    payload = {**valid_answers(), "qc_jeton": get_token(call), "projet": "Mon projet détaillé"}
    response = client.post(call.url, {**payload, "business_plan": pdf_file()})
    html = response.content.decode()
    assert response.status_code == 200
    assert Application.objects.count() == 0
    assert "n&#x27;a pas pu être vérifié par l&#x27;antivirus" in html
    assert 'id="id_business_plan_error"' in html
    assert "Mon projet détaillé" in html


def test_fail_open_accepts_and_logs_the_outage(settings, silent_daemon, caplog):
    settings.CLAMAV_SOCKET, settings.CLAMAV_TIMEOUT, settings.CLAMAV_FAIL_OPEN = silent_daemon[0], 0.5, True
    with caplog.at_level(logging.ERROR, logger="calls.attachments.antivirus"):
        clean = validate_upload(samples.upload("plan.pdf", samples.pdf_bytes()), ["pdf"], MB)
    assert clean.kind == "pdf"
    [record] = [r for r in caplog.records if r.name == "calls.attachments.antivirus"]
    assert record.levelno == logging.ERROR
    assert "accepted without a scan" in record.getMessage()
    assert "timed out" in record.getMessage()


# --- Off by default -------------------------------------------------------------------------


def test_without_a_setting_nothing_is_scanned(settings):
    # The defaults of config/settings/base.py: neither a socket nor a host.
    assert settings.CLAMAV_SOCKET == "" and settings.CLAMAV_HOST == ""
    # EICAR, which the daemon refuses above, goes through: no scanner was asked.
    assert validate_upload(samples.upload("plan.pdf", samples.pdf_with_eicar()), ["pdf"], MB).kind == "pdf"
