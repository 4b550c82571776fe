"""The recap before « Envoyer » (a form in steps): every answer and file name as the
application will be sent, step by step, each with its « Modifier » link.

« Vérifier mes réponses » on the last step (``qc_action=recapitulatif``) saves the step in the
browser's draft and, when every step is complete, redirects to ``?etape=recapitulatif``; the
recap is read from the draft only (``CallForm.every_answer_stored``), exactly as « Envoyer »
will validate it: its form posts ``qc_etape=recapitulatif`` and no answer, so what is sent is
what was shown. A POST of the last step with its answers and no action still sends at once.
"""

from django.utils.translation import gettext as _

RECAP = "recapitulatif"  # the step's name in ``?etape=`` and ``qc_etape``, and the action


def steps(page, request, form, draft):
    """``[{"number", "title", "url", "items": [{"label", "display"}]}]`` for the shown steps, or
    None when the draft's answers are not complete (the form then opens its first step to do)."""
    if draft is None or form.step_count < 2:
        return None
    check = form.for_draft(draft)
    if not check.is_valid():
        return None
    answers, _files = check.answers()
    base = page.get_url(request)
    shown = check.shown_steps()
    result = []
    for index, step in enumerate(check.steps()):
        if index not in shown:
            continue
        items = []
        for name in step["names"]:
            entry = answers.get(name)
            if entry is None:
                continue
            display = entry.get("display") or ""
            if not display:
                no = entry.get("type") in {"consent", "image_rights"}
                display = _("Non") if no else _("(sans réponse)")
            items.append({"label": entry["label"], "display": display, "type": entry.get("type")})
        result.append(
            {"number": index + 1, "title": step["title"], "url": f"{base}?etape={index + 1}#candidater", "items": items}
        )
    return result
