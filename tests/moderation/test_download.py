import pytest
from django.urls import reverse

from calls.models import Attachment
from moderation.reviews import assign
from tests.moderation.factories import ApplicationFactory, add_attachment

pytestmark = pytest.mark.django_db

S3_PRIVATE = {
    "BACKEND": "storages.backends.s3.S3Storage",
    "OPTIONS": {
        "bucket_name": "qc-private",
        "location": "private",
        "access_key": "test-access-key",
        "secret_key": "test-secret-key",
        "region_name": "eu-west-3",
        "endpoint_url": "http://127.0.0.1:9",
        "default_acl": "private",
        "file_overwrite": False,
        "querystring_auth": True,
        "querystring_expire": 300,
        "custom_domain": None,
    },
}


def test_local_download_is_streamed_as_an_attachment(client, application, moderator):
    attachment = add_attachment(application, display_name="Plan d'affaires été.pdf")
    client.force_login(moderator)
    response = client.get(reverse("moderation:download", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert "filename*=UTF-8''Plan%20d%27affaires%20%C3%A9t%C3%A9.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_on_s3_a_signed_url_of_five_minutes(client, settings, call, moderator, reviewer, editor):
    settings.STORAGES = {**settings.STORAGES, "private": S3_PRIVATE}
    application = ApplicationFactory(page=call)
    assign(application, reviewer, moderator)
    # The row only: signing a URL contacts no server.
    attachment = Attachment.objects.create(
        application=application,
        field_key="business_plan",
        file="applications/2026/11/abc.pdf",
        display_name="plan.pdf",
        content_type="application/pdf",
        size=10,
    )
    url = reverse("moderation:download", args=[attachment.pk])
    for user in (moderator, reviewer):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 302
        location = response["Location"]
        assert "/qc-private/private/applications/2026/11/abc.pdf?" in location
        assert "X-Amz-Expires=300" in location and "X-Amz-Signature=" in location
        assert "response-content-disposition=attachment" in location
    client.force_login(editor)
    response = client.get(url)
    assert "X-Amz-Signature" not in response.get("Location", "")


def test_missing_file_is_a_404(client, application, moderator):
    attachment = add_attachment(application)
    attachment.file.storage.delete(attachment.file.name)
    client.force_login(moderator)
    assert client.get(reverse("moderation:download", args=[attachment.pk])).status_code == 404
