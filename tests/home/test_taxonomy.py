from stories.taxonomy import REGION_INSEE_CODES, BusinessKind, Region


def test_the_eighteen_regions_with_stable_codes_and_french_labels():
    assert len(Region.choices) == 18
    assert set(REGION_INSEE_CODES) == set(Region)
    assert Region("ile-de-france").label == "Île-de-France"
    assert Region.PROVENCE_ALPES_COTE_D_AZUR.label == "Provence-Alpes-Côte d'Azur"


def test_kinds_of_business():
    assert [k.value for k in BusinessKind] == ["cafe", "restaurant", "tiers-lieu", "epicerie", "autre"]
