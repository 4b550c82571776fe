"""Time to open and to save the call editor in Chromium, as ratios to a trivial view.

    .venv/bin/python bench/call_editor.py [--rounds 5]

A scratch SQLite database gets the demo content (the open call has the demo's whole form),
served by ``manage.py runserver --insecure --noreload`` with ``DEBUG=False`` and no autosave
(``bench/pages_site/bench_editor_settings.py``). Playwright drives the machine's Chromium
(``CHROME_PATH``, default ``/usr/bin/chromium``) signed in as the demo's superuser:

- open: ``goto`` the call's edit page until its ``load`` event; the server's share is the
  navigation's ``responseStart - requestStart``;
- save: « Enregistrer le brouillon », until the editor is loaded again (the POST, its
  redirect and the editor's GET);
- the same two for the home page's editor (Wagtail's own floor for a page editor) and the
  trivial view (``/bench-trivial/``, no template, no query).

``--copy-of FILE`` starts from a copy of an SQLite file already holding the demo (loading
the demo takes minutes). Each figure is the median of the rounds after one warm-up; the load average is printed with
them. The figures measured on the project's machine are in bench/README.md.
"""

import argparse
import os
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

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(db_path):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench_editor_settings",
        "PYTHONPATH": os.pathsep.join([str(BASE_DIR / "bench" / "pages_site"), str(BASE_DIR)]),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SQLITE_PATH": str(db_path),
        "MEDIA_ROOT": str(db_path.parent / "media"),
        "PRIVATE_MEDIA_ROOT": str(db_path.parent / "private"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }


def manage(env, *args, capture=False):
    return subprocess.run(
        [PYTHON, str(BASE_DIR / "manage.py"), *args], env=env, check=True, capture_output=capture, text=True
    )


NAVIGATION = """() => {
  const n = performance.getEntriesByType('navigation')[0];
  return {server: n.responseStart - n.requestStart, redirect: n.redirectEnd - n.redirectStart,
          load: n.loadEventEnd - n.startTime};
}"""


def measure_open(page, url):
    started = time.perf_counter()
    page.goto(url, wait_until="load")
    elapsed = time.perf_counter() - started
    return elapsed, page.evaluate(NAVIGATION)["server"] / 1000


def measure_save(page):
    button = page.locator("button.action-save").first
    started = time.perf_counter()
    with page.expect_navigation(wait_until="load"):
        button.click()
    elapsed = time.perf_counter() - started
    return elapsed, page.evaluate(NAVIGATION)["server"] / 1000


def median(values):
    return statistics.median(values) if values else float("nan")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--copy-of", type=Path, help="an SQLite file already holding the demo (copied, not changed)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="bench-editor-") as tmp:
        db_path = Path(tmp) / "bench.sqlite3"
        env = environment(db_path)
        if args.copy_of:
            shutil.copyfile(args.copy_of, db_path)
        manage(env, "migrate", "--verbosity", "0")
        if not args.copy_of:
            manage(env, "load_demo_content")
        manage(env, "ensure_dev_superuser")
        ids = manage(
            env,
            "shell",
            "-c",
            "from calls.models import CallPage; from wagtail.models import Site;"
            "print(CallPage.objects.live().order_by('-opens_at').first().pk,"
            " Site.objects.get(is_default_site=True).root_page_id)",
            capture=True,
        ).stdout.split()
        call_id, home_id = ids[-2], ids[-1]
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [PYTHON, str(BASE_DIR / "manage.py"), "runserver", "--insecure", "--noreload", f"127.0.0.1:{port}"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 180  # runserver's system checks on a loaded machine
            while True:
                try:
                    urllib.request.urlopen(base + "/bench-trivial/", timeout=5).read()  # noqa: S310 (loopback)
                    break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise
                    time.sleep(0.5)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.goto(base + "/admin/login/")
                page.fill("input[name=username]", "admin")
                page.fill("input[name=password]", "changeme")
                with page.expect_navigation():
                    page.click("button[type=submit]")
                rows = {}
                targets = {
                    "trivial view": (base + "/bench-trivial/", False),
                    "home page editor": (f"{base}/admin/pages/{home_id}/edit/", True),
                    "call editor": (f"{base}/admin/pages/{call_id}/edit/", True),
                }
                for name, (url, savable) in targets.items():
                    opens, open_server, saves, save_server = [], [], [], []
                    for round_ in range(args.rounds + 1):
                        elapsed, server_s = measure_open(page, url)
                        if round_:
                            opens.append(elapsed)
                            open_server.append(server_s)
                        if savable:
                            elapsed, server_s = measure_save(page)
                            if round_:
                                saves.append(elapsed)
                                save_server.append(server_s)
                    rows[name] = (median(opens), median(open_server), median(saves), median(save_server))
                browser.close()
        finally:
            server.terminate()
            server.wait()
    floor = rows["trivial view"][0]
    load = open("/proc/loadavg").read().split()[:3]
    print(f"load average: {' '.join(load)}; {args.rounds} rounds, medians")
    print(f"{'':18} {'open s':>8} {'server s':>9} {'× trivial':>10} {'save s':>8} {'× trivial':>10}")
    for name, (open_s, open_srv, save_s, _save_srv) in rows.items():
        save = f"{save_s:8.3f} {save_s / floor:10.1f}" if save_s == save_s else f"{'—':>8} {'—':>10}"
        print(f"{name:18} {open_s:8.3f} {open_srv:9.3f} {open_s / floor:10.1f} {save}")


if __name__ == "__main__":
    main()
