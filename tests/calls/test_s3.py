"""S3 end to end, against moto's server mode on loopback (started here, one per session).

The storages are the ones production builds from AWS_STORAGE_BUCKET_NAME
(config/settings/base.py): public media under ``media/`` (unsigned URLs, readable through
the bucket policy that docker-compose's s3-init sets), applicants' attachments under
``private/`` (private ACL, five-minute signed URLs), with production's client timeouts.
"""

import re
import socket
import threading
import time
import uuid

import pytest
import requests
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.urls import reverse

from calls.models import Application, Attachment
from config.settings.base import S3_CLIENT_OPTIONS
from tests.calls.factories import jpeg_file, pdf_file, valid_answers

ACCESS_KEY, SECRET_KEY, REGION = "test-access-key", "test-secret-key", "eu-west-3"


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def moto_endpoint():
    """moto's S3 in server mode on a free loopback port; skipped (with the reason) if it cannot start."""
    try:
        from moto.server import ThreadedMotoServer
    except ImportError as error:  # pragma: no cover - moto[server] is in requirements-dev.txt
        pytest.skip(f"moto[server] is not installed ({error}): pip install -r requirements-dev.txt")
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    try:
        server.start()
    except Exception as error:  # pragma: no cover - depends on the machine
        pytest.skip(f"moto's S3 server could not start on 127.0.0.1:{port}: {error}")
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            requests.get(endpoint, timeout=15)
            break
        except requests.RequestException:
            if time.monotonic() > deadline:
                pytest.skip(f"moto's S3 server did not answer on {endpoint}")
            time.sleep(0.1)
    yield endpoint
    server.stop()


def _client(endpoint):
    import boto3

    return boto3.client(
        "s3", endpoint_url=endpoint, aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY, region_name=REGION
    )


def s3_storages(bucket, endpoint):
    from botocore.config import Config

    common = {
        "bucket_name": bucket,
        "access_key": ACCESS_KEY,
        "secret_key": SECRET_KEY,
        "region_name": REGION,
        "endpoint_url": endpoint,
        "client_config": Config(**S3_CLIENT_OPTIONS),
        "file_overwrite": False,
    }
    return {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**common, "location": "media", "querystring_auth": False},
        },
        "private": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **common,
                "location": "private",
                "default_acl": "private",
                "querystring_auth": True,
                "querystring_expire": 300,
                "custom_domain": None,
            },
        },
    }


@pytest.fixture
def s3(settings, moto_endpoint):
    """A fresh bucket, public under media/ only (as docker-compose's s3-init makes it), used by both storages."""
    import json

    bucket = f"qc-{uuid.uuid4().hex[:12]}"
    client = _client(moto_endpoint)
    client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/media/*",
            }
        ],
    }
    client.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))
    settings.STORAGES = {**settings.STORAGES, **s3_storages(bucket, moto_endpoint)}
    storages._storages = {}  # the handler caches instances; build them from the new settings
    yield type("S3", (), {"bucket": bucket, "client": client, "endpoint": moto_endpoint})
    storages._storages = {}


def keys(s3, prefix=""):
    listing = s3.client.list_objects_v2(Bucket=s3.bucket, Prefix=prefix)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def body_of(s3, key):
    return s3.client.get_object(Bucket=s3.bucket, Key=key)["Body"].read()


def post(client, call, token, **data):
    payload = {**valid_answers(), "qc_jeton": token, **data}
    return client.post(call.url, payload)


# --- public media ------------------------------------------------------------------------


def test_public_images_and_renditions_are_on_the_bucket_and_readable_unsigned(s3, db):
    from wagtail.images import get_image_model

    image = get_image_model().objects.create(title="Devanture", file=jpeg_file("devanture.jpg", size=(120, 80)))
    assert image.file.name.startswith("original_images/")
    assert keys(s3, "media/original_images/") == [f"media/{image.file.name}"]
    url = image.file.url
    assert url.startswith(f"{s3.endpoint}/{s3.bucket}/media/original_images/") and "Signature" not in url
    response = requests.get(url, timeout=5)
    assert response.status_code == 200
    assert response.content[:2] == b"\xff\xd8"  # a JPEG
    rendition = image.get_rendition("fill-60x40")
    assert rendition.file.name in {key.removeprefix("media/") for key in keys(s3, "media/images/")}
    assert requests.get(rendition.url, timeout=5).status_code == 200


def test_public_documents_are_on_the_bucket_and_served(s3, client, db):
    from wagtail.documents import get_document_model

    document = get_document_model().objects.create(
        title="Règlement", file=ContentFile(b"%PDF-1.4 reglement", name="reglement.pdf")
    )
    assert keys(s3, "media/documents/") == [f"media/{document.file.name}"]
    response = client.get(document.url)
    assert response.status_code in (200, 302)
    if response.status_code == 302:  # redirected to the bucket
        assert requests.get(response["Location"], timeout=5).content == b"%PDF-1.4 reglement"
    else:
        assert b"".join(response.streaming_content) == b"%PDF-1.4 reglement"


def test_two_public_files_of_the_same_name_are_kept_apart(s3, db):
    from wagtail.images import get_image_model

    model = get_image_model()
    first = model.objects.create(title="Un", file=jpeg_file("photo.jpg", size=(30, 20)))
    second = model.objects.create(title="Deux", file=jpeg_file("photo.jpg", size=(40, 20)))
    assert first.file.name != second.file.name
    assert len(keys(s3, "media/original_images/")) == 2
    assert body_of(s3, f"media/{first.file.name}") != body_of(s3, f"media/{second.file.name}")


# --- private attachments -----------------------------------------------------------------


def test_application_files_are_private_signed_downloads_work_unsigned_are_refused(s3, client, call, get_token):
    from tests.moderation.factories import user_in

    photo, plan = jpeg_file("devanture.jpg"), pdf_file("plan d'affaires.pdf")
    plan_bytes = plan.read()
    plan.seek(0)
    response = post(client, call, get_token(call), photo_du_local=photo, business_plan=plan)
    assert response.status_code == 303
    application = Application.objects.get()
    stored = keys(s3, "private/")
    assert len(stored) == 2
    assert all(re.fullmatch(r"private/applications/\d{4}/\d{2}/[0-9a-f]{32}\.(jpg|pdf)", key) for key in stored)
    assert keys(s3, "media/") == []  # nothing of the applicant on the public side

    attachment = application.attachments.get(field_key="business_plan")
    # Unsigned: refused, whoever asks.
    unsigned = f"{s3.endpoint}/{s3.bucket}/private/{attachment.file.name}"
    assert requests.get(unsigned, timeout=5).status_code == 403
    # A moderator's download: a signed URL that works, as an attachment under its own name.
    client.force_login(user_in("Modérateurs", username="mona"))
    redirect = client.get(reverse("moderation:download", args=[attachment.pk]))
    assert redirect.status_code == 302
    signed = requests.get(redirect["Location"], timeout=5)
    assert signed.status_code == 200
    assert signed.content == plan_bytes
    assert signed.headers["Content-Disposition"].startswith("attachment")
    # (moto does not check signatures unless IAM authentication is on: a forged signature
    # is not tested here.)


def test_two_applications_with_equal_file_names_are_kept_apart(s3, client, call, get_token):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.calls.samples import pdf_bytes

    post(client, call, get_token(call), business_plan=SimpleUploadedFile("plan.pdf", pdf_bytes(pages=1)))
    response = post(
        client,
        call,
        get_token(call),
        business_plan=SimpleUploadedFile("plan.pdf", pdf_bytes(pages=2), content_type="application/pdf"),
        courriel="autre@example.org",
    )
    assert response.status_code == 303, response.content.decode()[-3000:]
    attachments = list(Attachment.objects.order_by("pk"))
    assert len(attachments) == 2
    assert {a.display_name for a in attachments} == {"plan.pdf"}
    assert attachments[0].file.name != attachments[1].file.name
    assert len(keys(s3, "private/")) == 2
    assert body_of(s3, f"private/{attachments[0].file.name}") != body_of(s3, f"private/{attachments[1].file.name}")


def test_rgpd_erasure_and_deletion_remove_the_objects(s3, client, call, get_token, django_capture_on_commit_callbacks):
    from moderation.rgpd import erase

    post(client, call, get_token(call), photo_du_local=jpeg_file(), business_plan=pdf_file())
    post(client, call, get_token(call), business_plan=pdf_file(), courriel="deux@example.org")
    first, second = Application.objects.order_by("pk")
    assert len(keys(s3, "private/")) == 3
    second_key = f"private/{second.attachments.get().file.name}"

    with django_capture_on_commit_callbacks(execute=True):
        removed = erase(first, reason="Demande de la candidate")
    assert removed == 2
    assert keys(s3, "private/") == [second_key]  # only the other application's file is left

    with django_capture_on_commit_callbacks(execute=True):
        second.delete()
    assert keys(s3, "private/") == []


# --- a hung endpoint -----------------------------------------------------------------------


@pytest.fixture
def hung_endpoint():
    """A loopback server that accepts every connection and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held, stop = [], threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
                held.append(connection)
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    thread.join(timeout=2)
    for connection in held:
        connection.close()
    listener.close()


def test_hung_private_endpoint_fails_on_the_client_timeout_and_stores_nothing(
    s3, hung_endpoint, settings, client, call, get_token
):
    """The endpoint never answers: only the S3 client's own timeouts (S3_CLIENT_OPTIONS, a few
    seconds with its one retry) can end the request, which then fails and stores nothing."""
    token = get_token(call)
    settings.STORAGES = {**settings.STORAGES, "private": s3_storages(s3.bucket, hung_endpoint)["private"]}
    storages._storages = {}
    response = post(client, call, token, photo_du_local=jpeg_file(), business_plan=pdf_file())
    assert response.status_code == 503
    assert "pas pu être enregistrée" in response.content.decode()
    assert Application.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert keys(s3) == []


# --- orphan files ------------------------------------------------------------------------


def test_orphan_files_and_unfinished_uploads_are_swept_after_the_grace(s3, client, call, get_token):
    """The sweep (calls/orphan_files.py) on S3: the listing's own dates, no HEAD per key."""
    import datetime

    from django.utils import timezone

    from calls import orphan_files
    from calls.attachments.storage import private_storage, storage_key
    from calls.models import Draft, DraftFile

    response = post(client, call, get_token(call), photo_du_local=jpeg_file(), business_plan=pdf_file())
    assert response.status_code == 303
    attachments = [f"private/{name}" for name in Attachment.objects.values_list("file", flat=True)]
    storage = private_storage()
    draft = Draft.objects.create(page=call, email="awa@example.org")
    draft_name = storage.save(storage_key("plan.pdf", "pdf"), ContentFile(b"%PDF-1.4 brouillon"))
    DraftFile.objects.create(
        draft=draft,
        field_key="business_plan",
        file=draft_name,
        display_name="plan.pdf",
        content_type="application/pdf",
        size=18,
    )
    # What a worker killed mid-request leaves: a written file, and a multipart upload begun.
    orphan = storage.save(storage_key("plan.pdf", "pdf"), ContentFile(b"%PDF-1.4 orpheline"))
    public = f"media/{storage_key('x.pdf', 'pdf')}"  # outside the private prefix: never looked at
    s3.client.put_object(Bucket=s3.bucket, Key=public, Body=b"x")

    # Everything is younger than the grace: nothing goes.
    fresh = orphan_files.sweep()
    assert (fresh.examined, fresh.young, fresh.orphans, fresh.multipart_aborted) == (4, 4, 0, 0)
    assert len(keys(s3, "private/")) == 4
    # Begun only now: moto dates every multipart upload 2010-11-10, so it would look old to
    # the sweep above (real S3 gives the time it began).
    unfinished_key = f"private/{storage_key('gros.pdf', 'pdf')}"
    s3.client.create_multipart_upload(Bucket=s3.bucket, Key=unfinished_key)

    later = timezone.now() + datetime.timedelta(hours=2)
    dry = orphan_files.sweep(now=later, dry_run=True)
    assert (dry.referenced, dry.orphans, dry.multipart_aborted) == (3, 1, 1)
    assert len(keys(s3, "private/")) == 4
    assert len(s3.client.list_multipart_uploads(Bucket=s3.bucket).get("Uploads", [])) == 1

    done = orphan_files.sweep(now=later)
    assert (done.examined, done.referenced, done.orphans, done.multipart_aborted, done.failed) == (4, 3, 1, 1, 0)
    assert keys(s3, "private/") == sorted([*attachments, f"private/{draft_name}"])
    assert f"private/{orphan}" not in keys(s3, "private/")
    assert s3.client.list_multipart_uploads(Bucket=s3.bucket).get("Uploads", []) == []
    assert keys(s3, "media/") == [public]
