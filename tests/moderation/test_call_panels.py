"""Scoring criteria and decision emails are edited on the call, in the admin."""

import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from moderation.models import DecisionEmail, ScoringCriterion

pytestmark = pytest.mark.django_db


def test_the_call_editor_shows_criteria_and_decision_emails(client, call, admin_user):
    client.force_login(admin_user)
    html = client.get(f"/admin/pages/{call.pk}/edit/").content.decode()
    assert "(notes de 0 à 5)" in html and "Courriels de décision" in html
    assert "Utilité pour le quartier" in html and "Bonne nouvelle : votre projet est lauréat." in html


def test_criteria_saved_from_the_call_editor(client, call_index, admin_user):
    from tests.moderation.factories import make_call

    call = make_call(call_index, criteria=[], decisions={})
    client.force_login(admin_user)
    fields = [
        {
            "id": field.pk,
            "label": field.label,
            "field_type": field.field_type,
            "required": "on" if field.required else "",
            "purpose": field.purpose,
            "help_text": "",
            "choices": "",
            "default_value": "",
            "description": "",
            "max_size_mb": field.max_size_mb,
            **({"allowed_kinds": field.allowed_kinds[0]} if field.allowed_kinds else {}),
        }
        for field in call.form_fields.all()
    ]
    data = nested_form_data(
        {
            "title": call.title,
            "slug": call.slug,
            "summary": call.summary,
            "opens_at": call.opens_at.strftime("%Y-%m-%d %H:%M"),
            "closes_at": call.closes_at.strftime("%Y-%m-%d %H:%M"),
            "body": streamfield([]),
            "thank_you_text": rich_text(""),
            "confirmation_subject": call.confirmation_subject,
            "confirmation_body": call.confirmation_body,
            "form_fields": inline_formset(fields),
            "scoring_criteria": inline_formset(
                [{"label": "Ancrage local", "weight": 3, "description": "", "levels": "0 : aucun\n5 : fort"}]
            ),
            "region_targets": inline_formset([{"region": "occitanie", "share": "25"}]),
            "decision_emails": inline_formset(
                [{"outcome": "laureate", "subject": "Bravo", "body": "Votre projet est retenu."}]
            ),
        }
    )
    response = client.post(f"/admin/pages/{call.pk}/edit/", data)
    assert response.status_code == 302
    call.refresh_from_db()
    # A draft: the new criteria live in the revision until published.
    revision = call.get_latest_revision_as_object()
    assert [(c.label, c.weight) for c in revision.scoring_criteria.all()] == [("Ancrage local", 3)]
    assert [(d.outcome, d.subject) for d in revision.decision_emails.all()] == [("laureate", "Bravo")]
    assert [(t.region, t.share) for t in revision.region_targets.all()] == [("occitanie", 25)]
    assert [c.levels for c in revision.scoring_criteria.all()] == ["0 : aucun\r\n5 : fort"] or [
        c.levels for c in revision.scoring_criteria.all()
    ] == ["0 : aucun\n5 : fort"]
    assert not ScoringCriterion.objects.filter(page=call).exists()
    assert not DecisionEmail.objects.filter(page=call).exists()
