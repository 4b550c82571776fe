"""The app's own Elasticsearch user, limited to the site's indexes (docker-compose.yml's
`elasticsearch-user`, run before `release` on every deploy).

With the superuser `elastic` (ELASTIC_PASSWORD, here only), it writes through the security API
a role allowing everything on the indexes and aliases named ELASTICSEARCH_INDEX_PREFIX* (create,
write, read, delete: `update_index` rebuilds them) and the cluster's health only, then the user
ELASTICSEARCH_APP_USER with that role and ELASTICSEARCH_APP_PASSWORD. The app logs in as that
user (ELASTICSEARCH_URL), never as `elastic`. Both are PUT: run again, it changes nothing.
https://www.elastic.co/docs/api/doc/elasticsearch/group/endpoint-security
"""

import base64
import json
import os
import sys
import urllib.request


def role(prefix):
    return {
        "cluster": ["monitor"],
        "indices": [{"names": [f"{prefix}*"], "privileges": ["all"], "allow_restricted_indices": False}],
    }


def put(base_url, path, body, superuser_password):
    token = base64.b64encode(f"elastic:{superuser_password}".encode()).decode()
    if not base_url.startswith(("http://", "https://")):
        raise SystemExit(f"elasticsearch_user: an http(s) URL is needed, not {base_url!r}")
    request = urllib.request.Request(  # noqa: S310 (http or https, checked above)
        f"{base_url.rstrip('/')}{path}",
        data=json.dumps(body).encode(),
        method="PUT",
        headers={"Content-Type": "application/json", "Authorization": f"Basic {token}"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (checked above)
        return json.load(response)


def main():
    base_url = os.environ.get("ELASTICSEARCH_ADMIN_URL", "http://elasticsearch:9200")
    superuser_password = os.environ["ELASTIC_PASSWORD"]
    prefix = os.environ.get("ELASTICSEARCH_INDEX_PREFIX", "quartierscafes_")
    user = os.environ.get("ELASTICSEARCH_APP_USER", "quartierscafes")
    name = f"{user}_app"
    put(base_url, f"/_security/role/{name}", role(prefix), superuser_password)
    put(
        base_url,
        f"/_security/user/{user}",
        {"password": os.environ["ELASTICSEARCH_APP_PASSWORD"], "roles": [name]},
        superuser_password,
    )
    print(f"elasticsearch_user: {user} limited to the indexes {prefix}*")
    return 0


if __name__ == "__main__":
    sys.exit(main())
