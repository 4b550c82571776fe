"""The Content-Security-Policy in a real browser: Wagtail's admin pages load without a single
violation under ADMIN_CSP_DIRECTIVES, a signed-in editor's public page (with Wagtail's userbar)
too, and the harness does fail on a violation (page_at fails any test that sees one)."""

import pytest
from playwright.sync_api import expect

from tests.e2e.harness import check_axe

pytestmark = pytest.mark.e2e

PASSWORD = "motdepasse-solide-42"


def extra_demo_content(home):
    from home.models import User

    User.objects.create_superuser("csp-admin", "csp@example.org", PASSWORD)


def log_in(page, demo_site):
    page.goto(demo_site.at("/admin/login/"))
    page.locator("#id_username").fill("csp-admin")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(demo_site.at("/admin/"))


def admin_paths(home):
    """The admin's main screens, and the editor of one page of each type."""
    from wagtail.models import Page

    from home.models import CustomImage
    from tests.e2e.harness import public_pages_by_type

    pages, _ = public_pages_by_type()
    paths = [
        "/admin/",
        f"/admin/pages/{home.pk}/",
        "/admin/images/",
        "/admin/documents/",
        "/admin/snippets/",
        "/admin/users/",
        "/admin/groups/",
        "/admin/settings/home/sitesettings/",
        "/admin/redirects/",
        "/admin/reports/locked/",
        "/admin/moderation/",
        f"/admin/pages/add/home/programmepage/{home.pk}/",
    ]
    paths += [f"/admin/pages/{page.pk}/edit/" for page in pages.values()]
    first_image = CustomImage.objects.first()
    if first_image is not None:
        paths.append(f"/admin/images/{first_image.pk}/")
    assert Page.objects.count() > 3
    return paths


def test_admin_pages_load_without_csp_violation(demo_site, page_at, csp_violations):
    page = page_at(1280)
    log_in(page, demo_site)
    for path in admin_paths(demo_site.home):
        response = page.goto(demo_site.at(path))
        assert response.status < 400, path
        assert "'unsafe-inline'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
    # The editor's scripts did run under the policy: the page editor's tabs work.
    page.goto(demo_site.at(f"/admin/pages/{demo_site.home.pk}/edit/"))
    expect(page.get_by_role("tab").first).to_be_visible()
    assert not csp_violations


def test_public_page_for_a_signed_in_editor_has_no_violation(demo_site, page_at):
    page = page_at(1280)
    log_in(page, demo_site)
    response = page.goto(demo_site.at("/"))
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    check_axe(page, "accueil (éditeur connecté)")


def test_the_harness_catches_a_violation(demo_site, page_at, csp_violations):
    page = page_at(375)
    response = page.goto(demo_site.at("/"))
    assert "script-src 'self';" in response.headers["content-security-policy"] + ";"
    page.evaluate(
        "document.body.appendChild(Object.assign(document.createElement('script'), "
        "{textContent: 'window.injected = 1'}))"
    )
    page.wait_for_timeout(300)
    assert page.evaluate("window.injected") is None  # refused by the policy
    assert any(report.get("directive", "").startswith("script-src") for report in csp_violations)
    assert any("Content Security Policy" in report.get("console", "") for report in csp_violations)
    csp_violations.clear()  # provoked on purpose: page_at must not fail this test
