"""Peak memory of one process while ten large-pixel PNGs are uploaded at once (``python bench/uploads.py``).

What it reproduces: ten applicants (or one attacker) send at the same moment a small PNG
that decodes to a huge bitmap (by default 6 300 × 6 300 pixels in 131 KB: one flat colour
compresses a thousandfold). Each upload goes through the real call-page POST: the upload
guard middleware, the form, ``calls.attachments.validate_upload`` (the header check, the
decoding semaphore, the decode and the re-encode), the submission and the private storage.

How: one fresh Python process per scenario, so that its high-water mark is its own. It
migrates a scratch SQLite database, loads the demo content (the open 2026 call, whose
« Photo du local » field takes PNG), warms up with one ordinary submission, then starts
ten threads, each with its own Django test ``Client`` (its own session and submission
token), which wait on a barrier and POST together. Threads in one process are what a
gunicorn worker is (``GUNICORN_THREADS`` threads share one address space); the test
client runs the same WSGI handler and middleware as gunicorn, without the sockets, so the
figure is the application's own memory, not the server's. Peak memory is the kernel's
``VmHWM`` (peak resident set) from ``/proc/self/status``; ``VmRSS`` is read just before the
uploads. The PNGs are made in the parent process: building a 40-megapixel image would
otherwise count in the measured process.

Usage: python bench/uploads.py [--side 6300] [--side 3600] [--uploads 10]

``python bench/uploads.py --pdf [--bookmarks 60000]`` measures instead the CPU seconds one
PDF check costs per MB of upload, in the worst shape known (a chain of tiny bookmarks,
each one object pypdf must parse), with the per-file budget off (as before it existed) and
on (``CALLS_UPLOAD_CHECK_CPU_SECONDS``), as raw figures and as ratios to a trivial check
(a blank one-page PDF) measured in the same run. CPU time is the thread's own
(``time.thread_time``), so the machine's load changes the figures little.

The figures measured on the project's 2-core machine are in bench/README.md.
"""

import argparse
import html
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
CALL_URL = "/appels/appel-a-candidatures-2026/"


def memory_status() -> dict[str, float]:
    """VmRSS and VmHWM of this process, in MB (the kernel's own counters, no psutil)."""
    figures = {}
    with open("/proc/self/status") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                figures[key] = int(value.split()[0]) / 1024
    return figures


def answers(token: str) -> dict:
    return {
        "qc_jeton": token,
        "nom_du_commerce": "Le Petit Zinc",
        "type_de_commerce": "cafe",
        "commune": "Aubervilliers",
        "quartier": "La Maladrerie",
        "region": "ile-de-france",
        "nom_et_prenom": "Awa Diallo",
        "courriel": "awa@example.org",
        "telephone": "06 12 34 56 78",
        "description_du_projet": "Un café avec des ordinateurs ouverts au public.",
        "consentement": "on",
    }


def blank_pdf() -> bytes:
    """The business plan the demo call requires: one blank page, written by pypdf."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def submit(png: bytes, name: str, barrier=None) -> dict:
    """GET the call page for a token, then POST the answers with ``png`` as the photo."""

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connections
    from django.test import Client

    try:
        client = Client()
        html = client.get(CALL_URL).content.decode()
        token = re.search(r'name="qc_jeton" value="([0-9a-f-]+)"', html).group(1)
        photo = SimpleUploadedFile(name, png, content_type="image/png")
        plan = SimpleUploadedFile("business-plan.pdf", blank_pdf(), content_type="application/pdf")
        if barrier is not None:
            barrier.wait()
        started = time.perf_counter()
        response = client.post(CALL_URL, {**answers(token), "photo_du_local": photo, "business_plan": plan})
        elapsed = time.perf_counter() - started
        # 303 to the thank-you page: stored; 200: the form again, with the refusal beside the field.
        body = response.content.decode() if response.status_code == 200 else ""
        refusal = re.search(r'id="id_photo_du_local_error"[^>]*>(.*?)</div>', body, re.S)
        if response.status_code == 200 and not refusal:
            errors = re.findall(r'id="(id_\w+_error)"', body)
            refusal = None
            return {"status": 200, "seconds": elapsed, "refusal": f"other errors: {errors}"}
        return {
            "status": response.status_code,
            "seconds": elapsed,
            "refusal": " ".join(re.sub(r"<[^>]+>", " ", refusal.group(1)).split()) if refusal else None,
        }
    finally:
        connections.close_all()


def run_one(png_path: str, uploads: int) -> None:
    """Runs in its own process: build the site, warm up, then the concurrent uploads."""
    import django
    from django.core.management import call_command

    django.setup()
    from calls.models import Application, CallPage

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo_content", verbosity=0, stdout=io.StringIO())
    # The demo's call is in steps; the benchmark posts every answer and both files at once.
    CallPage.objects.filter(url_path__endswith=CALL_URL).update(form_in_steps=False)
    png = Path(png_path).read_bytes()

    from PIL import Image

    small = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(small, format="PNG")
    warm = submit(small.getvalue(), "petite.png")  # templates, connections, Pillow's plugins
    if warm["status"] != 303:
        raise SystemExit(f"The warm-up submission was not stored: {warm}")

    before = memory_status()
    barrier = threading.Barrier(uploads)
    results: list[dict] = [{}] * uploads

    def worker(index):
        results[index] = submit(png, f"photo-{index}.png", barrier)

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(uploads)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    after = memory_status()
    print(
        json.dumps(
            {
                "rss_before_mb": before["VmRSS"],
                "hwm_before_mb": before["VmHWM"],
                "hwm_after_mb": after["VmHWM"],
                "wall_s": wall,
                "slowest_s": max(result["seconds"] for result in results),
                "stored": sum(result["status"] == 303 for result in results),
                "applications": Application.objects.count() - 1,
                # One line per distinct refusal: the file names differ, the reasons rarely.
                "refusals": sorted(
                    {html.unescape(re.sub(r"photo-\d+", "photo-N", r["refusal"])) for r in results if r["refusal"]}
                ),
                "statuses": sorted(result["status"] for result in results),
            }
        )
    )


def flat_png(side: int) -> bytes:
    """A ``side`` × ``side`` PNG of one colour: a few hundred kilobytes for millions of pixels."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (side, side), (200, 120, 40)).save(buffer, format="PNG", compress_level=9)
    return buffer.getvalue()


def bookmarks_pdf(count: int) -> bytes:
    """A one-page PDF with ``count`` chained bookmarks, written by hand (pypdf's writer is slow)."""
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R /Outlines << /First 4 0 R /Count %d >> >>" % count,
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    }
    for index in range(count):
        following = b" /Next %d 0 R" % (index + 5) if index < count - 1 else b""
        objects[index + 4] = b"<< /Title (%d) /Dest [3 0 R /Fit]%s >>" % (index, following)
    out, offsets = b"%PDF-1.7\n", {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    start, size = len(out), max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    out += b"".join(b"%010d 00000 n \n" % offsets[number] for number in range(1, size))
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, start)


def compressed_bookmarks_pdf(count: int, per_stream: int = 1000) -> bytes:
    """The same bookmarks packed in compressed object streams (PDF 1.5) of ``per_stream``
    objects each, as writers do: ten times more objects per MB of upload, the worst shape
    per MB (one stream of 60 000 is refused outright: MAX_OBJECTS_PER_STREAM)."""
    import zlib

    first_stream = count + 4
    streams = [range(start, min(start + per_stream, count)) for start in range(0, count, per_stream)]
    xref_number = first_stream + len(streams)
    plain = {
        1: b"<< /Type /Catalog /Pages 2 0 R /Outlines << /First 4 0 R /Count %d >> >>" % count,
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    }
    place = {}
    for stream_index, indexes in enumerate(streams):
        header, body = [], b""
        for position, index in enumerate(indexes):
            following = b" /Next %d 0 R" % (index + 5) if index < count - 1 else b""
            header.append(b"%d %d" % (index + 4, len(body)))
            body += b"<< /Title (%d) /Dest [3 0 R /Fit]%s >>\n" % (index, following)
            place[index + 4] = (first_stream + stream_index, position)
        header_bytes = b" ".join(header) + b"\n"
        packed = zlib.compress(header_bytes + body, 9)
        plain[first_stream + stream_index] = (
            b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream"
            % (len(indexes), len(header_bytes), len(packed), packed)
        )
    out, offsets = b"%PDF-1.7\n", {}
    for number, source in plain.items():
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, source)
    rows = [b"\x00\x00\x00\x00\x00\xff\xff"]
    for number in range(1, xref_number + 1):
        if number in offsets:
            rows.append(b"\x01" + offsets[number].to_bytes(4, "big") + b"\x00\x00")
        elif number == xref_number:
            rows.append(b"\x01" + len(out).to_bytes(4, "big") + b"\x00\x00")
        else:
            stream, position = place[number]
            rows.append(b"\x02" + stream.to_bytes(4, "big") + position.to_bytes(2, "big"))
    table = zlib.compress(b"".join(rows), 9)
    start = len(out)
    out += b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Filter /FlateDecode /Length %d >>\n" % (
        xref_number,
        xref_number + 1,
        len(table),
    )
    out += b"stream\n%s\nendstream\nendobj\n" % table
    return out + b"startxref\n%d\n%%%%EOF\n" % start


def pdf_cost(counts: list[int]) -> None:
    """CPU seconds of one PDF check, per MB, with the budget off and on (see the docstring)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.conf import settings
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from calls.attachments import pdf
    from calls.attachments.validation import validate_upload

    def check(data: bytes) -> tuple[float, str]:
        started = time.thread_time()
        try:
            validate_upload(SimpleUploadedFile("f.pdf", data), ["pdf"], 10 * 1024 * 1024)
            outcome = "accepted"
        except ValidationError as error:
            outcome = f"refused ({error.code})"
        return time.thread_time() - started, outcome

    trivial_pdf = blank_pdf()
    check(trivial_pdf)  # warm-up: imports, translations
    trivial = sorted(check(trivial_pdf)[0] for _ in range(30))[15]
    print(
        f"Trivial check (blank one-page PDF, {len(trivial_pdf)} bytes): {trivial * 1000:.2f} ms of CPU (median of 30)"
    )
    budget = settings.CALLS_UPLOAD_CHECK_CPU_SECONDS
    print(f"Budget per file: {budget} s of CPU (CALLS_UPLOAD_CHECK_CPU_SECONDS)\n")
    header = f"{'bookmarks':>14} {'size':>8}  {'budget':<7} {'CPU s':>7} {'s per MB':>9} {'× trivial':>10}  outcome"
    print(header)
    caps = (pdf.MAX_PDF_WALK_OBJECTS, settings.CALLS_UPLOAD_CHECK_CPU_SECONDS)
    files = [(f"{count}", bookmarks_pdf(count)) for count in counts]
    files += [(f"{count}, packed", compressed_bookmarks_pdf(count)) for count in counts]
    for count, data in files:
        megabytes = len(data) / (1024 * 1024)
        for label in ("off", "on"):
            # The elapsed-time bound stays off: on a loaded machine it would stop the check
            # first (« serveur très sollicité ») and hide what the CPU budget does.
            settings.CALLS_UPLOAD_CHECK_SECONDS = 10**9
            if label == "off":  # as before the budget: nothing stops the walk
                pdf.MAX_PDF_WALK_OBJECTS = 10**9
                settings.CALLS_UPLOAD_CHECK_CPU_SECONDS = 10**9
            else:
                pdf.MAX_PDF_WALK_OBJECTS, settings.CALLS_UPLOAD_CHECK_CPU_SECONDS = caps
            seconds, outcome = check(data)
            print(
                f"{count:>14} {megabytes:>6.2f}MB  {label:<7} {seconds:>7.2f} {seconds / megabytes:>9.2f} "
                f"{seconds / trivial:>10.0f}  {outcome}"
            )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdf", action="store_true", help="CPU seconds per MB of a PDF check")
    parser.add_argument("--bookmarks", type=int, action="append", help="bookmarks in the hostile PDF (repeatable)")
    parser.add_argument("--side", type=int, action="append", help="side of the square PNG (repeatable)")
    parser.add_argument("--uploads", type=int, default=10)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        run_one(args.one, args.uploads)
        return
    sys.stdout.reconfigure(line_buffering=True)
    if args.pdf:
        pdf_cost(args.bookmarks or [5_000, 20_000, 60_000])
        return
    print(f"{args.uploads} concurrent uploads through the call page, one fresh process per size")
    with open("/proc/loadavg") as loadavg:
        print(f"Load average at the start: {loadavg.read().split()[0]} on {os.cpu_count()} cores\n")
    for side in args.side or [6300, 3600]:
        with tempfile.TemporaryDirectory(prefix="qc-bench-uploads-") as scratch:
            png_path = Path(scratch) / "big.png"
            png_path.write_bytes(flat_png(side))
            size_kb = png_path.stat().st_size / 1024
            env = {
                **os.environ,
                # The test settings: DEBUG off, emails kept in memory, tasks run at once.
                "DJANGO_SETTINGS_MODULE": "config.settings.test",
                "SQLITE_PATH": str(Path(scratch) / "bench.sqlite3"),
                "MEDIA_ROOT": str(Path(scratch) / "media"),
                "PRIVATE_MEDIA_ROOT": str(Path(scratch) / "private"),
                "LOG_LEVEL": "ERROR",
            }
            for variable in ("DATABASE_URL", "REDIS_URL", "ELASTICSEARCH_URL", "CLAMAV_SOCKET", "CLAMAV_HOST"):
                env.pop(variable, None)
            command = [sys.executable, __file__, "--one", str(png_path), "--uploads", str(args.uploads)]
            completed = subprocess.run(command, env=env, cwd=BASE_DIR, capture_output=True, text=True, check=False)
            if completed.returncode != 0:
                print(completed.stdout[-2000:], completed.stderr[-4000:], file=sys.stderr)
                raise SystemExit(f"The upload benchmark at {side} × {side} failed.")
            result = json.loads(completed.stdout.strip().splitlines()[-1])
        print(f"{side} × {side} PNG ({side * side / 1e6:.1f} megapixels, {size_kb:.0f} KB), {args.uploads} at once:")
        print(f"  resident before the uploads  {result['rss_before_mb']:8.0f} MB")
        print(f"  peak (VmHWM) after them      {result['hwm_after_mb']:8.0f} MB")
        print(f"  wall time                    {result['wall_s']:8.1f} s (slowest request {result['slowest_s']:.1f} s)")
        print(f"  stored {result['stored']} / {args.uploads}, HTTP statuses {result['statuses']}")
        for refusal in result["refusals"]:
            print(f"  refused: {refusal}")
        print()


if __name__ == "__main__":
    sys.path.insert(0, str(BASE_DIR))
    main()
