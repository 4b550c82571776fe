"""The sweep: every page a person can reach that no other browser test checks at both widths
with both checkers, opened once per width (375 and 1280 px) with axe-core (WCAG 2.1 A/AA) and a
screenshot, and its HTML kept for one run of the Nu HTML Checker at the end.

Who opens it: a visitor, a member laureate signed in to the applicant's space (the first
laureate of the demo's example call: their application, their laureate's space, the directory,
the resources, « Mes séances »), or a superuser in the admin (the project's admin views, the
listing and forms of its snippets and settings, and the page editor of every page type).

``test_every_named_url_is_swept_or_excluded`` is the guard: a new named URL of the project
(a view of one of its apps, or a name in one of its viewsets' namespaces) fails it until it is in
``SWEPT`` (a page of the sweep), ``COVERED_ELSEWHERE`` (a test that already checks it at both
widths with both checkers) or ``EXCLUDED`` (with the reason it is no page: POST only, a
download, a feed, a redirect, JSON).
"""

import time

import pytest
from django.apps import apps
from django.urls import URLResolver, get_resolver

from tests.e2e.harness import (
    ROOT,
    check_axe,
    format_vnu_messages,
    missing_validator_tools,
    run_vnu,
    screenshot,
    sideways_scroll,
)
from tests.e2e.test_moderation_pages import WAGTAIL_AXE, wagtail_markup

pytestmark = pytest.mark.e2e

PASSWORD = "motdepasse-solide-42"
SUBSCRIBER = "abonnee.balayage@example.org"
RESIDENT = "habitant.balayage@example.org"

# Named URLs checked at 375 and 1280 px with axe and the Nu checker by another test.
COVERED_ELSEWHERE = {
    "search:search": "test_accessibility.py, test_html_validity.py",
    "mailing:signup": "test_accessibility.py, test_html_validity.py",
    "mailing:thanks": "test_accessibility.py, test_html_validity.py",
    "moderation:queue": "test_moderation_pages.py",
    "moderation:application": "test_moderation_pages.py",
    "moderation:review": "test_moderation_pages.py",
    "moderation:ranking": "test_moderation_pages.py",
    "moderation:announce": "test_moderation_pages.py",
    "laureates_reports:index": "test_moderation_pages.py",
    "laureates_reports:report": "test_moderation_pages.py",
    "laureates:index": "test_moderation_pages.py",
    "laureates:inspect": "test_moderation_pages.py",
    "laureates:add": "test_moderation_pages.py",
    "laureates:erase_contact": "test_moderation_pages.py",
    "laureate_reports:index": "test_moderation_pages.py",
    "laureate_reports:edit": "test_moderation_pages.py",
    "calls_duplicate": "test_moderation_pages.py",
    "network_attendance:index": "test_network_attendance.py",
    "network_attendance:session": "test_network_attendance.py",
    "applicants:erase": "test_rights_and_news_journeys.py",
    "moderation:erasure_request": "test_rights_and_news_journeys.py",
}

# Named URLs that are no page to check, with the reason.
_POST = "POST only: an action that redirects to a page of the sweep"
_DOWNLOAD = "a file download (no HTML)"
_WAGTAIL = "Wagtail's own generic view of the viewset (no template or field of the project)"
EXCLUDED = {
    "healthz": "health check for the load balancer (JSON)",
    "readyz": "readiness check (JSON)",
    "robots_txt": "robots.txt (text)",
    "news_rss": "a feed (XML)",
    "news_atom": "a feed (XML)",
    "stories_rss": "a feed (XML)",
    "stories_atom": "a feed (XML)",
    "agenda_rss": "a feed (XML)",
    "agenda_atom": "a feed (XML)",
    "search:suggestions": "the search box's suggestions (JSON)",
    "territory:qpv": "the QPV lookup of the address field (JSON)",
    "territory:commune_map": "the commune's map data (JSON)",
    "territory:communes": "the postal code's communes (JSON)",
    "territory_admin:locate": "the story editor's QPV lookup (JSON)",
    "applicants:sign_out": _POST,
    "applicants:withdraw": _POST,
    "applicants:data": _POST + " (a JSON download)",
    "applicants:pdf": _DOWNLOAD + " (the application's PDF)",
    "applicants:draft": "a redirect to the call's form, which the page types' checks cover",
    "applicants:draft_delete": _POST,
    "applicants:draft_link": _POST,
    "applicants:milestone_done": _POST,
    "applicants:milestone_file": _DOWNLOAD,
    "applicants:report_file": _DOWNLOAD,
    "network:resource_file": _DOWNLOAD,
    "network_registration:register": _POST,
    "network_registration:manage_ics": _DOWNLOAD + " (.ics)",
    "network_registration:manage_feed": _POST,
    "network_registration:manage_resource": _DOWNLOAD + " (a session's document, by the registration's link)",
    "network_registration:feed": "a calendar feed (.ics)",
    "network_registration:public_feed": "a calendar feed (.ics)",
    "network_registration:mine_cancel": _POST,
    "network_registration:mine_ics": _DOWNLOAD + " (.ics)",
    "network_registration:mine_feed": _POST,
    "network_attendance:export_csv": _DOWNLOAD,
    "network_attendance:export_xlsx": _DOWNLOAD,
    "network_attendance:export_all_csv": _DOWNLOAD,
    "network_attendance:export_all_xlsx": _DOWNLOAD,
    "network_resources:file": _DOWNLOAD,
    "moderation:download": _DOWNLOAD,
    "moderation:preview": "an attachment shown inline (PDF or image), checked by test_moderation_pages.py",
    "moderation:bulk": _POST,
    "moderation:transition": _POST,
    "moderation:assign": _POST,
    "moderation:applicant_data": _POST + " (a JSON download)",
    "moderation:promote": _POST,
    "moderation:cancel_decision": _POST,
    "laureates_reports:xlsx": _DOWNLOAD,
    "laureates_reports:pdf": _DOWNLOAD,
    "laureates:add_payment": _POST,
    "laureates:change_payment": _POST,
    "laureates:leave": _POST,
    "laureates_plan:milestone_add": _POST,
    "laureates_plan:milestone_change": _POST,
    "laureates_plan:areas": _POST,
    "laureates_plan:note": _POST,
    "laureates_plan:file": _DOWNLOAD,
    "laureate_reports:export": _DOWNLOAD,
    "laureate_reports:file": _DOWNLOAD,
    "laureate_reports:delete": "Wagtail's delete confirmation (the project only refuses it when reports were sent)",
    "mailing_subscribers:add": "refused by the list's permission policy (view and delete only)",
    "mailing_subscribers:edit": "refused by the list's permission policy (view and delete only)",
    "mailing_subscribers:copy": "refused by the list's permission policy (view and delete only)",
}
# Every viewset's and snippet's generic views other than its listing, creation and edition.
WAGTAIL_GENERIC_SUFFIXES = {
    ":index_results",
    ":list_results",
    ":history",
    ":history_results",
    ":usage",
    ":delete",
    ":copy",
}


def extra_demo_content(home):
    """A superuser, the member laureate's space session, a subscriber and a resident's
    registration (committed: the live server sees them)."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from applicants.auth import SESSION_EMAIL, SESSION_SEEN
    from home.models import User
    from mailing.models import Subscriber
    from network import registration
    from network.models import Role, SessionPage

    User.objects.create_superuser("ada", "ada@example.org", PASSWORD, first_name="Ada", last_name="Lovelace")
    member = member_laureate()
    store = SessionStore()
    store[SESSION_EMAIL] = member.contact_email
    store[SESSION_SEEN] = int(time.time())
    store.set_expiry(3600)
    store.save()
    home.member_session_key = store.session_key
    Subscriber.objects.create(
        email=SUBSCRIBER, consent_text="Oui", consent_version="1", consent_at=timezone.now(), confirm_nonce="n" * 20
    )
    session = open_session()
    registration.register_person(session, name="Camille Habitant", email=RESIDENT, role=Role.HABITANT)
    SessionPage.objects.filter(pk=session.pk).update(invitation_key="balayage-invitation")


def member_laureate():
    from laureates.models import Laureate
    from moderation.demo import EXAMPLE_CALL_SLUG

    return Laureate.objects.filter(call__slug=EXAMPLE_CALL_SLUG).order_by("application__reference").first()


def open_session():
    """The demo's session open to everyone (residents, partners, laureates) with registrations open."""
    from network import registration
    from network.models import SessionPage

    for session in SessionPage.objects.live().filter(audience="tous").order_by("pk"):
        if registration.is_open(session):
            return session
    raise AssertionError("The demo has no session open to everyone with registrations open.")


def sweep():
    """``{who: [(url name, page name, path, status)]}``: who is ``visiteur``, ``membre`` (the
    member laureate in the applicant's space) or ``ada`` (a superuser in the admin). A path may
    be ``(path, button)``: the page that pressing the button there answers (a POST that changes
    nothing, the same at both widths)."""
    from wagtail.contrib.settings.registry import registry as settings_registry
    from wagtail.models import get_page_models
    from wagtail.snippets.models import get_snippet_models

    from calls.models import CallPage
    from laureates.models import ReportForm
    from mailing import tokens
    from mailing.models import Subscriber
    from network import registration_links
    from network.models import Registration, Resource, SessionPage

    member = member_laureate()
    report_form = ReportForm.objects.filter(call=member.call).order_by("pk").first()
    subscriber = Subscriber.objects.get(email=SUBSCRIBER)
    session = SessionPage.objects.get(pk=open_session().pk)
    resident = Registration.objects.get(email=RESIDENT)
    laureate_pk = member.pk
    visitor = [
        ("applicants:space", "espace candidat (connexion)", "/espace-candidat/", 200),
        ("applicants:link_sent", "lien envoyé", "/espace-candidat/lien-envoye/", 200),
        # The emailed link shows a button (mail scanners open links); with a wrong token, the
        # button leads to the page that says so (a POST, which changes nothing).
        ("applicants:sign_in", "connexion par le lien", "/espace-candidat/connexion/faux/", 200),
        (None, "lien de connexion invalide", ("/espace-candidat/connexion/faux/", "Ouvrir mon espace"), 400),
        ("applicants:draft_resume", "lien de brouillon invalide", "/espace-candidat/brouillons/reprendre/faux/", 400),
        (
            "mailing:confirm",
            "prevenez-moi (confirmer)",
            f"/prevenez-moi/confirmer/{tokens.confirm_token(subscriber)}/",
            200,
        ),
        (
            "mailing:unsubscribe",
            "prevenez-moi (se desinscrire)",
            f"/prevenez-moi/desinscription/{tokens.unsubscribe_token(subscriber)}/",
            200,
        ),
        ("network_registration:form", "inscription a une seance", f"/seances/{session.pk}/inscription/", 200),
        ("network_registration:thanks", "inscription (merci)", "/seances/merci/", 200),
        (
            "network_registration:invitation",
            "invitation d'un partenaire",
            f"/seances/invitation/{registration_links.invitation_token(session)}/",
            200,
        ),
        (
            "network_registration:manage",
            "mon inscription (habitant)",
            f"/seances/inscription/{registration_links.registration_token(resident)}/",
            200,
        ),
    ]
    signed_in = [
        ("applicants:space", "mon espace candidat", "/espace-candidat/", 200),
        ("applicants:application", "ma candidature", f"/espace-candidat/candidatures/{member.application_id}/", 200),
        (
            "applicants:correct",
            "corriger ma candidature",
            f"/espace-candidat/candidatures/{member.application_id}/corriger/",
            200,
        ),
        ("applicants:laureate", "mon espace laureat", f"/espace-candidat/laureat/{laureate_pk}/", 200),
        (
            "applicants:laureate_report",
            "mon bilan",
            f"/espace-candidat/laureat/{laureate_pk}/bilans/{report_form.pk}/",
            200,
        ),
        ("directory:list", "annuaire", "/espace-candidat/annuaire/", 200),
        ("directory:profile", "ma fiche", f"/espace-candidat/annuaire/ma-fiche/{laureate_pk}/", 200),
        ("network:resources", "ressources (membre)", "/espace-candidat/ressources/", 200),
        ("network_registration:mine", "mes seances", "/espace-candidat/mes-seances/", 200),
    ]
    sessions_index = SessionPage.objects.live().order_by("pk").first().get_parent()
    admin = [
        # Wagtail's page explorer: the root, the home page's children, the sessions' listing.
        ("wagtailadmin_explore_root", "explorateur (racine)", "/admin/pages/", 200),
        ("wagtailadmin_explore", "explorateur (accueil)", f"/admin/pages/{sessions_index.get_parent().pk}/", 200),
        ("wagtailadmin_explore", "explorateur (seances)", f"/admin/pages/{sessions_index.pk}/", 200),
        (
            "moderation:erase",
            "effacer une candidature",
            f"/admin/moderation/application/{member.application_id}/erase/",
            200,
        ),
        ("laureates:edit", "modifier un laureat", f"/admin/laureats/edit/{laureate_pk}/", 200),
        ("laureates_plan:plan", "parcours (equipe)", f"/admin/laureats/parcours/{laureate_pk}/", 200),
        ("laureate_reports:add", "nouveau formulaire de bilan", "/admin/laureats/bilans/new/", 200),
        ("network_directory_admin:list", "annuaire (equipe)", "/admin/annuaire/", 200),
        ("network_resources:index", "ressources du reseau", "/admin/reseau/ressources/", 200),
        ("network_resources:add", "nouvelle ressource", "/admin/reseau/ressources/new/", 200),
        (
            "network_resources:edit",
            "modifier une ressource",
            f"/admin/reseau/ressources/edit/{Resource.objects.order_by('pk').first().pk}/",
            200,
        ),
        (
            "network_registration_admin:invitation",
            "inscriptions a une seance",
            f"/admin/reseau/seances/{session.pk}/inscriptions/",
            200,
        ),
        ("mailing_subscribers:index", "liste prevenez-moi", "/admin/mailing_subscribers/", 200),
    ]
    project_apps = {config.label for config in project_app_configs()}
    for model in get_snippet_models():
        if model._meta.app_label not in project_apps:
            continue
        app, name = model._meta.app_label, model._meta.model_name
        first = model.objects.order_by("pk").first()
        admin.append((f"wagtailsnippets_{app}_{name}:list", f"extraits {name}", f"/admin/snippets/{app}/{name}/", 200))
        admin.append(
            (f"wagtailsnippets_{app}_{name}:add", f"nouvel extrait {name}", f"/admin/snippets/{app}/{name}/add/", 200)
        )
        if first is not None:
            admin.append(
                (
                    f"wagtailsnippets_{app}_{name}:edit",
                    f"modifier l'extrait {name}",
                    f"/admin/snippets/{app}/{name}/edit/{first.pk}/",
                    200,
                )
            )
    for model in settings_registry:
        # Without the id: Wagtail redirects to the default site's settings (made there when missing).
        app, name = model._meta.app_label, model._meta.model_name
        admin.append(("wagtailsettings:edit", f"reglages {name}", f"/admin/settings/{app}/{name}/", 200))
    # The page editor of every page type (the call's editor: test_moderation_pages.py).
    for model in get_page_models():
        if model._meta.abstract or model is CallPage or model._meta.app_label not in project_apps:
            continue
        page = model.objects.exact_type(model).order_by("path").first()
        if page is not None:
            admin.append(
                ("wagtailadmin_pages:edit", f"editeur {model._meta.label_lower}", f"/admin/pages/{page.pk}/edit/", 200)
            )
    return {"visiteur": visitor, "membre": signed_in, "ada": admin}


def error_pages(rf):
    """``{name: (status, html)}``: the error pages the live server cannot be made to serve on
    demand, rendered by their views (test_html_validity.py runs the Nu checker on the 403, the
    lockout's 403 and the 500; nothing else checks these)."""
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import RequestDataTooBig, TooManyFilesSent

    from home import views as home_views

    def request(method="get"):
        made = getattr(rf, method)("/candidater/")
        made.user = AnonymousUser()
        return made

    pages = {
        "requete invalide (400)": home_views.bad_request(request()),
        "envoi trop lourd (413)": home_views.bad_request(request("post"), RequestDataTooBig()),
        "trop de fichiers (400)": home_views.bad_request(request("post"), TooManyFilesSent()),
        "acces refuse (403)": home_views.permission_denied(request()),
        "formulaire expire (403)": home_views.csrf_failure(request("post")),
        "erreur serveur (500)": home_views.server_error(request()),
        "service indisponible (503)": home_views.database_unavailable(request()),
        "service indisponible apres un envoi (503)": home_views.database_unavailable(request("post")),
    }
    pages = {name: (response.status_code, response.content.decode()) for name, response in pages.items()}
    from django.template.loader import render_to_string

    pages["connexion bloquee (403)"] = (403, render_to_string("403_lockout.html", request=request()))
    return pages


def served(status, html):
    """A Playwright route handler that answers with this page."""

    def handler(route):
        route.fulfill(status=status, body=html, content_type="text/html; charset=utf-8")

    return handler


def open_as(page_at, demo_site, who, width):
    page = page_at(width)
    if who == "membre":
        cookie = {"name": "sessionid", "value": demo_site.home.member_session_key, "url": demo_site.url}
        page.context.add_cookies([cookie])
    elif who == "ada":
        page.goto(demo_site.at("/admin/login/"))
        page.locator("#id_username").fill("ada")
        page.locator("#id_password").fill(PASSWORD)
        page.locator("form button[type=submit]").first.click()
        page.wait_for_url(demo_site.at("/admin/"))
    return page


# The text of a page's <h1> ends inside the window: a long French title (« Parcours
# d'accompagnement ») ran off a phone and was cut. The public pages' title, and the header
# Wagtail draws for the project's own admin views (its editors' slim header shortens a page's
# title by design).
TITLE_OVERFLOWS = """() => [...document.querySelectorAll('#contenu h1, h1.w-header__title')].some(title => {
    const text = document.createRange();
    text.selectNodeContents(title);
    if (text.getBoundingClientRect().right <= window.innerWidth + 1) return false;
    // Cut on purpose, with an ellipsis (Wagtail's editors shorten a page's title so).
    for (let node = title; node; node = node.parentElement) {
        if (getComputedStyle(node).textOverflow === 'ellipsis') return false;
    }
    for (const child of title.querySelectorAll('*')) {
        if (getComputedStyle(child).textOverflow === 'ellipsis') return false;
    }
    return true;
})"""


@pytest.mark.parametrize("width", [375, 1280])
def test_every_page_passes_axe_and_the_nu_checker(demo_site, page_at, width, rf):
    """One load per page and width: axe and a screenshot; at 1280 px the HTML of each page goes
    to one Nu run (Wagtail's own markup, listed in test_moderation_pages.py, set aside). The
    error pages are served to the browser as rendered by their views, at an address of the
    live server (its styles and images load as on any page)."""
    failures, documents = [], {}
    page = page_at(width)
    for name, (status, html) in error_pages(rf).items():
        address = demo_site.at(f"/__balayage__/{len(documents)}/")
        page.route(address, served(status, html))
        page.goto(address)
        documents[name] = ("visiteur", html)
        screenshot(page, f"sweep-{name}")
        try:
            check_axe(page, name)
        except AssertionError as error:
            failures.append(str(error))
    for who, pages in sweep().items():
        page = open_as(page_at, demo_site, who, width)
        for _url_name, name, path, status in pages:
            if isinstance(path, tuple):  # (path, button): the page the button's POST answers
                page.goto(demo_site.at(path[0]))
                with page.expect_navigation() as navigation:
                    page.get_by_role("button", name=path[1]).click()
                response = navigation.value
            else:
                response = page.goto(demo_site.at(path))
            if response.status != status:
                failures.append(f"{who}: {name}: {path} answered {response.status}, not {status}")
                continue
            documents[f"{who}: {name}"] = (who, response.text())
            screenshot(page, f"sweep-{name}")
            if page.evaluate(TITLE_OVERFLOWS):
                failures.append(f"{who}: {name}: its title runs off the {width} px window")
            # A wide listing scrolls inside its own box (home/static/home/admin.css): the page
            # itself never scrolls sideways, or its header and buttons move out of view.
            overflow, cut_off = sideways_scroll(page)
            if overflow or cut_off:
                failures.append(f"{who}: {name}: the page scrolls sideways by {overflow} px, tables cut off: {cut_off}")
            try:
                check_axe(page, f"{who}: {name}", ignore=WAGTAIL_AXE if who == "ada" else None)
            except AssertionError as error:
                failures.append(str(error))
    if width == 1280 and missing_validator_tools() is None:
        report = run_vnu({name: html for name, (_who, html) in documents.items()})
        errors = [
            message
            for name, messages in report.items()
            for message in messages
            if message.get("type") == "error" and not (documents[name][0] == "ada" and wagtail_markup(message))
        ]
        if errors:
            failures.append("Nu HTML Checker:\n" + format_vnu_messages(errors))
    assert not failures, "\n\n".join(failures)


def project_app_configs():
    """The project's own Django apps: those whose code is in this repository."""
    return [
        config
        for config in apps.get_app_configs()
        if config.path.startswith(str(ROOT)) and "/.venv/" not in config.path and "site-packages" not in config.path
    ]


def project_url_names():
    """Every named URL served by a view of the project's apps, or in the namespace of one of its
    viewsets or snippets (Wagtail's generic views of that namespace included)."""
    modules = tuple(config.name + "." for config in project_app_configs()) + ("config.",)
    snippet_prefixes = tuple(f"wagtailsnippets_{config.label}_" for config in project_app_configs())
    named = []  # (full name, namespace, view module)

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, namespace + (pattern.namespace + ":" if pattern.namespace else ""))
            elif pattern.name:
                view = getattr(pattern.callback, "view_class", pattern.callback)
                named.append((namespace + pattern.name, namespace, getattr(view, "__module__", "")))

    walk(get_resolver().url_patterns, "")
    project_namespaces = {ns for _name, ns, module in named if ns and module.startswith(modules)}
    return {
        name
        for name, ns, module in named
        if module.startswith(modules) or ns in project_namespaces or ns.startswith(snippet_prefixes)
    }


def test_every_named_url_is_swept_or_excluded(demo_site):
    swept = {url_name for pages in sweep().values() for url_name, *_rest in pages}
    names = project_url_names()
    generic = {name for name in names if any(name.endswith(suffix) for suffix in WAGTAIL_GENERIC_SUFFIXES)}
    unaccounted = names - swept - set(COVERED_ELSEWHERE) - set(EXCLUDED) - generic
    assert not unaccounted, (
        f"New named URL(s) of the project: {', '.join(sorted(unaccounted))}. Add each page to sweep() in "
        "tests/e2e/test_every_page.py (axe at 375 and 1280 px, the Nu checker), or to COVERED_ELSEWHERE with the "
        "test that checks it, or to EXCLUDED with the reason it is no page (POST only, a download, a feed…)."
    )
    stale = (set(COVERED_ELSEWHERE) | set(EXCLUDED)) - names
    assert not stale, f"Listed but no longer a named URL of the project: {', '.join(sorted(stale))}"
