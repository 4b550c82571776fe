import re

import pytest
from django.urls import reverse

from calls.models import Status
from moderation.models import Assignment
from moderation.reviews import assign, save_review
from tests.moderation.factories import ApplicationFactory, add_attachment

pytestmark = pytest.mark.django_db

INDEX = "/admin/moderation/"
HOSTILE = '"><img src=x onerror=alert(1)>'


def inspect(application):
    return reverse("moderation:application", args=[application.pk])


def test_the_queue_lists_applications_with_their_columns(client, call, moderator, reviewer):
    application = ApplicationFactory(page=call, status=Status.EN_INSTRUCTION)
    assign(application, reviewer, moderator)
    client.force_login(moderator)
    response = client.get(INDEX)
    assert response.status_code == 200
    html = response.content.decode()
    for text in (application.reference, "Appel 2040", "Awa Diallo", "Aubervilliers", "Île-de-France", "Café"):
        assert text in html
    assert "En instruction" in html and "Rémi Martin" in html


def test_spam_stays_out_unless_asked(client, call, moderator):
    kept = ApplicationFactory(page=call)
    spam = ApplicationFactory(page=call, is_spam=True)
    client.force_login(moderator)
    html = client.get(INDEX).content.decode()
    assert kept.reference in html and spam.reference not in html
    html = client.get(INDEX, {"spam": "1"}).content.decode()
    assert spam.reference in html and kept.reference not in html


def test_the_filters_are_dropdowns_in_french(client, call, moderator):
    ApplicationFactory(page=call)
    client.force_login(moderator)
    html = client.get(INDEX, {"region": "occitanie", "q": "awa", "o": "-9"}).content.decode()
    form = html[html.index('class="moderation-queue-filters"') :]
    form = form[: form.index("</form>")]
    for name in ("call", "status", "check", "region", "qpv", "kind", "reviewer", "sent", "spam"):
        assert f'<select id="filter-{name}" name="{name}">' in form
    assert '<option value="occitanie" selected>Occitanie</option>' in form
    assert '<option value="">Toutes les dates</option>' in form
    # The search and the ordering are kept when the filters change.
    assert '<input type="hidden" name="q" value="awa">' in form
    assert '<input type="hidden" name="o" value="-9">' in form
    for english_or_awkward in ("Any date", "Horodatage", "Par ", "changelist-filter", "Filter<"):
        assert english_or_awkward not in html


def test_the_default_list_says_how_many_spam_applications_it_hides(client, call, other_call, moderator):
    ApplicationFactory(page=call)
    ApplicationFactory.create_batch(2, page=call, is_spam=True)
    ApplicationFactory(page=other_call, is_spam=True)
    client.force_login(moderator)
    html = client.get(INDEX).content.decode()
    assert "3 candidatures indésirables sont masquées." in html
    html = client.get(INDEX, {"call": call.pk}).content.decode()
    assert "2 candidatures indésirables sont masquées." in html
    link = re.search(r'masquées\. <a href="([^"]+)">Les afficher</a>', html).group(1).replace("&amp;", "&")
    assert link == f"?call={call.pk}&spam=1"
    assert client.get(INDEX + link).content.decode().count('name="ids"') == 2
    assert "masquée" not in client.get(INDEX, {"call": call.pk, "spam": "all"}).content.decode()
    assert "masquée" not in client.get(INDEX, {"call": other_call.pk, "q": "personne"}).content.decode()


def test_the_sent_date_filter_uses_paris_days(client, call, moderator):
    import datetime

    from django.utils import timezone

    from calls.models import Application

    today = ApplicationFactory(page=call)
    last_year = ApplicationFactory(page=call)
    Application.objects.filter(pk=last_year.pk).update(submit_time=timezone.now() - datetime.timedelta(days=400))
    client.force_login(moderator)
    for value in ("today", "week", "month", "year"):
        html = client.get(INDEX, {"sent": value}).content.decode()
        assert today.reference in html and last_year.reference not in html, value
    html = client.get(INDEX, {"sent": "nimporte"}).content.decode()
    assert today.reference in html and last_year.reference in html


def test_filters(client, call, other_call, moderator, reviewer):
    a = ApplicationFactory(page=call, region="occitanie", business_kind="epicerie", status=Status.LAUREATE)
    b = ApplicationFactory(page=other_call, region="grand-est", business_kind="restaurant")
    assign(b, reviewer, moderator)
    client.force_login(moderator)

    def listed(**params):
        html = client.get(INDEX, params).content.decode()
        return {ref for ref in (a.reference, b.reference) if ref in html}

    assert listed() == {a.reference, b.reference}
    assert listed(call=call.pk) == {a.reference}
    assert listed(status="laureate") == {a.reference}
    assert listed(region="grand-est") == {b.reference}
    assert listed(kind="epicerie") == {a.reference}
    assert listed(reviewer=reviewer.pk) == {b.reference}
    assert listed(reviewer="none") == {a.reference}


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("QC-2099", {"a", "b"}),
        ("salome", {"b"}),
        ("ZOE@EXAMPLE", {"a"}),
        ("ordinateurs", {"a"}),
        ("epicerie solidaire", {"b"}),
    ],
)
def test_search_by_reference_name_email_and_answers(client, call, moderator, term, expected):
    apps = {
        "a": ApplicationFactory(page=call, applicant_email="zoe@example.org"),
        "b": ApplicationFactory(
            page=call, applicant_name="Salomé Petit", description="Une épicerie solidaire au pied des tours."
        ),
    }
    client.force_login(moderator)
    html = client.get(INDEX, {"q": term}).content.decode()
    assert {key for key, app in apps.items() if app.reference in html} == expected


def test_ordering_by_average_score(client, call, moderator, reviewer):
    low = ApplicationFactory(page=call, status=Status.EN_INSTRUCTION)
    high = ApplicationFactory(page=call, status=Status.EN_INSTRUCTION)
    criteria = list(call.scoring_criteria.all())
    for application, value in ((low, 1), (high, 5)):
        assign(application, reviewer, moderator)
        save_review(
            application,
            reviewer,
            conflict_of_interest=False,
            scores={c.pk: value for c in criteria},
            recommendation="oui",
        )
    client.force_login(moderator)
    average_column = 10  # select, reference, call, applicant, town, region, kind, status, date, reviewers, average
    html = client.get(INDEX, {"o": f"-{average_column}"}).content.decode()
    assert html.index(high.reference) < html.index(low.reference)
    assert "5,00 / 5" in html and "1,00 / 5" in html
    html = client.get(INDEX, {"o": f"{average_column}"}).content.decode()
    assert html.index(low.reference) < html.index(high.reference)


def test_pagination(client, call, moderator):
    ApplicationFactory.create_batch(55, page=call)
    client.force_login(moderator)
    first = client.get(INDEX).content.decode()
    second = client.get(INDEX, {"p": 2}).content.decode()
    assert first.count('name="ids"') == 50 and second.count('name="ids"') == 5


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_costs_a_fixed_number_of_queries(
    client, call, moderator, reviewer, other_reviewer, count, django_assert_max_num_queries
):
    for application in ApplicationFactory.create_batch(count, page=call, status=Status.EN_INSTRUCTION):
        assign(application, reviewer, moderator)
        assign(application, other_reviewer, moderator)
        save_review(application, reviewer, conflict_of_interest=False, scores={}, recommendation="oui")
    client.force_login(moderator)
    client.get(INDEX)  # warm the session and permission caches
    with django_assert_max_num_queries(20):
        response = client.get(INDEX, {"q": "awa"})
    assert response.status_code == 200


def test_reviewer_sees_only_their_assignments_and_no_scores_before_scoring(
    client, call, moderator, reviewer, other_reviewer
):
    mine = ApplicationFactory(page=call, status=Status.EN_INSTRUCTION)
    theirs = ApplicationFactory(page=call, status=Status.EN_INSTRUCTION)
    assign(mine, reviewer, moderator)
    assign(mine, other_reviewer, moderator)
    assign(theirs, other_reviewer, moderator)
    criteria = list(call.scoring_criteria.all())
    save_review(
        mine,
        other_reviewer,
        conflict_of_interest=False,
        scores={c.pk: 4 for c in criteria},
        recommendation="oui",
        comment="Très solide.",
    )
    client.force_login(reviewer)
    html = client.get(INDEX).content.decode()
    assert mine.reference in html and theirs.reference not in html
    assert "4,00 / 5" not in html
    page = client.get(inspect(mine)).content.decode()
    assert "Très solide." not in page and "4,00" not in page
    assert client.get(inspect(theirs)).status_code == 404
    save_review(mine, reviewer, conflict_of_interest=False, scores={c.pk: 2 for c in criteria}, recommendation="non")
    html = client.get(INDEX).content.decode()
    assert "3,00 / 5" in html
    page = client.get(inspect(mine)).content.decode()
    assert "Très solide." in page


def test_inspect_shows_answers_in_form_order_with_attachments(client, call, moderator):
    application = ApplicationFactory(page=call, files=["plan.pdf"])
    attachment = add_attachment(application, display_name="plan.pdf")
    client.force_login(moderator)
    html = client.get(inspect(application)).content.decode()
    labels = [
        "Nom du commerce",
        "Nom et prénom",
        "Courriel",
        "Commune",
        "Quartier",
        "Région",
        "Type de commerce",
        "Description du projet",
        "Budget",
        "Business plan",
    ]
    answers = html[html.index('id="answers-heading"') :]
    positions = [answers.index(f"<dt>{label}</dt>") for label in labels]
    assert positions == sorted(positions)
    assert reverse("moderation:download", args=[attachment.pk]) in html
    assert "Villette - Quatre-Chemins" in html


def test_hostile_applicant_text_stays_text_in_list_inspect_history_and_messages(client, call, moderator, reviewer):
    application = ApplicationFactory(page=call, applicant_name=HOSTILE, business_name=HOSTILE, description=HOSTILE)
    client.force_login(moderator)
    assign(application, reviewer, moderator)
    for url in (INDEX, inspect(application)):
        html = client.get(url).content.decode()
        assert HOSTILE not in html
        assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    response = client.post(
        reverse("moderation:transition", args=[application.pk]),
        {"status": Status.EN_INSTRUCTION, "comment": HOSTILE},
        follow=True,
    )
    html = response.content.decode()
    assert HOSTILE not in html
    assert html.count("&lt;img src=x onerror=alert(1)&gt;") >= 3  # message, history comment, answers


def test_no_create_edit_delete_or_history_views(client, application, admin_user):
    """Even a superuser cannot change an application's answers or delete it here: the
    queue has no such URL at all."""
    client.force_login(admin_user)
    for url in ("create/", f"edit/{application.pk}/", f"delete/{application.pk}/", f"history/{application.pk}/"):
        assert client.get(INDEX + url).status_code == 404
        assert client.post(INDEX + url).status_code == 404
    assert type(application).objects.filter(pk=application.pk).exists()
    assert Assignment.objects.count() == 0


@pytest.mark.parametrize("count", [1, 8])
def test_the_application_page_costs_a_fixed_number_of_queries(
    client, call, moderator, count, django_assert_max_num_queries
):
    from tests.factories import UserFactory
    from tests.moderation.factories import user_in

    application = ApplicationFactory(page=call, status=Status.EN_INSTRUCTION)
    criteria = list(call.scoring_criteria.all())
    for n in range(count):
        reviewer = user_in("Évaluateurs", username=f"jury{n}")
        assign(application, reviewer, moderator)
        save_review(
            application, reviewer, conflict_of_interest=False, scores={c.pk: 3 for c in criteria}, recommendation="oui"
        )
        add_attachment(application, display_name=f"piece-{n}.pdf")
    UserFactory.create_batch(count)
    client.force_login(moderator)
    url = inspect(application)
    # 25: the staged decision (one query, whatever the number of reviews or files); 26: a
    # moderator opening it clears « Réponse reçue » (one DELETE).
    client.get(url)
    with django_assert_max_num_queries(26):
        response = client.get(url)
    assert response.content.decode().count("piece-") == count


def test_an_application_to_check_stays_in_the_default_list_with_its_marker(client, call, moderator):
    plain = ApplicationFactory(page=call)
    to_check = ApplicationFactory(page=call, needs_check=True, check_reason="same_address")
    client.force_login(moderator)
    html = client.get(INDEX).content.decode()
    assert plain.reference in html and to_check.reference in html
    assert html.count("(à vérifier)") == 1
    row = re.search(rf'data-reference="{to_check.reference}".*?</tr>', html, re.S).group(0)
    assert "(à vérifier)" in row
    # The « À vérifier » filter narrows the list to it.
    assert "À vérifier" in html
    html = client.get(INDEX, {"check": "1"}).content.decode()
    assert to_check.reference in html and plain.reference not in html


def test_the_application_page_says_why_it_is_to_check(client, call, moderator):
    to_check = ApplicationFactory(page=call, needs_check=True, check_reason="same_address")
    client.force_login(moderator)
    html = client.get(inspect(to_check)).content.decode()
    assert "À vérifier" in html
    assert "même adresse réseau en peu de temps" in html
    plain = ApplicationFactory(page=call)
    assert "même adresse réseau" not in client.get(inspect(plain)).content.decode()


RLO = "\u202e"


def assert_isolated(html, where):
    """Every right-to-left override in ``html`` sits inside a <bdi> element or between
    FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE."""
    assert RLO in html, where
    start = 0
    while (index := html.find(RLO, start)) != -1:
        before = html[:index]
        in_bdi = before.rfind("<bdi>") > before.rfind("</bdi>")
        in_isolate = before.rfind("\u2068") > before.rfind("\u2069")
        assert in_bdi or in_isolate, f"{where}: not isolated: …{html[max(0, index - 120) : index + 20]!r}"
        start = index + 1


def test_bidirectional_controls_in_applicant_text_are_isolated_everywhere(client, call, moderator, reviewer):
    from moderation.models import HistoryEntry

    application = ApplicationFactory(
        page=call,
        applicant_name=f"Nadia {RLO}Haddad",
        business_name=f"Le {RLO}Zinc",
        town=f"Saint-{RLO}Denis",
        description=f"Un café {RLO}solidaire",
        files=["plan.pdf"],
        status=Status.PRESELECTIONNEE,
    )
    add_attachment(application, display_name=f"plan{RLO}fdp.exe")
    HistoryEntry.objects.create(
        application=application, kind=HistoryEntry.Kind.APPLICANT_ANSWER, comment=f"Voici {RLO}le budget"
    )
    assign(application, reviewer, moderator)
    client.force_login(moderator)
    pages = {
        "list": INDEX,
        "inspect": inspect(application),
        "ranking": reverse("moderation:ranking", args=[call.pk]),
    }
    for where, url in pages.items():
        assert_isolated(client.get(url).content.decode(), where)
    response = client.post(
        reverse("moderation:transition", args=[application.pk]), {"status": Status.LAUREATE}, follow=True
    )
    assert_isolated(response.content.decode(), "message")
    assert_isolated(client.get(reverse("moderation:announce", args=[call.pk])).content.decode(), "announce")
    client.force_login(reviewer)
    assert_isolated(client.get(reverse("moderation:review", args=[application.pk])).content.decode(), "workspace")


def test_withdrawing_an_application_and_removing_a_reviewer_read_differently(client, call, moderator, reviewer):
    application = ApplicationFactory(page=call, status=Status.EN_INSTRUCTION)
    assign(application, reviewer, moderator)
    client.force_login(moderator)
    html = client.get(inspect(application)).content.decode()
    assert ">Marquer comme retirée par le candidat</button>" in html
    assert ">Retirer Rémi Martin du jury de cette candidature</button>" in html
    assert "Passer à « Retirée »" not in html
