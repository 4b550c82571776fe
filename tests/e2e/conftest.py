"""Fixtures of the browser harness: Debian's Chromium driven by Playwright against pytest-django's live_server.

See tests/e2e/README.md for how to add a journey, and harness.py for check_axe, validate_html, screenshot.
"""

import json
import os
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from pytest_django.live_server_helper import LiveServer

from . import harness


@pytest.fixture(scope="module", autouse=True)
def _allow_orm_beside_playwright():
    """Let the ORM run while Playwright's sync API holds an event loop in the test thread.

    Django refuses ORM calls when an event loop runs in the thread (SynchronousOnlyOperation), and
    Playwright's sync API keeps one; the known fix is DJANGO_ALLOW_ASYNC_UNSAFE
    (https://github.com/microsoft/playwright-pytest/issues/29). Django reads it at each call, so it is
    set only while the browser tests of a module run, and restored afterwards.
    """
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="module")
def browser(_allow_orm_beside_playwright):
    """One headless Chromium per test module (/usr/bin/chromium, or CHROMIUM_PATH)."""
    reason = harness.missing_browser_tools()
    if reason:
        pytest.skip(reason)
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright's sync API leaves an event loop marked as running in this thread. Django's
    # connection handler then stores connections per async context (asgiref's Local), so the tests
    # would get a second, fresh connection: without the serialized test data (the serialized
    # rollback would not restore Wagtail's root page after the flush) and, on PostgreSQL, an extra
    # session. Handing the thread's own connections to that context keeps one connection per thread.
    originals = {alias: connections[alias] for alias in connections}
    playwright = sync_playwright().start()
    for alias, connection in originals.items():
        connections[alias] = connection
    try:
        chromium = playwright.chromium.launch(executable_path=str(harness.CHROMIUM), args=harness.CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    finally:
        for alias in originals:
            del connections[alias]
        playwright.stop()


@pytest.fixture
def csp_violations():
    """Content-Security-Policy violations seen in the pages of ``page_at`` during the test.

    The test fails at its end if any was seen (see ``page_at``); a test that provokes one on
    purpose empties the list after checking it.
    """
    return []


@pytest.fixture
def page_at(browser, csp_violations):
    """``page_at(width, javascript=True)``: a fresh page (own context: no cookies shared) at that width.

    The height is the one of harness.VIEWPORTS for 375 and 1280 px, else 900 px. Every
    Content-Security-Policy violation in its pages (console or securitypolicyviolation event)
    fails the test.
    """
    contexts = []

    def open_page(width, *, height=None, javascript=True):
        context = browser.new_context(
            viewport={"width": width, "height": height or harness.VIEWPORTS.get(width, 900)},
            locale="fr-FR",
            java_script_enabled=javascript,
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        harness.watch_csp_violations(context, csp_violations)
        page = context.new_page()
        return page if javascript else harness.without_javascript(page)

    yield open_page
    for context in contexts:
        context.close()
    if csp_violations:
        listing = harness.format_csp_violations(csp_violations)
        pytest.fail(f"{len(csp_violations)} Content-Security-Policy violation(s):\n{listing}")


def media_settings(root):
    """Settings that put uploads and renditions under ``root`` (as tests/conftest.py does per test)."""
    public, private = str(root / "public"), str(root / "private")
    return {
        "MEDIA_ROOT": public,
        "PRIVATE_MEDIA_ROOT": private,
        "STORAGES": {
            **settings.STORAGES,
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": public}},
            "private": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": private, "base_url": None},
            },
        },
    }


@pytest.fixture(scope="module")
def e2e_media(tmp_path_factory):
    return tmp_path_factory.mktemp("e2e-media")


@pytest.fixture(autouse=True)
def _media_in_tmp(e2e_media):
    """Overrides tests/conftest.py: one media folder per module, the one its demo site was built in."""
    with override_settings(**media_settings(e2e_media)):
        yield


@dataclass
class DemoSite:
    url: str
    home: object

    def at(self, path):
        return self.url + path


def assert_test_database(connection):
    """The module fixture commits and flushes: make sure it is the test database, never a real one."""
    name = str(connection.settings_dict["NAME"])
    in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
    if not (in_memory or name.startswith("test_") or name == connection.settings_dict["TEST"].get("NAME")):
        raise RuntimeError(f"Refusing to build the demo site in {name!r}: not a test database.")


def restore_snapshot(connection, snapshot):
    """Load a ``serialize_db_to_string()`` snapshot into the flushed database, content types first.

    Django serializes app by app in INSTALLED_APPS order, so Wagtail's tasks come before the content
    types; building a GroupApprovalTask calls ``ContentType.objects.get_for_model``, which would
    create its content type again when the process has not cached it (a reused test database), and
    the snapshot's own row would then collide with it.
    """
    objects = json.loads(snapshot)
    objects.sort(key=lambda obj: obj["model"] != "contenttypes.contenttype")  # stable: keeps the rest
    connection.creation.deserialize_db_from_string(json.dumps(objects))


@pytest.fixture(scope="module")
def _demo_site_for_module(request, django_db_setup, django_db_blocker, e2e_media):
    """Build the demo site once per module and serve it; leave the database as it was found.

    ``load_demo_content`` with its stories, images and renditions takes several seconds, too long to
    repeat for each test as pytest-django's function-scoped ``live_server`` would need (it flushes the
    database after each test). So the content is committed once, served by pytest-django's LiveServer
    (the class behind ``live_server``), and at the end of the module the database is flushed and
    restored from a snapshot taken before, as Django's serialized rollback does.

    A test module may define ``extra_demo_content(home)``: it runs after ``load_demo_content``, and
    what it creates (a reviewer account, an application) is committed, so the live server sees it
    on PostgreSQL too.
    """
    from django.db import connection

    with django_db_blocker.unblock(), override_settings(**media_settings(e2e_media)):
        assert_test_database(connection)
        snapshot = connection.creation.serialize_db_to_string()
        try:
            with open(os.devnull, "w") as devnull:
                call_command("load_demo_content", stdout=devnull)
            from home.models import HomePage

            home = HomePage.objects.get()
            extra = getattr(request.module, "extra_demo_content", None)
            if extra is not None:
                extra(home)
            server = LiveServer("localhost")
            try:
                yield DemoSite(url=server.url, home=home)
            finally:
                server.stop()
        finally:
            call_command("flush", verbosity=0, interactive=False, reset_sequences=False, inhibit_post_migrate=True)
            restore_snapshot(connection, snapshot)


@pytest.fixture
def demo_site(_demo_site_for_module, db):
    """The demo site of the module (``.url``, ``.at(path)``, ``.home``), with database access for the test.

    The test body runs in a transaction rolled back at its end (pytest-django's ``db``): on PostgreSQL
    the live server does not see what the test body creates, so create it in the module's
    ``extra_demo_content(home)`` (see above) or through the site. What the live server writes during a
    journey (a form sent) stays until the end of the module. A journey that needs a database of its
    own can use pytest-django's ``live_server`` with ``transactional_db`` and build its data itself.
    """
    return _demo_site_for_module


@pytest.fixture
def validator():
    """Skip unless Java and vnu.jar are there."""
    reason = harness.missing_validator_tools()
    if reason:
        pytest.skip(reason)
    return harness.validate_html


@pytest.fixture
def files(tmp_path):
    """A photo (JPEG) and a one-page business plan (PDF), as an applicant attaches them."""
    import io

    from PIL import Image
    from pypdf import PdfWriter

    photo = tmp_path / "devanture.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (180, 90, 30)).save(buffer, format="JPEG")
    photo.write_bytes(buffer.getvalue())
    plan = tmp_path / "business-plan.pdf"
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    with plan.open("wb") as handle:
        writer.write(handle)
    return {"photo": str(photo), "plan": str(plan)}
