"""The laureates' key figures and the sponsor's report (page, XLSX, PDF) against fixture data,
and who may read the report."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from home import figures
from laureates.models import Laureate, Milestone, MilestoneStatus, Payment, PaymentStatus
from laureates.report import sponsor_report
from stories.taxonomy import OpeningStatus, Region
from tests.calls.factories import CallIndexPageFactory, CallPageFactory
from tests.moderation.factories import ApplicationFactory, user_in
from tests.stories.factories import StoryIndexPageFactory, StoryPageFactory

pytestmark = pytest.mark.django_db
PARIS = datetime.timezone(datetime.timedelta(hours=1))


def call_of(index, year, **kwargs):
    return CallPageFactory(
        parent=index,
        slug=f"appel-{year}",
        title=f"Appel {year}",
        opens_at=datetime.datetime(year, 1, 10, 9, 0, tzinfo=PARIS),
        closes_at=datetime.datetime(year, 3, 1, 9, 0, tzinfo=PARIS),
        **kwargs,
    )


def laureate(call, name, region, amount, kind="cafe"):
    return Laureate.objects.create(
        call=call,
        edition=call.opens_at.year,
        business_name=name,
        town="Aubervilliers",
        region=region,
        business_kind=kind,
        amount_awarded=Decimal(amount),
        contact_name="Awa Diallo",
        contact_email="awa@example.org",
        address="12 rue de l'Exemple",
    )


def payment(laureate, amount, status):
    paid_on = datetime.date(2030, 6, 1) if status == PaymentStatus.PAYE else None
    return Payment.objects.create(
        laureate=laureate, planned_on=datetime.date(2030, 5, 1), amount=Decimal(amount), status=status, paid_on=paid_on
    )


def milestone(laureate, label, order, done, is_opening=False):
    return Milestone.objects.create(
        laureate=laureate,
        label=label,
        sort_order=order,
        is_opening=is_opening,
        status=MilestoneStatus.FAIT if done else MilestoneStatus.A_FAIRE,
    )


@pytest.fixture
def edition(home_page):
    """Edition 2030: four applications (and a spam), two laureates; edition 2031: one laureate
    whose published story says « Ouvert »."""
    index = CallIndexPageFactory(parent=home_page)
    call = call_of(index, 2030, envelope=Decimal("625000.00"))
    later = call_of(index, 2031)
    for region, kind in [
        (Region.ILE_DE_FRANCE, "cafe"),
        (Region.ILE_DE_FRANCE, "cafe"),
        (Region.ILE_DE_FRANCE, "restaurant"),
        (Region.OCCITANIE, "epicerie"),
    ]:
        ApplicationFactory(page=call, region=region, business_kind=kind)
    ApplicationFactory(page=call, region=Region.BRETAGNE, is_spam=True)
    zinc = laureate(call, "Le Petit Zinc", Region.ILE_DE_FRANCE, "10000.00")
    payment(zinc, "4000.00", PaymentStatus.PAYE)
    payment(zinc, "6000.00", PaymentStatus.PREVU)
    milestone(zinc, "Signature de la convention", 1, True)
    milestone(zinc, "Ouverture", 3, True, is_opening=True)
    marmite = laureate(call, "La Marmite", Region.OCCITANIE, "7500.50", kind="epicerie")
    payment(marmite, "7500.50", PaymentStatus.PAYE)
    payment(marmite, "100.00", PaymentStatus.ANNULE)
    milestone(marmite, "Signature de la convention", 1, True)
    milestone(marmite, "Ouverture", 3, False, is_opening=True)
    story = StoryPageFactory(parent=StoryIndexPageFactory(parent=home_page), opening_status=OpeningStatus.OUVERT)
    later_one = laureate(later, "Le Comptoir", Region.BRETAGNE, "3000.00")
    later_one.story = story
    later_one.save()
    return call


def test_the_laureates_figures_against_the_data(edition):
    assert figures.compute("laureats", 2030) == 2
    assert figures.compute("laureats") == 3
    assert figures.compute("regions_laureats", 2030) == 2
    assert figures.compute("montant_attribue", 2030) == Decimal("17500.50")
    assert figures.compute("montant_attribue") == Decimal("20500.50")
    assert figures.compute("montant_verse", 2030) == Decimal("11500.50")  # paid only, never cancelled
    assert figures.compute("commerces_ouverts", 2030) == 1  # « Ouverture » done
    assert figures.compute("commerces_ouverts") == 2  # and a published story « Ouvert »
    assert figures.display(figures.compute("montant_verse", 2030), figures.EUROS) == "11\u00a0500,50\u00a0€"


def test_a_payment_or_a_milestone_refreshes_the_cached_figures(edition):
    wanted = [("montant_verse", 2030), ("commerces_ouverts", 2030)]
    assert figures.values(wanted) == [Decimal("11500.50"), 1]
    zinc = Laureate.objects.get(business_name="Le Petit Zinc")
    Payment.objects.filter(laureate=zinc, status=PaymentStatus.PREVU).update(status=PaymentStatus.PAYE)
    assert figures.values(wanted) == [Decimal("11500.50"), 1]  # .update() sends no signal
    payment(zinc, "1.00", PaymentStatus.PAYE)
    marmite_opening = Milestone.objects.get(laureate__business_name="La Marmite", is_opening=True)
    marmite_opening.status = MilestoneStatus.FAIT
    marmite_opening.save()
    assert figures.values(wanted) == [Decimal("17501.50"), 2]


def test_the_report_numbers(edition):
    report = sponsor_report(edition)
    assert report.edition == 2030
    assert report.applications == 4  # spam left out
    assert [label for _code, label in report.kinds] == ["Café", "Restaurant", "Épicerie"]
    assert report.by_region == [("Île-de-France", [2, 1, 0], 3), ("Occitanie", [0, 0, 1], 1)]
    assert report.kind_totals == [2, 1, 1]
    assert report.envelope == Decimal("625000.00")
    assert report.committed == Decimal("17500.50")
    assert report.paid == Decimal("11500.50")
    assert report.remaining == Decimal("607499.50")
    assert report.openings == 1
    assert report.milestones == [("Signature de la convention", 2, 2), ("Ouverture", 1, 2)]
    assert [(line.business_name, line.paid, line.opened) for line in report.laureates] == [
        ("La Marmite", Decimal("7500.50"), False),
        ("Le Petit Zinc", Decimal("4000.00"), True),
    ]


def test_the_report_has_the_same_numbers_as_the_figures(edition):
    report = sponsor_report(edition)
    assert report.committed == figures.compute("montant_attribue", 2030)
    assert report.paid == figures.compute("montant_verse", 2030)
    assert report.applications == figures.compute("candidatures", 2030)
    assert report.openings == figures.compute("commerces_ouverts", 2030)


@pytest.fixture
def moderator(db):
    return user_in("Modérateurs", username="moderatrice")


def test_the_page_the_xlsx_and_the_pdf(client, edition, moderator):
    client.force_login(moderator)
    page = client.get(f"/admin/rapports/{edition.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Rapport au mécène : édition 2030" in html
    assert "607\u00a0499,50\u00a0€" in html and "17\u00a0500,50\u00a0€" in html
    assert "awa@example.org" not in html and "Awa Diallo" not in html  # no contact in a report

    response = client.get(f"/admin/rapports/{edition.pk}/rapport.xlsx")
    assert response.status_code == 200
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}
    assert 'filename="rapport-mecene-2030-appel-2030.xlsx"' in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Synthèse", "Candidatures", "Lauréats", "Étapes"]
    summary = {row[0]: row[1] for row in workbook["Synthèse"].iter_rows(min_row=2, values_only=True)}
    assert summary["Candidatures reçues"] == 4
    assert summary["Montant engagé"] == pytest.approx(17500.50)
    assert workbook["Synthèse"]["B5"].number_format == '#,##0.00 "€"'
    regions = list(workbook["Candidatures"].iter_rows(values_only=True))
    assert regions[0] == ("Région", "Café", "Restaurant", "Épicerie", "Total")
    assert regions[-1] == ("Total", 2, 1, 1, 4)
    laureates = list(workbook["Lauréats"].iter_rows(min_row=2, values_only=True))
    assert laureates[0][:6] == ("La Marmite", "Aubervilliers", "Occitanie", "Épicerie", 7500.5, 7500.5)
    assert all("awa" not in str(cell).lower() for row in laureates for cell in row)

    response = client.get(f"/admin/rapports/{edition.pk}/rapport.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Rapport au mécène : édition 2030" in text
    assert "17 500,50 EUR" in text.replace("\u00a0", " ")
    assert "Le Petit Zinc" in text and "awa@example.org" not in text


@pytest.mark.parametrize("suffix", ["", "rapport.xlsx", "rapport.pdf"])
@pytest.mark.parametrize("group", ["Évaluateurs", "Éditeurs"])
def test_only_moderators_read_the_report(client, edition, group, suffix):
    client.force_login(user_in(group, username=f"personne-{group}"))
    assert client.get(f"/admin/rapports/{edition.pk}/{suffix}").status_code == 403
    assert client.get("/admin/rapports/").status_code == 403


def test_signed_out_or_unknown(client, edition, moderator):
    assert client.get(f"/admin/rapports/{edition.pk}/").status_code == 302  # to the admin's sign-in
    client.force_login(moderator)
    assert client.get("/admin/rapports/999999/").status_code == 404
    index = client.get("/admin/rapports/").content.decode()
    assert f"/admin/rapports/{edition.pk}/" in index and "Appel 2031" in index
