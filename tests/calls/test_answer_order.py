from calls.models import Application


def test_answers_follow_the_form_order_whatever_the_json_key_order():
    """PostgreSQL's jsonb returns keys sorted by length then bytes, not in form order."""
    application = Application(
        form_data={
            "zz": {"label": "Nom du commerce", "display": "La Blague", "position": 0},
            "a": {"label": "Commune", "display": "Aubervilliers", "position": 2},
            "mm": {"label": "Courriel", "display": "x@example.org", "position": 1},
        }
    )
    assert [answer["label"] for answer in application.answers()] == ["Nom du commerce", "Courriel", "Commune"]
