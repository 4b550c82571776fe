"""Requests per second of the site's pages under gunicorn, as a share of a trivial view.

The site runs as in production: ``config/gunicorn.py``, the production settings, two sync
workers (``WEB_CONCURRENCY=2``, one thread each), on loopback, on a scratch SQLite database
holding the demo content and generated stories. A trivial Django view behind the same
middleware (``bench/pages_site``) is measured in the same run: absolute figures drift 2×
between runs on a shared machine, the share does not.

Each page is measured with wrk (Debian's package), ``-t2 -c8``, as the median of several
rounds, twice: with the page cache on (``PAGE_CACHE_SECONDS=300``, the second request on
is a hit) and off (``PAGE_CACHE_SECONDS=0``, every request renders). The call page is never
cached (it carries a CSRF token and a one-time submission token).

Usage: python bench/pages.py [--rounds 3] [--duration 4] [--stories 200]
The figures measured on the project's 2-core machine are in bench/README.md.
"""

import argparse
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(db_path, page_cache_seconds, port):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench_pages_settings",
        "PYTHONPATH": os.pathsep.join([str(BASE_DIR / "bench" / "pages_site"), str(BASE_DIR)]),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "False",
        "SQLITE_PATH": str(db_path),
        "STATIC_ROOT": str(db_path.parent / "static"),
        "MEDIA_ROOT": str(db_path.parent / "media"),
        "PRIVATE_MEDIA_ROOT": str(db_path.parent / "private"),
        "PAGE_CACHE_SECONDS": str(page_cache_seconds),
        "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "WEB_CONCURRENCY": "2",
        "GUNICORN_THREADS": "1",
        "PORT": str(port),
        "LOG_LEVEL": "WARNING",
    }
    for name in ("DATABASE_URL", "REDIS_URL", "ELASTICSEARCH_URL", "AWS_STORAGE_BUCKET_NAME"):
        env.pop(name, None)
    return env


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env, check=True, capture_output=True)


def prepare(db_path, stories):
    env = environment(db_path, 0, 0)
    manage(env, "collectstatic", "--noinput")  # production serves the hashed manifest
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo_content")
    manage(env, "generate_stories", "--count", str(stories), "--seed", "2024")
    manage(env, "update_index")
    script = (
        "from stories.models import StoryIndexPage, StoryPage; from calls.models import CallPage;"
        "print(StoryIndexPage.objects.live().first().url);"
        "print(StoryPage.objects.live().order_by('pk').first().url);"
        "print(CallPage.objects.live().order_by('-closes_at').first().url)"
    )
    out = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", script], cwd=BASE_DIR, env=env, check=True, capture_output=True, text=True
    ).stdout.split()
    return {"index": out[-3], "story": out[-2], "call": out[-1]}


def start(db_path, page_cache_seconds):
    port = free_port()
    env = environment(db_path, page_cache_seconds, port)
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "-c", "config/gunicorn.py", "--bind", f"127.0.0.1:{port}", "config.wsgi"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    for _attempt in range(100):
        try:
            urllib.request.urlopen(base + "/bench-trivial/", timeout=2).read()  # noqa: S310 (loopback)
            return server, base
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("gunicorn did not start")


def stop(server):
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def rps(url, duration):
    out = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{duration}s", url], check=True, capture_output=True, text=True
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise RuntimeError(f"{url}: {errors.group(1)} error responses")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def measure(base, paths, rounds, duration):
    results = {}
    for name, path in paths.items():
        url = base + path
        urllib.request.urlopen(url, timeout=30).read()  # noqa: S310 (loopback) warm the workers
        results[name] = statistics.median(rps(url, duration) for _round in range(rounds))
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=4)
    parser.add_argument("--stories", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "bench.sqlite3"
        print(f"Preparing the database (demo content + {args.stories} stories)…", flush=True)
        urls = prepare(db_path, args.stories)
        paths = {
            "trivial view": "/bench-trivial/",
            "home page": "/",
            "story index": urls["index"],
            "story page": urls["story"],
            "search": "/recherche/?q=caf%C3%A9",
            "call page": urls["call"],
        }
        table = {}
        load_before = open("/proc/loadavg").read().split()[0]
        for mode, seconds in (("cached", 300), ("uncached", 0)):
            server, base = start(db_path, seconds)
            try:
                table[mode] = measure(base, paths, args.rounds, args.duration)
            finally:
                stop(server)
        load = open("/proc/loadavg").read().split()[0]
        # The machine's load beside the run: the shares are comparable between runs, the
        # absolute figures only at a similar load.
        print(f"\nwrk -t2 -c8, {args.rounds} × {args.duration} s, median; load average {load_before} → {load}")
        print(f"{'page':<14} {'cached r/s':>11} {'share':>7} {'uncached r/s':>13} {'share':>7}")

        def share(mode, value):
            # A trivial view that answered nothing (wrk timed out on an overloaded machine)
            # gives no share rather than a division by zero.
            floor = table[mode]["trivial view"]
            return f"{value / floor:>7.1%}" if floor else f"{'n/a':>7}"

        for name in paths:
            cached, uncached = table["cached"][name], table["uncached"][name]
            cached_share, uncached_share = share("cached", cached), share("uncached", uncached)
            print(f"{name:<14} {cached:>11.0f} {cached_share} {uncached:>13.0f} {uncached_share}")


if __name__ == "__main__":
    main()
