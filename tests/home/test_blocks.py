"""Block validation without a database (pattern from torchbox.com's block tests)."""

import pytest
from wagtail.blocks import StructBlockValidationError

from home.blocks import BaseStreamBlock, CallToActionBlock, KeyFiguresBlock, QuoteBlock


def test_call_to_action_needs_a_page_or_a_url_not_both():
    block = CallToActionBlock()
    with pytest.raises(StructBlockValidationError) as excinfo:
        block.clean(block.to_python({"title": "Candidater", "link_label": "J'y vais", "page": None, "url": ""}))
    assert "Choisissez une page du site ou une adresse externe" in str(excinfo.value.block_errors["url"])
    value = block.clean(
        block.to_python({"title": "Candidater", "link_label": "J'y vais", "url": "https://example.org/"})
    )
    assert value["url"] == "https://example.org/"


def test_quote_role_needs_an_author():
    block = QuoteBlock()
    with pytest.raises(StructBlockValidationError):
        block.clean(block.to_python({"text": "Le café est le cœur du quartier.", "author": "", "role": "Gérante"}))
    assert block.clean(block.to_python({"text": "Une phrase.", "author": "Awa", "role": "Gérante"}))["author"] == "Awa"


def test_key_figures_render_every_figure():
    block = KeyFiguresBlock()
    value = block.to_python(
        {
            "title": "Le programme en chiffres",
            "figures": [{"value": "625 000 €", "label": "de soutien"}, {"value": "50", "label": "lauréats"}],
        }
    )
    html = block.render(value)
    assert "625 000 €" in html and "lauréats" in html
    assert 'aria-label="Le programme en chiffres"' in html


def test_every_block_of_the_base_stream_has_an_icon_and_a_template():
    for name, child in BaseStreamBlock().child_blocks.items():
        assert child.meta.icon and child.meta.icon != "placeholder", name
        assert child.meta.template, name


def test_plain_text_in_blocks_is_escaped():
    block = QuoteBlock()
    html = block.render(block.to_python({"text": "<script>alert(1)</script>", "author": "<b>x</b>", "role": ""}))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>x</b>" not in html
