"""Lighthouse (mobile) on the public pages: cumulative layout shift and performance score.

Lighthouse is pinned in package.json (``make install-dev`` runs ``npm ci``) and drives the
machine's Chromium (``CHROME_PATH``, /usr/bin/chromium by default): nothing is downloaded.
Run it against a served site, ``make run`` in another terminal:

    .venv/bin/python bench/lighthouse.py                       # http://127.0.0.1:8000
    .venv/bin/python bench/lighthouse.py --base http://127.0.0.1:8000 --runs 3

Pages: the home page, the story index, the first story it lists, the open call's page (the
first call linked from /appels/). Lighthouse's default form factor is a mobile phone (Moto G
Power, 412 px, simulated slow 4G and 4× CPU slowdown). Each page is measured ``--runs``
times; the median score and the largest CLS are printed. Targets: CLS < 0.1, performance 100.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
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


def run(url, chrome):
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
        subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": chrome}, timeout=300)
        data = json.loads(report.read_text())
    score = round(data["categories"]["performance"]["score"] * 100)
    cls = data["audits"]["cumulative-layout-shift"]["numericValue"]
    return score, cls


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--chrome", default=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is missing: run `make install-dev` (npm ci).")
    base = args.base.rstrip("/")
    print(f"{'page':<10} {'path':<45} {'performance':>11} {'CLS':>6}")
    for name, path in pages(base).items():
        results = [run(base + path, args.chrome) for _ in range(args.runs)]
        score = statistics.median(score for score, _ in results)
        cls = max(cls for _, cls in results)
        print(f"{name:<10} {path:<45} {score:>11.0f} {cls:>6.3f}", flush=True)


if __name__ == "__main__":
    main()
