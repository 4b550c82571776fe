"""Lighthouse (mobile) on the public pages: performance score, cumulative layout shift, and the
timings the score is made of.

Lighthouse is pinned in package.json (``make install-dev`` runs ``npm ci``) and drives the
machine's Chromium (``CHROME_PATH``, /usr/bin/chromium by default): nothing is downloaded.
Two ways to run it:

    .venv/bin/python bench/lighthouse.py --serve [--copy-of demo.sqlite3] [--runs 3]
    .venv/bin/python bench/lighthouse.py --base http://127.0.0.1:8000 [--runs 3]

``--serve`` measures the site as production serves it: a scratch SQLite database with the demo
content (or a copy of one that has it: loading the demo takes minutes), static files collected
with WhiteNoise's compressed, hashed storage, DEBUG off, gunicorn with 2 workers of 2 threads
(``bench/pages_site/bench_lighthouse_settings.py``; the demo's images are served by Django, as
a bucket would serve them). ``--base`` measures a site already served (``make run`` serves the
development settings: no compression, static files from Django, so lower scores).

Pages: the home page, the story index, the first story it lists, the open call's page (the
first call linked from /appels/). Lighthouse's default form factor is a mobile phone (Moto G
Power, 412 px, simulated slow 4G and 4× CPU slowdown). Each page is measured ``--runs``
times; the median score and timings and the largest CLS are printed, with the load average
(the 4× slowdown multiplies the machine's own). A run that fails is retried once and said.
Targets: CLS < 0.1, performance 100.
"""

import argparse
import contextlib
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"


def first_link(base, path, pattern):
    if not base.startswith(("http://", "https://")):
        sys.exit(f"--base must be an http(s) URL, not {base!r}")
    html = urllib.request.urlopen(base + path, timeout=30).read().decode()  # noqa: S310 (checked above)
    match = re.search(pattern, html)
    if not match:
        sys.exit(f"No link matching {pattern!r} on {path}")
    return match.group(1)


def pages(base):
    return {
        "accueil": "/",
        "laureats": "/laureats/",
        "recit": first_link(base, "/laureats/", r'href="(/laureats/[a-z0-9-]+/)"'),
        "appel": first_link(base, "/appels/", r'href="(/appels/[a-z0-9-]+/)"'),
    }


TIMINGS = {
    "FCP": "first-contentful-paint",
    "LCP": "largest-contentful-paint",
    "TBT": "total-blocking-time",
    "SI": "speed-index",
}


def lighthouse(url, chrome):
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        command = [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--only-categories=performance",
            "--output=json",
            f"--output-path={report}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        ]
        subprocess.run(
            command, check=True, env={**os.environ, "CHROME_PATH": chrome}, timeout=300, capture_output=True, text=True
        )
        data = json.loads(report.read_text())
    audits = data["audits"]
    return {
        "score": round(data["categories"]["performance"]["score"] * 100),
        "CLS": audits["cumulative-layout-shift"]["numericValue"],
        **{name: audits[key]["numericValue"] for name, key in TIMINGS.items()},
    }


def run(url, chrome):
    """One measure; a failure (Chromium killed on a loaded machine) is said and tried once more."""
    try:
        return lighthouse(url, chrome)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
        tail = (getattr(error, "stderr", "") or "").strip().splitlines()[-1:] or [""]
        print(f"  (a run failed on {url}: {tail[0]}; tried again)", file=sys.stderr, flush=True)
        return lighthouse(url, chrome)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def served(copy_of):
    """The demo behind gunicorn and WhiteNoise, in a scratch folder; yields its base URL."""
    with tempfile.TemporaryDirectory(prefix="bench-lighthouse-") as tmp:
        folder = Path(tmp)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench_lighthouse_settings",
            "PYTHONPATH": os.pathsep.join([str(ROOT / "bench" / "pages_site"), str(ROOT)]),
            "SECRET_KEY": secrets.token_urlsafe(50),
            "SQLITE_PATH": str(folder / "bench.sqlite3"),
            "MEDIA_ROOT": str(folder / "media"),
            "PRIVATE_MEDIA_ROOT": str(folder / "private"),
            "STATIC_ROOT": str(folder / "static"),
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        }

        def manage(*args):
            subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, check=True)

        if copy_of:
            shutil.copyfile(copy_of, folder / "bench.sqlite3")
            media = Path(copy_of).parent / "media"
            if media.is_dir():  # the demo's images, beside the database as make run keeps them
                shutil.copytree(media, folder / "media")
        manage("migrate", "--verbosity", "0")
        if not copy_of:
            manage("load_demo_content")
        manage("collectstatic", "--noinput", "--verbosity", "0")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2", "--threads", "2"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    urllib.request.urlopen(base + "/", timeout=10).read()  # noqa: S310 (loopback)
                    break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise
                    time.sleep(0.5)
            yield base
        finally:
            server.terminate()
            server.wait(timeout=30)


def measure(base, runs, chrome):
    print(f"load average at the start: {os.getloadavg()[0]:.1f}")
    print(f"{'page':<9} {'path':<42} {'perf':>4} {'CLS':>6} {'FCP':>6} {'LCP':>6} {'TBT':>6} {'SI':>6}")
    for name, path in pages(base).items():
        results = [run(base + path, chrome) for _ in range(runs)]

        def med(key, results=results):
            return statistics.median(result[key] for result in results)

        print(
            f"{name:<9} {path:<42} {med('score'):>4.0f} {max(r['CLS'] for r in results):>6.3f}"
            + "".join(f" {med(key) / 1000:>5.2f}s" for key in TIMINGS),
            flush=True,
        )
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--base", default="http://127.0.0.1:8000", help="a site already served")
    where.add_argument("--serve", action="store_true", help="serve the demo behind gunicorn and WhiteNoise")
    parser.add_argument("--copy-of", type=Path, help="with --serve: an SQLite file already holding the demo")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--chrome", default=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is missing: run `make install-dev` (npm ci).")
    if args.serve:
        with served(args.copy_of) as base:
            measure(base, args.runs, args.chrome)
    else:
        measure(args.base.rstrip("/"), args.runs, args.chrome)


if __name__ == "__main__":
    main()
