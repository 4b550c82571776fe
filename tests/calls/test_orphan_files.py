"""The orphan files sweep (calls/orphan_files.py, `manage.py sweep_orphan_files`) on the local
private storage; the same on S3 is in test_s3.py."""

import datetime
import logging
import os
import time

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from calls import orphan_files
from calls.attachments.storage import private_storage, storage_key
from calls.models import Application, Attachment, Draft, DraftFile
from tests.calls.factories import jpeg_file, pdf_file, valid_answers

pytestmark = pytest.mark.django_db

TWO_HOURS = 2 * 3600


def stored_file(age_seconds=0, kind="pdf"):
    """A file written to the private storage as an upload is, ``age_seconds`` old."""
    storage = private_storage()
    name = storage.save(storage_key("plan.pdf", kind), ContentFile(b"%PDF-1.4 contenu"))
    if age_seconds:
        then = time.time() - age_seconds
        os.utime(storage.path(name), (then, then))
    return name


def age_everything(settings, seconds=TWO_HOURS):
    then = time.time() - seconds
    for folder, _dirs, names in os.walk(settings.PRIVATE_MEDIA_ROOT):
        for name in names:
            os.utime(os.path.join(folder, name), (then, then))


def exists(name):
    return private_storage().exists(name)


@pytest.fixture
def applied(client, call, get_token):
    """An application sent through the form: two attachments, in the storage and in rows."""
    response = client.post(
        call.url,
        {
            **valid_answers(),
            "qc_jeton": get_token(call),
            "photo_du_local": jpeg_file(),
            "business_plan": pdf_file(),
        },
    )
    assert response.status_code == 303
    return Application.objects.get()


@pytest.fixture
def draft_file(call):
    draft = Draft.objects.create(page=call, email="awa@example.org")
    return DraftFile.objects.create(
        draft=draft,
        field_key="business_plan",
        file=stored_file(),
        display_name="plan.pdf",
        content_type="application/pdf",
        size=16,
    )


def test_old_orphans_go_young_ones_and_referenced_files_stay(settings, applied, draft_file, caplog):
    attachments = list(Attachment.objects.values_list("file", flat=True))
    assert len(attachments) == 2
    old_orphans = [stored_file(), stored_file(kind="jpeg")]
    age_everything(settings)  # the application, the draft and the two orphans: two hours old
    young_orphan = stored_file(age_seconds=5 * 60)

    with caplog.at_level(logging.INFO, logger="calls.orphan_files"):
        result = orphan_files.sweep()

    assert (result.examined, result.young, result.referenced, result.orphans, result.failed) == (6, 1, 3, 2, 0)
    assert not any(exists(name) for name in old_orphans)
    assert exists(young_orphan)  # its request may still be running
    assert all(exists(name) for name in attachments)
    assert exists(draft_file.file.name)
    # Counts only in the log: no stored name, nothing of the applicant.
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "2 orphan(s) deleted" in logged
    for name in [*old_orphans, young_orphan, *attachments]:
        assert os.path.basename(name).split(".")[0] not in logged
    assert "Awa" not in logged and "awa@" not in logged

    # Nothing more to do on a second pass.
    assert orphan_files.sweep().orphans == 0


def test_dry_run_counts_and_changes_nothing(settings, applied, draft_file, capsys):
    orphan = stored_file(age_seconds=TWO_HOURS)
    age_everything(settings)
    before = sorted(os.path.join(f, n) for f, _d, names in os.walk(settings.PRIVATE_MEDIA_ROOT) for n in names)
    rows = (Attachment.objects.count(), DraftFile.objects.count())

    call_command("sweep_orphan_files", "--dry-run")
    out = capsys.readouterr().out
    assert "1 fichier(s) orphelin(s) à supprimer (simulation : rien n'a été supprimé)" in out
    assert "4 fichier(s) examiné(s), 3 rattaché(s)" in out
    assert os.path.basename(orphan) not in out
    after = sorted(os.path.join(f, n) for f, _d, names in os.walk(settings.PRIVATE_MEDIA_ROOT) for n in names)
    assert after == before and (Attachment.objects.count(), DraftFile.objects.count()) == rows

    call_command("sweep_orphan_files")
    assert "1 fichier(s) orphelin(s) supprimé(s)" in capsys.readouterr().out
    assert not exists(orphan) and all(exists(name) for name in Attachment.objects.values_list("file", flat=True))


def test_a_draft_file_sent_with_the_application_stays(settings, client, call, get_token):
    """A draft's file becomes an attachment under the same stored name: kept throughout."""
    token = get_token(call)
    response = client.post(
        call.url,
        {
            **valid_answers(),
            "qc_jeton": token,
            "qc_action": "brouillon",
            "business_plan": pdf_file(),
        },
    )
    assert response.status_code == 303  # « Brouillon enregistré »
    kept = DraftFile.objects.get().file.name
    age_everything(settings)
    assert orphan_files.sweep().orphans == 0 and exists(kept)

    response = client.post(call.url, {**valid_answers(), "qc_jeton": get_token(call), "photo_du_local": jpeg_file()})
    assert response.status_code == 303
    assert not DraftFile.objects.exists()
    assert Attachment.objects.filter(file=kept).exists()
    age_everything(settings)
    assert orphan_files.sweep().orphans == 0 and exists(kept)


def test_files_outside_the_applications_folder_are_not_touched(settings):
    storage = private_storage()
    other = storage.save("exports/rapport.csv", ContentFile(b"a;b"))
    age_everything(settings)
    result = orphan_files.sweep()
    assert result.examined == 0 and exists(other)


def test_an_empty_storage_is_fine():
    assert orphan_files.sweep() == orphan_files.SweepResult()


def test_a_grace_shorter_than_a_request_could_last_is_refused(settings):
    orphan = stored_file(age_seconds=TWO_HOURS)
    settings.CALLS_ORPHAN_FILES_GRACE_MINUTES = 2
    with pytest.raises(CommandError, match="grace period"):
        call_command("sweep_orphan_files")
    assert exists(orphan)
    with pytest.raises(ValueError):
        orphan_files.sweep(grace_period=datetime.timedelta(seconds=0))


def test_the_grace_setting_is_honoured(settings):
    name = stored_file(age_seconds=90 * 60)
    settings.CALLS_ORPHAN_FILES_GRACE_MINUTES = 120
    assert orphan_files.sweep().young == 1 and exists(name)
    # The clock moves on: past the grace, it goes.
    later = timezone.now() + datetime.timedelta(hours=1)
    assert orphan_files.sweep(now=later).orphans == 1 and not exists(name)


def test_the_retention_command_sweeps_too(settings, applied, capsys):
    orphan = stored_file(age_seconds=TWO_HOURS)
    call_command("purge_applications", "--dry-run")
    assert "1 fichier(s) orphelin(s) à supprimer (simulation" in capsys.readouterr().out
    assert exists(orphan)
    call_command("purge_applications")
    out = capsys.readouterr().out
    assert "1 fichier(s) orphelin(s) supprimé(s)" in out
    assert not exists(orphan)
    assert all(exists(name) for name in Attachment.objects.values_list("file", flat=True))


def test_a_failed_deletion_is_counted_and_the_command_fails(settings, monkeypatch, capsys):
    stored_file(age_seconds=TWO_HOURS)
    storage = private_storage()

    def refuse(name):
        raise PermissionError(f"refusé : {name}")

    monkeypatch.setattr(storage, "delete", refuse)
    with pytest.raises(CommandError, match="1 fichier"):
        call_command("sweep_orphan_files")
    assert "1 échec(s)" in capsys.readouterr().out


def test_many_files_are_checked_in_batches(settings, monkeypatch, applied):
    monkeypatch.setattr(orphan_files, "BATCH", 3)
    orphans = [stored_file() for _ in range(7)]
    age_everything(settings)
    result = orphan_files.sweep()
    assert (result.examined, result.referenced, result.orphans) == (9, 2, 7)
    assert not any(exists(name) for name in orphans)
    assert Attachment.objects.count() == 2 and all(exists(n) for n in Attachment.objects.values_list("file", flat=True))


def test_unrelated_uuid_in_names_is_not_a_reference(settings, applied):
    """A name must match exactly: a row naming another file does not protect this one."""
    attachment = Attachment.objects.first()
    lookalike = attachment.file.name.rsplit(".", 1)[0] + ".bak"
    private_storage().save(lookalike, ContentFile(b"x"))
    age_everything(settings)
    assert orphan_files.sweep().orphans == 1
    assert not exists(lookalike) and exists(attachment.file.name)
