"""Search and story-index timings at 1 000 and 10 000 stories (``make bench-search``).

For each size, a scratch SQLite database (WAL, as in production's embedded default) is
migrated, given the demo content, then ``manage.py generate_stories --count N --seed S``;
the search index is rebuilt (``update_index``, timed) and each page is requested through
Django's test Client, warm, many times: the search page (several realistic queries, with
and without facets), the filtered story index (/laureats/?region=…&kind=…) and the
suggestions endpoint (its cache cleared before each request, so the backend answers).
The search page and the index keep their counts in the cache (stories.listing_cache) until a
page changes: each is timed twice, as a visitor finds it (cache warm, the usual case) and with
the cache cleared before every request (the first visit after a publication).
The load average is printed beside each figure: on a shared machine, compare only runs
made under the same load.
Each size runs in a fresh process so that its peak memory (ru_maxrss) is its own.

Usage: python bench/search.py [--sizes 1000 10000] [--seed 2024] [--repeat 30]
The figures measured on the project's 2-core machine are in bench/README.md.
"""

import argparse
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SEARCH_QUERIES = [
    {"q": "café"},
    {"q": "épicerie"},
    {"q": "femmes"},
    {"q": "jardin partagé"},
    {"q": "atelier parents enfants"},
    {"q": "numerique"},
    {"q": "la passerelle negreneys"},
    {"q": "zzz introuvable"},
    {"q": "café", "region": "ile-de-france"},
    {"q": "café", "kind": "cafe", "theme": "emploi"},
    {"q": "restaurant", "page": "3"},
]
INDEX_QUERIES = [
    {"region": "ile-de-france", "kind": "cafe"},
    {"region": "occitanie", "kind": "epicerie"},
    {"region": "grand-est", "kind": "restaurant", "theme": "emploi"},
    {"region": "provence-alpes-cote-d-azur", "kind": "tiers-lieu", "page": "2"},
]
SUGGEST_QUERIES = ["ca", "caf", "café des", "epic", "la ma", "négr", "chez", "le comptoir"]


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def load_average():
    with open("/proc/loadavg") as file:
        return float(file.read().split()[0])


def measure(client, path, params_list, repeat, before=None):
    timings = []
    for _ in range(2):  # warm-up: templates, renditions, connections, caches
        for params in params_list:
            client.get(path, params)
    for _ in range(repeat):
        for params in params_list:
            if before:
                before()
            started = time.perf_counter()
            response = client.get(path, params)
            timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{path} {params}: HTTP {response.status_code}")
    return {
        "median": statistics.median(timings),
        "p95": percentile(timings, 0.95),
        "n": len(timings),
        "load": load_average(),
    }


def run_one(size, seed, repeat):
    """Runs in its own process: build the database, then time the pages."""
    import django
    from django.core.management import call_command

    django.setup()
    from django.core.cache import cache
    from django.test import Client

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo_content", verbosity=0)
    call_command("generate_stories", count=size, seed=seed, verbosity=0, stdout=io.StringIO(), stderr=io.StringIO())
    build_seconds = time.perf_counter() - started

    started = time.perf_counter()
    call_command("update_index", verbosity=0)
    rebuild_seconds = time.perf_counter() - started

    from stories.models import StoryIndexPage, StoryPage

    index_url = StoryIndexPage.objects.live().first().url
    client = Client()
    results = {
        "size": size,
        "stories": StoryPage.objects.live().count(),
        "build_s": build_seconds,
        "rebuild_index_s": rebuild_seconds,
        "search": measure(client, "/recherche/", SEARCH_QUERIES, repeat),
        "search_cold": measure(client, "/recherche/", SEARCH_QUERIES, repeat, before=cache.clear),
        "index": measure(client, index_url, INDEX_QUERIES, repeat),
        "index_cold": measure(client, index_url, INDEX_QUERIES, repeat, before=cache.clear),
        "suggest": measure(
            client, "/recherche/suggestions/", [{"q": q} for q in SUGGEST_QUERIES], repeat, before=cache.clear
        ),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    print(json.dumps(results))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.one:
        run_one(args.one, args.seed, args.repeat)
        return

    print(f"Search benchmark, SQLite, seed {args.seed}, {args.repeat} rounds per query list")
    print(f"Load average at the start: {load_average():.2f} on {os.cpu_count()} cores\n")
    header = f"{'stories':>8} {'page':<30} {'median ms':>10} {'p95 ms':>8} {'requests':>9} {'load':>6}"
    rows = []
    sys.stdout.reconfigure(line_buffering=True)
    for size in args.sizes:
        with tempfile.TemporaryDirectory(prefix="qc-bench-") as scratch:
            env = {
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "config.settings.dev",
                "DEBUG": "False",  # no query log, templates cached: as in production
                "ALLOWED_HOSTS": "testserver,localhost",
                "SQLITE_PATH": str(Path(scratch) / "bench.sqlite3"),
                "MEDIA_ROOT": str(Path(scratch) / "media"),
                "LOG_LEVEL": "WARNING",
            }
            env.pop("DATABASE_URL", None)
            env.pop("ELASTICSEARCH_URL", None)
            command = [sys.executable, __file__, "--one", str(size), "--seed", str(args.seed)]
            command += ["--repeat", str(args.repeat)]
            completed = subprocess.run(command, env=env, cwd=BASE_DIR, capture_output=True, text=True, check=False)
            if completed.returncode != 0:
                print(completed.stdout[-2000:], completed.stderr[-4000:], file=sys.stderr)
                raise SystemExit(f"The benchmark at {size} stories failed.")
            result = json.loads(completed.stdout.strip().splitlines()[-1])
        rows.append(result)
        print(
            f"{result['stories']} stories: built in {result['build_s']:.1f} s, "
            f"index rebuilt in {result['rebuild_index_s']:.1f} s, peak memory {result['peak_rss_mb']:.0f} MB"
        )
        print(header)
        for key, label in (
            ("search", "search page"),
            ("search_cold", "search page, cache cleared"),
            ("index", "filtered story index"),
            ("index_cold", "story index, cache cleared"),
            ("suggest", "suggestions, cache cleared"),
        ):
            timing = result[key]
            print(
                f"{result['stories']:>8} {label:<30} {timing['median']:>10.1f} {timing['p95']:>8.1f}"
                f" {timing['n']:>9} {timing['load']:>6.2f}"
            )
        print(flush=True)


if __name__ == "__main__":
    sys.path.insert(0, str(BASE_DIR))
    main()
