"""Applications under load: N applications (a 1 MB PDF and a photo each) from 20 concurrent
clients on distinct loopback addresses, against the site under gunicorn with the production
settings, on SQLite and on PostgreSQL, with faults injected mid-run.

Scenarios (each on a call of its own, with its own private-files folder):

- ``plain``: nothing goes wrong;
- ``kill``: gunicorn workers are killed (SIGKILL) in the middle of application POSTs,
  ``--kills`` times spread over the run, alternately in two windows the bench's site opens on
  demand (bench/load_site/bench_load_hooks.py): just after a file's write to the private
  storage, before the transaction commits (the file is left with no row), and just after the
  commit, before the 303 is sent (the client never hears of its application); at the middle
  kill the other worker is killed too (both at once). A client whose request died sends the
  same form again (same one-time token). Afterwards ``manage.py sweep_orphan_files`` runs:
  once as is (every file is minutes old: nothing may go), then with every file of the folder
  aged by two hours (``--dry-run``, then for real): the orphans go, nothing else;
- ``redis``: the cache is a Redis started here on a free port, stopped a third of the way in;
- ``smtp``: the mail server is a local port that refuses connections; afterwards the task
  worker (``manage.py db_worker --batch``) tries the emails and queues their retries.

After each run the database and the folder are checked: every application the clients were
told about is stored, with its two files on disk and of their size; no file without its row,
no row without its file; references unique; a second POST with the same token (every 25th
application) gives the same reference. Client addresses: the site reads REMOTE_ADDR
(``home.security.client_ip``, TRUSTED_PROXY_COUNT=0); the submission limits
(``calls/submission.py``) are raised so that 50 applications from one address are accepted
(past the soft limit they are stored « à vérifier », as on a shared connection).

Usage: python bench/load.py [--count 1000] [--clients 20] [--databases sqlite postgresql]
       [--scenarios plain kill redis smtp] [--kills 6]
       [--postgres-url postgres://postgres@127.0.0.1:5432/qc_load]
Figures in bench/README.md.
"""

import argparse
import io
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
TOKEN = re.compile(r'name="qc_jeton" value="([0-9a-f-]+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REFERENCE = re.compile(r"QC-\d{4}-\d{4,}")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- the files --------------------------------------------------------------------------------


def make_pdf(size=1_000_000):
    """A valid one-page PDF of about ``size`` bytes (a long, harmless content stream)."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    stream = DecodedStreamObject()
    line = b"0.5 g 10 10 100 100 re f\n"
    stream.set_data(line * (size // len(line)))
    page[NameObject("/Contents")] = writer._add_object(stream)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def make_photo():
    from PIL import Image

    image = Image.effect_noise((1024, 768), 64).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


ANSWERS = {
    "nom_du_commerce": "Le Petit Zinc",
    "nom_et_prenom": "Awa Diallo",
    "courriel": "awa@example.org",
    "telephone": "06 12 34 56 78",
    "commune": "Aubervilliers",
    "region": "ile-de-france",
    "type_de_commerce": "cafe",
    "siret": "732 829 320 00074",
    "projet": "Un café avec des ordinateurs ouverts au public.",
    "jaccepte_le_traitement_de_mes_donnees": "on",
}


# --- the site -----------------------------------------------------------------------------------


class Site:
    def __init__(self, database, folder, postgres_url):
        self.database, self.folder = database, Path(folder)
        self.postgres_url = postgres_url
        self.server = None

    def env(self, private_root, port=0, extra=None):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench_load_settings",
            "PYTHONPATH": os.pathsep.join([str(BASE_DIR / "bench" / "load_site"), str(BASE_DIR)]),
            "SECRET_KEY": self.secret,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "False",
            "STATIC_ROOT": str(self.folder / "static"),
            "MEDIA_ROOT": str(self.folder / "media"),
            "PRIVATE_MEDIA_ROOT": str(private_root),
            "WEB_CONCURRENCY": "2",
            "GUNICORN_THREADS": "1",
            "GUNICORN_TIMEOUT": "60",
            "PORT": str(port),
            "LOG_LEVEL": "WARNING",
            "CALLS_SUBMISSION_HARD_LIMIT": "100000",
            "CALLS_SUBMISSION_ADDRESS_LIMIT": "100000",
            "TRUSTED_PROXY_COUNT": "0",
        }
        for name in ("DATABASE_URL", "REDIS_URL", "ELASTICSEARCH_URL", "AWS_STORAGE_BUCKET_NAME", "EMAIL_URL"):
            env.pop(name, None)
        env.pop("EMAIL_HOST", None)
        if self.database == "postgresql":
            env["DATABASE_URL"] = self.postgres_url
        else:
            env["SQLITE_PATH"] = str(self.folder / "load.sqlite3")
        env.update(extra or {})
        return env

    def manage(self, env, *args, timeout=600):
        return subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=BASE_DIR,
            env=env,
            check=True,
            capture_output=True,
            text=True,
            timeout=timeout,
        ).stdout

    def shell(self, env, code):
        return self.manage(env, "shell", "-c", code).strip().splitlines()[-1]

    def prepare(self):
        self.secret = secrets.token_urlsafe(50)
        if self.database == "postgresql":
            import psycopg

            name = self.postgres_url.rsplit("/", 1)[1]
            admin = self.postgres_url.rsplit("/", 1)[0] + "/postgres"
            with psycopg.connect(admin, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
                connection.execute(f'CREATE DATABASE "{name}"')
        env = self.env(self.folder / "private-setup")
        self.manage(env, "collectstatic", "--noinput")
        self.manage(env, "migrate", "--noinput")
        self.shell(
            env,
            "from tests.factories import make_home; from tests.calls.factories import CallIndexPageFactory;"
            "home = make_home(); CallIndexPageFactory(parent=home, slug='appels'); print('ok')",
        )

    def new_call(self, env, slug):
        return self.shell(
            env,
            "from calls.models import CallIndexPage; from tests.calls.factories import make_call;"
            f"call = make_call(CallIndexPage.objects.get(), slug={slug!r}, title={slug!r});"
            "print(call.url)",
        )

    def start(self, env):
        port = int(env["PORT"])
        self.server = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "-c", "config/gunicorn.py", "--bind", f"127.0.0.1:{port}", "config.wsgi"],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(self.folder / "gunicorn.log", "ab"),
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        for _attempt in range(150):
            try:
                requests.get(base + "/healthz/", timeout=2)
                return base
            except requests.RequestException:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def workers(self):
        """The pids of the gunicorn master's children (its workers)."""
        pids = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(fields[1]) == self.server.pid:
                    pids.append(int(entry.name))
        return pids

    def stop(self):
        if self.server is not None:
            os.killpg(self.server.pid, signal.SIGTERM)
            self.server.wait(timeout=60)
            self.server = None


# --- the clients --------------------------------------------------------------------------------


class SourceAddressAdapter(HTTPAdapter):
    """Connect from one loopback address (127.0.0.x): the site sees one client per address."""

    def __init__(self, address):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        return super().init_poolmanager(*args, **kwargs)


class Run:
    def __init__(self, base, call_url, count, clients, pdf, photo):
        self.base, self.call_url, self.count, self.clients = base, call_url, count, clients
        self.pdf, self.photo = pdf, photo
        self.lock = threading.Lock()
        self.next_index = 0
        self.done = 0
        self.records = []  # {token, reference, latency, attempts}
        self.statuses = {}
        self.connection_errors = 0
        self.cut_posts = {}  # token → times its POST's connection died (its worker killed)
        self.failed = []  # applications given up by a client
        self.same_token_checks = []  # (reference, reference again)
        self.milestones = {}

    def take(self):
        with self.lock:
            if self.next_index >= self.count:
                return None
            self.next_index += 1
            return self.next_index

    def count_status(self, status):
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1

    def client(self, number):
        session = requests.Session()
        adapter = SourceAddressAdapter(f"127.0.0.{10 + number}")
        session.mount("http://", adapter)
        while (index := self.take()) is not None:
            record = self.apply(session, index)
            with self.lock:
                if record is None:
                    self.failed.append(index)
                else:
                    self.records.append(record)
                self.done += 1
                event = self.milestones.get(self.done)
            if event is not None:
                event.set()

    def request(self, session, method, url, **kwargs):
        """One request, sent again (up to 10 times) when the connection dies or a 5xx comes back."""
        for attempt in range(1, 11):
            try:
                response = session.request(method, url, timeout=120, allow_redirects=False, **kwargs)
            except requests.RequestException:
                with self.lock:
                    self.connection_errors += 1
                    if method == "POST":
                        token = kwargs["data"]["qc_jeton"]
                        self.cut_posts[token] = self.cut_posts.get(token, 0) + 1
                time.sleep(0.3 * attempt)
                continue
            self.count_status(response.status_code)
            if response.status_code >= 500:
                time.sleep(0.3 * attempt)
                continue
            return response, attempt
        return None, 10

    def apply(self, session, index):
        page, _ = self.request(session, "GET", self.base + self.call_url)
        if page is None or page.status_code != 200:
            return None
        html = page.text
        token, csrf = TOKEN.search(html).group(1), CSRF.search(html).group(1)
        data = {**ANSWERS, "courriel": f"candidat{index}@example.org", "qc_jeton": token}
        data["csrfmiddlewaretoken"] = csrf

        def post():
            files = {
                "photo_du_local": (f"devanture-{index % 7}.jpg", self.photo, "image/jpeg"),
                "business_plan": ("business-plan.pdf", self.pdf, "application/pdf"),
            }
            started = time.perf_counter()
            response, attempts = self.request(
                session,
                "POST",
                self.base + self.call_url,
                data=data,
                files=files,
                headers={"Referer": self.base + self.call_url},
            )
            return response, attempts, time.perf_counter() - started

        response, attempts, latency = post()
        if response is None or response.status_code != 303:
            return None
        reference = self.reference(session)
        if reference is None:
            return None
        if index % 25 == 0:  # the same form sent again: the same application
            again, _, _ = post()
            self.same_token_checks.append((reference, self.reference(session) if again is not None else None))
        return {"token": token, "reference": reference, "latency": latency, "attempts": attempts}

    def reference(self, session):
        thanks, _ = self.request(session, "GET", self.base + self.call_url + "merci/")
        if thanks is None:
            return None
        found = REFERENCE.search(thanks.text)
        return found.group(0) if found else None

    def go(self, fault_at=None):
        if fault_at is not None:
            self.milestones[fault_at] = threading.Event()
        threads = [threading.Thread(target=self.client, args=(n,), daemon=True) for n in range(self.clients)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        return threads, started


# --- the checks ---------------------------------------------------------------------------------

CHECK = """
import json, os
from calls.models import Application, Attachment, CallPage
from django_tasks_db.models import DBTaskResult
call = CallPage.objects.get(slug={slug!r})
apps = list(Application.objects.filter(page=call).values("pk", "reference", "idempotency_key", "needs_check"))
atts = list(Attachment.objects.filter(application__page=call).values("application_id", "file", "size"))
root = {root!r}
on_disk = {{}}
for folder, _dirs, names in os.walk(root):
    for name in names:
        path = os.path.join(folder, name)
        on_disk[os.path.relpath(path, root)] = os.path.getsize(path)
tasks = {{}}
for row in DBTaskResult.objects.values("status", "task_path"):
    key = row["task_path"].rsplit(".", 1)[-1] + ":" + row["status"]
    tasks[key] = tasks.get(key, 0) + 1
unsent = Application.objects.filter(page=call, confirmation_sent_at__isnull=True).count()
print(json.dumps({{"apps": apps, "atts": atts, "disk": on_disk, "tasks": tasks, "unsent": unsent}}, default=str))
"""


def check(site, env, slug, root, run):
    state = json.loads(site.shell(env, CHECK.format(slug=slug, root=str(root))))
    by_token = {app["idempotency_key"]: app for app in state["apps"]}
    lost = [r for r in run.records if by_token.get(r["token"], {}).get("reference") != r["reference"]]
    per_app = {}
    for att in state["atts"]:
        per_app.setdefault(att["application_id"], []).append(att)
    incomplete = [app for app in state["apps"] if len(per_app.get(app["pk"], [])) != 2]
    disk = state["disk"]
    missing_files = [a for a in state["atts"] if disk.get(a["file"]) != a["size"]]
    rows = {a["file"] for a in state["atts"]}
    orphan_files = [name for name in disk if name not in rows]
    references = [app["reference"] for app in state["apps"]]
    told = {r["token"] for r in run.records}
    # A POST cut by a kill and sent again with its token: one application, the one the
    # client was told about (``lost`` counts a wrong reference; the token is unique).
    told_reference = {r["token"]: r["reference"] for r in run.records}
    cut_whole = [
        token
        for token in run.cut_posts
        if token in by_token
        and told_reference.get(token) == by_token[token]["reference"]
        and len(per_app.get(by_token[token]["pk"], [])) == 2
    ]
    return {
        "stored": len(state["apps"]),
        "told": len(run.records),
        "not_told": len([a for a in state["apps"] if str(a["idempotency_key"]) not in told]),
        "lost": len(lost),
        "incomplete": len(incomplete),
        "missing_files": len(missing_files),
        "orphan_files": len(orphan_files),
        "duplicate_references": len(references) - len(set(references)),
        "cut_posts": len(run.cut_posts),
        "cut_posts_stored_once_as_told": len(cut_whole),
        "flagged": sum(1 for app in state["apps"] if app["needs_check"]),
        "tasks": state["tasks"],
        "unsent": state["unsent"],
    }


# --- scenarios ----------------------------------------------------------------------------------


def start_redis(folder):
    port = free_port()
    process = subprocess.Popen(
        [
            "redis-server",
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(folder),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _attempt in range(50):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process, port
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("redis-server did not start")


class Killer:
    """SIGKILL to a worker while it is inside an application's POST, in a chosen window.

    The bench arms the windows (a file ``armed``), waits for a worker to announce itself in
    the wanted one (``<pid>.<stage>``, bench_load_hooks.py), kills that pid if it is one of
    this gunicorn's workers, and disarms: between kills the site runs at full speed.
    """

    STAGES = ("written", "committed")

    def __init__(self, site, run, folder, kills):
        self.site, self.run, self.folder = site, run, Path(folder)
        count = run.count
        self.plan = [(count * (i + 1) // (kills + 1), self.STAGES[i % 2]) for i in range(kills)]
        self.both_at = len(self.plan) // 2
        self.kills = []  # (stage, pid)
        self.missed = []  # stages no worker entered in time
        self.thread = threading.Thread(target=self.work, daemon=True)

    def work(self):
        for number, (milestone, stage) in enumerate(self.plan):
            while self.run.done < milestone:  # a milestone is below the count: it comes
                time.sleep(0.05)
            armed = self.folder / "armed"
            armed.touch()
            try:
                victim = self.wait_for(stage, timeout=60)
                if victim is None:
                    self.missed.append(stage)
                    continue
                os.kill(victim, signal.SIGKILL)
                self.kills.append((stage, victim))
                if number == self.both_at:  # both workers at once, as a host's OOM killer might
                    for pid in self.site.workers():
                        if pid != victim:
                            os.kill(pid, signal.SIGKILL)
                            self.kills.append(("any", pid))
            finally:
                armed.unlink(missing_ok=True)
                for marker in self.folder.glob("*.*"):
                    pid = int(marker.name.split(".")[0])
                    if not Path(f"/proc/{pid}").exists() or pid in [k[1] for k in self.kills]:
                        marker.unlink(missing_ok=True)

    def wait_for(self, stage, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.run.done >= self.run.count:
                return None
            workers = set(self.site.workers())
            for marker in self.folder.glob(f"*.{stage}"):
                pid = int(marker.name.split(".")[0])
                if pid in workers:
                    return pid
            time.sleep(0.005)
        return None


SWEPT = re.compile(r"^(\d+) fichier\(s\) orphelin", re.MULTILINE)


def sweep_orphans(site, env, root):
    """``manage.py sweep_orphan_files`` on the scenario's folder: as is (nothing is older than
    the grace: nothing may go), then with every file aged by two hours, dry run and for real."""
    figures = {}
    figures["swept_young"] = int(SWEPT.search(site.manage(env, "sweep_orphan_files")).group(1))
    then = time.time() - 2 * 3600
    for folder, _dirs, names in os.walk(root):
        for name in names:
            os.utime(os.path.join(folder, name), (then, then))
    figures["dry_run_found"] = int(SWEPT.search(site.manage(env, "sweep_orphan_files", "--dry-run")).group(1))
    figures["swept"] = int(SWEPT.search(site.manage(env, "sweep_orphan_files")).group(1))
    return figures


def scenario(site, name, args, pdf, photo):
    slug = f"appel-{name}-{secrets.token_hex(3)}"
    root = site.folder / f"private-{slug}"
    extra, redis, notes = {}, None, []
    if name == "redis":
        redis, redis_port = start_redis(site.folder)
        extra["REDIS_URL"] = f"redis://127.0.0.1:{redis_port}/0"
    if name == "smtp":
        extra.update(
            {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(free_port()), "EMAIL_USE_TLS": "False", "EMAIL_TIMEOUT": "5"}
        )
    windows = None
    if name == "kill":
        windows = site.folder / f"windows-{slug}"
        windows.mkdir()
        extra.update({"BENCH_KILL_WINDOWS": str(windows), "BENCH_KILL_PAUSE": "1.0"})
    env = site.env(root, port=free_port(), extra=extra)
    call_url = site.new_call(env, slug)
    base = site.start(env)
    run = Run(base, call_url, args.count, args.clients, pdf, photo)
    fault_at = args.count // 3 if name == "redis" else None
    killer = Killer(site, run, windows, args.kills) if name == "kill" else None
    try:
        threads, started = run.go(fault_at)
        if killer is not None:
            killer.thread.start()
        if fault_at is not None:
            run.milestones[fault_at].wait()
            redis.terminate()
            redis.wait(timeout=10)
            notes.append(f"Redis stopped after {fault_at} applications")
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        if killer is not None:
            killer.thread.join(timeout=5)
    finally:
        site.stop()
        if redis is not None and redis.poll() is None:
            redis.terminate()
    if killer is not None:
        stages = [stage for stage, _pid in killer.kills]
        notes.append(
            f"SIGKILL ×{len(stages)}: {stages.count('written')} after a file's write and before the commit, "
            f"{stages.count('committed')} after the commit and before the response, {stages.count('any')} "
            f"the other worker at the same time; windows no worker entered in time: {killer.missed or 'none'}"
        )
    if name == "smtp":
        # The task worker tries the queued emails against the refusing server: each failure
        # queues a retry for later (calls/tasks.py), the applications stay as they are.
        env_worker = {**env, "PORT": "0"}
        site.manage(env_worker, "db_worker", "--batch", "--no-startup-delay", timeout=900)
    result = check(site, env, slug, root, run)
    if killer is not None:
        # The files the killed POSTs left, then the sweep, then the same checks again.
        result["orphans_before_sweep"] = result["orphan_files"]
        result.update(sweep_orphans(site, env, root))
        after = check(site, env, slug, root, run)
        result["orphan_files"] = after["orphan_files"]
        result["missing_files_after_sweep"] = after["missing_files"] + after["incomplete"]
        result["kills"] = {
            stage: sum(1 for s, _pid in killer.kills if s == stage) for stage in ("written", "committed", "any")
        }
    latencies = sorted(r["latency"] for r in run.records)
    result.update(
        {
            "database": site.database,
            "scenario": name,
            "elapsed": elapsed,
            "rate": len(run.records) / elapsed if elapsed else 0,
            "p50": statistics.median(latencies) if latencies else 0,
            "p99": latencies[max(0, int(len(latencies) * 0.99) - 1)] if latencies else 0,
            "max": latencies[-1] if latencies else 0,
            "5xx": sum(n for status, n in run.statuses.items() if status >= 500),
            "statuses": dict(sorted(run.statuses.items())),
            "connection_errors": run.connection_errors,
            # POSTs sent again (their worker killed, or a 5xx): each must have given one
            # application, under its token, with the reference the client was finally told.
            "retried": sum(1 for r in run.records if r["attempts"] > 1),
            "given_up": len(run.failed),
            "same_token": f"{sum(1 for a, b in run.same_token_checks if a == b)}/{len(run.same_token_checks)}",
            "notes": notes,
        }
    )
    return result


def orphans(result):
    """Orphan files; in the kill scenario, before the sweep → after it."""
    if "orphans_before_sweep" in result:
        return f"{result['orphans_before_sweep']}→{result['orphan_files']}"
    return str(result["orphan_files"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"])
    parser.add_argument(
        "--scenarios", nargs="+", default=["plain", "kill", "redis", "smtp"], choices=["plain", "kill", "redis", "smtp"]
    )
    parser.add_argument(
        "--postgres-url", default=os.environ.get("LOAD_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/qc_load")
    )
    parser.add_argument("--kills", type=int, default=6, help="SIGKILLs in the kill scenario (default 6)")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()
    random.seed(2024)
    pdf, photo = make_pdf(), make_photo()
    print(
        f"{args.count} applications per run, {args.clients} clients (127.0.0.10–{9 + args.clients}), "
        f"PDF {len(pdf) / 1e6:.2f} MB, photo {len(photo) / 1e3:.0f} kB; gunicorn 2 sync workers",
        flush=True,
    )
    results = []
    for database in args.databases:
        folder = tempfile.mkdtemp(prefix=f"qc-load-{database}-")
        site = Site(database, folder, args.postgres_url)
        try:
            print(f"[{database}] preparing…", flush=True)
            site.prepare()
            for name in args.scenarios:
                print(f"[{database}] {name}…", flush=True)
                result = scenario(site, name, args, pdf, photo)
                results.append(result)
                print("   ", json.dumps(result, ensure_ascii=False), flush=True)
        finally:
            site.stop()
            shutil.rmtree(folder, ignore_errors=True)
    load = open("/proc/loadavg").read().split()[:3]
    print(f"\nload average at the end (1, 5, 15 min): {' '.join(load)}")
    header = (
        f"{'database':<10} {'scenario':<7} {'stored':>6} {'told':>5} {'lost':>4} {'incompl.':>8} {'orphans':>7} "
        f"{'dup.ref':>7} {'5xx':>4} {'conn.err':>8} {'same tok.':>9} {'apps/s':>6} {'p50 s':>6} {'p99 s':>6}"
    )
    print(header)
    for r in results:
        print(
            f"{r['database']:<10} {r['scenario']:<7} {r['stored']:>6} {r['told']:>5} {r['lost']:>4} "
            f"{r['incomplete'] + r['missing_files']:>8} {orphans(r):>7} {r['duplicate_references']:>7} "
            f"{r['5xx']:>4} {r['connection_errors']:>8} {r['same_token']:>9} {r['rate']:>6.1f} {r['p50']:>6.2f} "
            f"{r['p99']:>6.2f}"
        )
    for r in results:
        if "kills" in r:
            k = r["kills"]
            print(
                f"{r['database']} kill: SIGKILL after a write {k['written']}, after a commit {k['committed']}, "
                f"other worker {k['any']}; POSTs cut {r['cut_posts']}, stored once with the reference told after "
                f"their retry {r['cut_posts_stored_once_as_told']}; orphan files before the sweep "
                f"{r['orphans_before_sweep']}, swept while young {r['swept_young']}, found aged (dry run) "
                f"{r['dry_run_found']}, swept {r['swept']}, left {r['orphan_files']}; attachments missing after "
                f"the sweep {r['missing_files_after_sweep']}"
            )
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
