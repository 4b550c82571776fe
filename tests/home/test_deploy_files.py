"""The deployment files (docker-compose.yml, docker/): what can be checked without Docker.

No Docker engine runs where the suite runs, so these read the files: images pinned, nginx's
body limit in step with the settings, the index rebuild kept to the one-shot release service,
the bucket's policy.
"""

import importlib.util
import json
import re
from pathlib import Path

import boto3
import pytest
import yaml
from botocore.stub import Stubber
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = (ROOT / "docker-compose.yml").read_text()
NGINX = (ROOT / "docker" / "nginx.conf").read_text()


def test_every_image_is_pinned_to_a_version():
    images = re.findall(r"^\s+image:\s*(\S+)", COMPOSE, re.MULTILINE)
    assert len(images) >= 6
    for image in images:
        if image.startswith("${APP_IMAGE"):
            continue  # the app's own image, built from the Dockerfile
        name, _, tag = image.rpartition(":")
        assert name and "/" not in tag and re.search(r"\d", tag) and tag != "latest", image


def test_nginx_takes_a_whole_application():
    """nginx refuses a body above client_max_body_size before Django sees it: it must let the
    largest application through (every file at its cap, plus the other fields)."""
    size = re.search(r"client_max_body_size (\d+)m;", NGINX)
    assert size, "client_max_body_size in MiB"
    largest = (
        settings.CALLS_MAX_UPLOAD_SIZE * settings.CALLS_MAX_FILES_PER_REQUEST + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    )
    assert int(size.group(1)) * 1024 * 1024 > largest


def test_nginx_buffers_and_forwards_what_the_settings_trust():
    for directive in (
        "proxy_request_buffering on;",
        "proxy_buffering on;",
        "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
        "proxy_set_header X-Forwarded-Proto $forwarded_proto;",
    ):
        assert directive in NGINX
    assert "TRUSTED_PROXY_COUNT: ${TRUSTED_PROXY_COUNT:-1}" in COMPOSE


def test_only_the_release_service_migrates_and_rebuilds_the_index():
    entrypoint = (ROOT / "docker" / "entrypoint.sh").read_text()
    assert 'if [ "${RUN_UPDATE_INDEX:-0}" = "1" ]; then' in entrypoint
    assert re.findall(r'RUN_UPDATE_INDEX: "(\d)"', COMPOSE) == ["0", "1"]  # the shared default, then release
    assert re.findall(r'RUN_MIGRATIONS: "(\d)"', COMPOSE) == ["0", "1"]


@pytest.fixture
def create_bucket():
    spec = importlib.util.spec_from_file_location("create_bucket", ROOT / "docker" / "create_bucket.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("exists", [False, True], ids=["missing", "there"])
def test_the_bucket_is_created_once_with_public_media_only(create_bucket, exists):
    client = boto3.client("s3", region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s")
    policy = json.dumps(create_bucket.public_media_policy("qc"))
    with Stubber(client) as stub:
        if exists:
            stub.add_response("head_bucket", {}, {"Bucket": "qc"})
        else:
            stub.add_client_error("head_bucket", service_error_code="404", http_status_code=404)
            stub.add_response("create_bucket", {}, {"Bucket": "qc"})
        stub.add_response("put_bucket_policy", {}, {"Bucket": "qc", "Policy": policy})
        assert create_bucket.ensure_bucket(client, "qc") is not exists
        stub.assert_no_pending_responses()
    (statement,) = json.loads(policy)["Statement"]
    assert statement["Action"] == ["s3:GetObject"] and statement["Resource"] == ["arn:aws:s3:::qc/media/*"]


def test_the_stack_scans_with_its_own_clamd_and_runs_the_scheduler():
    compose = yaml.safe_load(COMPOSE)
    services = compose["services"]
    assert services["clamav"]["image"].startswith("clamav/")
    environment = compose["x-app-environment"]
    assert (environment["CLAMAV_HOST"], environment["CLAMAV_PORT"]) == ("clamav", "3310")
    assert services["release"]["depends_on"]["clamav"]["condition"] == "service_healthy"
    assert services["scheduler"]["command"] == ["python", "manage.py", "run_scheduler"]
    assert "clamav-data" in compose["volumes"]


def test_the_stack_keeps_the_counters_in_a_redis_that_never_evicts():
    """The page cache may evict; the rate limits' counters must not share its memory."""
    compose = yaml.safe_load(COMPOSE)
    services, environment = compose["services"], compose["x-app-environment"]

    def policy(service):
        command = services[service]["command"]
        return command[command.index("--maxmemory-policy") + 1]

    cache_host = environment["REDIS_URL"].split("//")[1].split(":")[0]
    counters_host = environment["REDIS_COUNTERS_URL"].split("//")[1].split(":")[0]
    assert cache_host != counters_host
    assert policy(cache_host) == "allkeys-lru"
    assert policy(counters_host) == "noeviction"
    assert services["release"]["depends_on"][counters_host]["condition"] == "service_healthy"
