"""Elasticsearch from the environment, and `update_index` at deploy with its own timeout."""

import json
import os
import stat
import subprocess
from pathlib import Path

import certifi
import pytest
from wagtail.models import Page

from search.elasticsearch import ElasticsearchWithFallback
from search.es_settings import backend_settings, normalise_url
from tests.home.test_settings import shell_results

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("http://es.example.org:9200/", "http://es.example.org:9200"),
        ("https://es.example.org:9200//", "https://es.example.org:9200"),
        ("https://elastic:s3cret@es.example.org/", "https://elastic:s3cret@es.example.org"),
        ("https://proxy.example.org/es/", "https://proxy.example.org/es"),
        (" es.example.org:9200 ", "http://es.example.org:9200"),
    ],
)
def test_the_url_is_normalised(raw, expected):
    assert normalise_url(raw) == expected


def test_a_url_that_is_not_http_is_refused():
    with pytest.raises(ValueError, match="ELASTICSEARCH_URL"):
        normalise_url("ftp://es.example.org")


def backend(**overrides):
    params = {"index_prefix": "qc_", "timeout": 3, "index_timeout": 10, "breaker_seconds": 30, **overrides}
    config = backend_settings(params.pop("urls", "https://es.example.org:9200/"), **params)
    config.pop("BACKEND")
    return ElasticsearchWithFallback(config)


def test_a_trailing_slash_does_not_reach_the_requests():
    es_backend = backend(urls="http://es.example.org:9200/")
    assert es_backend.hosts == [{"host": "es.example.org", "port": 9200, "path_prefix": "", "scheme": "http"}]
    node = next(iter(es_backend.es.transport.node_pool.all()))
    assert node.base_url == "http://es.example.org:9200"


def test_api_key_ca_certificates_and_verification():
    es_backend = backend(api_key="aWQ6a2V5", ca_certs=certifi.where())
    headers = es_backend.es._headers
    assert headers["authorization"] == "ApiKey aWQ6a2V5"
    node = next(iter(es_backend.es.transport.node_pool.all()))
    assert node.config.verify_certs is True
    assert node.config.ca_certs == certifi.where()


def test_basic_auth_from_variables_and_no_verification_when_asked():
    es_backend = backend(username="elastic", password="s3cret", verify_certs=False)
    assert es_backend.es._headers["authorization"].startswith("Basic ")
    node = next(iter(es_backend.es.transport.node_pool.all()))
    assert node.config.verify_certs is False


def test_query_and_indexing_timeouts():
    es_backend = backend(timeout=2.5, index_timeout=45)
    assert es_backend.es._request_timeout == 2.5
    assert es_backend.indexing_es._request_timeout == 45
    assert es_backend.get_index_for_model(Page).es is es_backend.indexing_es


def test_the_settings_read_every_variable():
    code = (
        "import json; from django.conf import settings as s;"
        "print('RESULT ' + json.dumps(s.WAGTAILSEARCH_BACKENDS['default'], default=list))"
    )
    (line,) = shell_results(
        code,
        {
            "ELASTICSEARCH_URL": "https://es.example.org:9200/",
            "ELASTICSEARCH_INDEX_PREFIX": "qc_test_",
            "ELASTICSEARCH_TIMEOUT": "1.5",
            "ELASTICSEARCH_INDEX_TIMEOUT": "20",
            "ELASTICSEARCH_BREAKER_SECONDS": "15",
            "ELASTICSEARCH_CA_CERTS": "/etc/ssl/certs/es-ca.pem",
            "ELASTICSEARCH_VERIFY_CERTS": "True",
            "ELASTICSEARCH_API_KEY": "aWQ6a2V5",
        },
    )
    config = json.loads(line)
    assert config == {
        "BACKEND": "search.elasticsearch",
        "URLS": ["https://es.example.org:9200"],
        "INDEX_PREFIX": "qc_test_",
        "TIMEOUT": 1.5,
        "INDEX_TIMEOUT": 20.0,
        "BREAKER_SECONDS": 15,
        "OPTIONS": {
            "max_retries": 0,
            "retry_on_timeout": False,
            "verify_certs": True,
            "ca_certs": "/etc/ssl/certs/es-ca.pem",
            "api_key": "aWQ6a2V5",
        },
    }


# --- At deploy --------------------------------------------------------------------------------


def run_entrypoint(tmp_path, **env):
    """docker/entrypoint.sh with a `python` that records what it was asked to run."""
    log = tmp_path / "calls.txt"
    fake_python = tmp_path / "python"
    fake_python.write_text(f'#!/bin/sh\necho "timeout=$ELASTICSEARCH_INDEX_TIMEOUT $*" >> {log}\n')
    fake_python.chmod(fake_python.stat().st_mode | stat.S_IEXEC)
    environment = {"PATH": f"{tmp_path}:{os.environ['PATH']}", "RUN_MIGRATIONS": "0", **env}
    subprocess.run(["sh", str(ROOT / "docker" / "entrypoint.sh"), "true"], env=environment, check=True, timeout=30)
    calls = log.read_text().splitlines() if log.exists() else []
    assert calls[0].endswith("manage.py check --deploy --fail-level ERROR")  # always first
    return calls[1:]


def test_the_release_rebuilds_the_index_with_a_longer_timeout(tmp_path):
    assert run_entrypoint(tmp_path, RUN_UPDATE_INDEX="1") == ["timeout=300 manage.py update_index --verbosity 1"]


def test_the_rebuild_timeout_can_be_changed(tmp_path):
    calls = run_entrypoint(tmp_path, RUN_UPDATE_INDEX="1", ELASTICSEARCH_UPDATE_INDEX_TIMEOUT="900")
    assert calls == ["timeout=900 manage.py update_index --verbosity 1"]


def test_other_containers_do_not_rebuild(tmp_path):
    assert run_entrypoint(tmp_path, RUN_UPDATE_INDEX="0") == []


def test_compose_rebuilds_at_release_and_forbids_index_auto_creation():
    compose = (ROOT / "docker-compose.yml").read_text()
    assert 'action.auto_create_index: "-quartierscafes_*,+*"' in compose
    assert "ELASTICSEARCH_UPDATE_INDEX_TIMEOUT: ${ELASTICSEARCH_UPDATE_INDEX_TIMEOUT:-300}" in compose
