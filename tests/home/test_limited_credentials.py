"""The compose stack's limited credentials and its backup service (docker-compose.yml, docker/):
the app never holds MinIO's root keys nor Elasticsearch's superuser, and backs up into a volume
of its own."""

import importlib.util
import json
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
APP_ENVIRONMENT = COMPOSE["x-app-environment"]


def test_the_app_uses_its_own_s3_user_limited_to_the_site_bucket():
    assert "S3_ACCESS_KEY" in APP_ENVIRONMENT["AWS_ACCESS_KEY_ID"]
    root = SERVICES["s3"]["environment"]
    assert "S3_ROOT_USER" in root["MINIO_ROOT_USER"] and "S3_ROOT_PASSWORD" in root["MINIO_ROOT_PASSWORD"]
    # Only the bucket's creation holds the root keys; the user is made with them, then the app starts.
    assert "S3_ROOT_USER" in SERVICES["s3-init"]["environment"]["AWS_ACCESS_KEY_ID"]
    for name in ("app", "worker", "scheduler", "release", "backup"):
        assert "S3_ROOT" not in json.dumps(SERVICES[name].get("environment", APP_ENVIRONMENT)), name
    assert SERVICES["release"]["depends_on"]["s3-user"]["condition"] == "service_completed_successfully"
    policy = json.loads((ROOT / "docker" / "s3-app-policy.json").read_text())
    bucket = APP_ENVIRONMENT["AWS_STORAGE_BUCKET_NAME"]
    resources = {resource for statement in policy["Statement"] for resource in statement["Resource"]}
    assert resources == {f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"}
    actions = {action for statement in policy["Statement"] for action in statement["Action"]}
    assert not {action for action in actions if "Policy" in action or action in {"s3:*", "s3:CreateBucket"}}
    script = (ROOT / "docker" / "s3-app-user.sh").read_text()
    assert "mc admin user add" in script and "mc admin policy attach" in script


def test_the_app_logs_into_elasticsearch_as_its_own_user_limited_to_the_site_indexes():
    assert "//quartierscafes:" in APP_ENVIRONMENT["ELASTICSEARCH_URL"]
    assert "elastic:" not in APP_ENVIRONMENT["ELASTICSEARCH_URL"]
    assert "ELASTIC_PASSWORD" not in APP_ENVIRONMENT
    assert SERVICES["release"]["depends_on"]["elasticsearch-user"]["condition"] == "service_completed_successfully"
    spec = importlib.util.spec_from_file_location("elasticsearch_user", ROOT / "docker" / "elasticsearch_user.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    role = module.role("quartierscafes_")
    assert [grant["names"] for grant in role["indices"]] == [["quartierscafes_*"]]
    assert role["cluster"] == ["monitor"]


def test_the_backup_service_writes_to_a_volume_of_its_own():
    backup = SERVICES["backup"]
    assert backup["environment"]["SCHEDULER_JOBS"] == "backup"
    assert backup["environment"]["BACKUP_ROOT"] == "/backups"
    assert backup["volumes"] == ["backups:/backups"]
    assert "backups" in COMPOSE["volumes"]
    dockerfile = (ROOT / backup["build"]["dockerfile"]).read_text()
    postgres_major = SERVICES["postgres"]["image"].split(":")[1].split(".")[0]
    assert "FROM ${POSTGRES_IMAGE}" in dockerfile and f"postgres:{postgres_major}." in dockerfile
