"""One-time sign-in tokens never reach a log: gunicorn's access log (the real gunicorn, on a
loopback port, with config/gunicorn.py), runserver's request lines and Django's own records."""

import io
import logging
import os
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.urls import reverse

from home.log_redaction import MASK, RedactSecretsFilter, redact

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "AAAAAQ1secretTOKENvalue0123456789abcdef"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def sign_in_path():
    return reverse("applicants:sign_in", args=[TOKEN]) + "?suite=/espace-candidat/"


def test_the_sign_in_url_is_one_the_logs_mask():
    assert redact(sign_in_path()) == f"/espace-candidat/connexion/{MASK}/?suite=/espace-candidat/"
    assert redact("/histoires/?page=2") == "/histoires/?page=2"


def child_env(tmp_path, **extra):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "REDIS_URL": "",
        "PYTHONUNBUFFERED": "1",
        **extra,
    }
    return env


def wait_for(process, marker):
    """Read the process's output until ``marker``; what was read, for the assertions."""
    seen = []
    for line in process.stdout:
        seen.append(line)
        if marker in line:
            return "".join(seen)
    pytest.fail("The server stopped before it was ready:\n" + "".join(seen))


def get(port, path):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def stop(process):
    process.send_signal(signal.SIGTERM)
    output, _ = process.communicate(timeout=120)
    return output


def test_gunicorn_access_log_masks_the_token(tmp_path):
    port = free_port()
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "config/gunicorn.py", "config.wsgi"],
        cwd=ROOT,
        env=child_env(
            tmp_path,
            DJANGO_SETTINGS_MODULE="config.settings.test",
            GUNICORN_BIND=f"127.0.0.1:{port}",
            WEB_CONCURRENCY="1",
            GUNICORN_THREADS="1",
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        started = wait_for(process, "Booting worker")
        status = get(port, sign_in_path())
        started += wait_for(process, f'" {status} ')  # the access line, written after the response
    finally:
        output = started + stop(process) if "started" in locals() else stop(process)
    assert status in (200, 503)  # an empty database here: the line is logged either way
    assert f'"GET /espace-candidat/connexion/{MASK}/" {status}' in output, output
    assert TOKEN not in output


def test_runserver_and_django_request_logs_mask_the_token(tmp_path):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", "--skip-checks", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=child_env(tmp_path, DJANGO_SETTINGS_MODULE="config.settings.dev", DEBUG="False", ALLOWED_HOSTS="*"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        started = wait_for(process, "Quit the server")
        status = get(port, sign_in_path())
        started += wait_for(process, f'" {status} ')  # the request line, written after the response
    finally:
        output = started + stop(process) if "started" in locals() else stop(process)
    # The database has no table (SQLite: an OperationalError, hence a 503), and both loggers
    # write the path.
    assert status == 503, output
    assert f"Service Unavailable: /espace-candidat/connexion/{MASK}/" in output, output  # django.request
    assert f'"GET /espace-candidat/connexion/{MASK}/?suite=/espace-candidat/ HTTP/1.1" 503' in output  # django.server
    assert TOKEN not in output


def test_djangos_records_are_masked_for_every_handler():
    handler = next(
        h for h in logging.getLogger().handlers if any(isinstance(f, RedactSecretsFilter) for f in h.filters)
    )
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        try:
            raise ValueError(f"while serving {sign_in_path()}")
        except ValueError:
            logging.getLogger("django.request").exception("Internal Server Error: %s", sign_in_path())
        logging.getLogger("django.request").error("Not Found: %s", sign_in_path())
    finally:
        handler.setStream(previous)
    written = stream.getvalue()
    assert f"Internal Server Error: /espace-candidat/connexion/{MASK}/" in written
    assert f"Not Found: /espace-candidat/connexion/{MASK}/" in written
    assert f"ValueError: while serving /espace-candidat/connexion/{MASK}/" in written
    assert TOKEN not in written
