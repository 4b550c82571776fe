import pytest
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage, ProgrammePage
from stories.models import StoryIndexPage
from tests.factories import ImageFactory, PartnerFactory, ProgrammePageFactory, make_home


class HomeAndProgrammePagesTest(WagtailPageTestCase):
    def setUp(self):
        self.home = make_home(hero_image=ImageFactory())

    def test_home_page_is_created_at_root_only(self):
        self.assertCanCreateAt(Page, HomePage)
        self.assertCanNotCreateAt(HomePage, HomePage)

    def test_programme_page_allowed_under_home_and_programme(self):
        self.assertCanCreateAt(HomePage, ProgrammePage)
        self.assertCanCreateAt(ProgrammePage, ProgrammePage)
        self.assertCanNotCreateAt(StoryIndexPage, ProgrammePage)

    def test_editor_can_create_a_programme_page(self):
        self.login()
        body = {
            "title": "L'accompagnement",
            "slug": "accompagnement",
            "intro": "Communication, financement, partenariats.",
            "body-count": "0",
        }
        self.assertCanCreate(self.home, ProgrammePage, body)

    def test_home_page_renders_hero_figures_and_partners(self):
        partner = PartnerFactory(name="GROUPE SOS")
        self.home.key_figures = [
            {
                "type": "key_figures",
                "value": {"title": "En chiffres", "figures": [{"value": "625 000 €", "label": "de soutien"}]},
            }
        ]
        from home.models import HomePartner

        self.home.home_partners = [HomePartner(partner=partner)]
        self.home.save_revision().publish()
        self.assertPageIsRenderable(self.home)
        response = self.client.get("/")
        self.assertContains(response, '<html lang="fr">')
        self.assertContains(response, "Les commerces qui font vivre les quartiers")
        self.assertContains(response, "625 000 €")
        self.assertContains(response, "GROUPE SOS")
        self.assertContains(response, 'href="#contenu"')

    def test_programme_page_renders_stream_blocks(self):
        page = ProgrammePageFactory(
            parent=self.home,
            title="Le programme",
            body=[
                {"type": "heading", "value": {"text": "Une initiative du GROUPE SOS", "level": "h2"}},
                {"type": "paragraph", "value": "<p>Soutenue par Coca-Cola.</p>"},
                {"type": "quote", "value": {"text": "Le café est le cœur du quartier.", "author": "Une lauréate"}},
                {
                    "type": "faq",
                    "value": {
                        "title": "FAQ",
                        "items": [{"question": "Qui peut candidater ?", "answer": "<p>Tous.</p>"}],
                    },
                },
            ],
        )
        self.assertPageIsRenderable(page)
        response = self.client.get(page.url)
        self.assertContains(response, "<h2>Une initiative du GROUPE SOS</h2>", html=True)
        self.assertContains(response, "Soutenue par Coca-Cola.")
        self.assertContains(response, "<summary>Qui peut candidater ?</summary>", html=True)
        # Breadcrumbs lead back home.
        self.assertContains(response, 'aria-label="Fil d\'Ariane"')


@pytest.mark.django_db
def test_menu_lists_pages_marked_show_in_menus(client, home_page):
    ProgrammePageFactory(parent=home_page, title="Le programme", slug="le-programme", show_in_menus=True)
    ProgrammePageFactory(parent=home_page, title="Page cachée", slug="cachee", show_in_menus=False)
    response = client.get("/")
    nav = response.content.decode().split('aria-label="Menu principal"')[1].split("</nav>")[0]
    assert "Le programme" in nav
    assert "Page cachée" not in nav


@pytest.mark.django_db
def test_meta_description_and_open_graph_come_from_the_promote_tab(client, home_page):
    image = ImageFactory()
    page = ProgrammePageFactory(
        parent=home_page,
        title="Partenaires",
        slug="partenaires",
        seo_title="Nos partenaires",
        search_description="GROUPE SOS et Coca-Cola soutiennent le programme.",
        social_image=image,
    )
    html = client.get(page.url).content.decode()
    assert '<meta name="description" content="GROUPE SOS et Coca-Cola soutiennent le programme.">' in html
    assert '<meta property="og:title" content="Nos partenaires">' in html
    assert '<meta property="og:image" content="http://testserver/' in html
    assert "<title>Nos partenaires · Quartiers Cafés</title>" in html


@pytest.mark.django_db
def test_home_page_query_count_is_pinned(client, django_assert_max_num_queries):
    home = make_home(hero_image=ImageFactory())
    from home.models import HomePartner

    home.home_partners = [HomePartner(partner=PartnerFactory()) for _ in range(5)]
    home.save_revision().publish()
    for i in range(4):
        ProgrammePageFactory(parent=home, show_in_menus=True, slug=f"p{i}")
    client.get("/")  # renditions are generated on the first view
    with django_assert_max_num_queries(12):
        response = client.get("/")
    assert response.status_code == 200
