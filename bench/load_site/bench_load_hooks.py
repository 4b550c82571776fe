"""The bench's windows for a kill (bench/load.py, scenario ``kill``), in the bench's site only.

Active only when ``BENCH_KILL_WINDOWS`` names a folder (bench_load_settings.py). While the
bench has armed them (a file ``armed`` in that folder), a worker pauses, with a marker file
``<pid>.<stage>`` naming itself, at two moments of an application's POST, so that a SIGKILL
sent by the bench lands exactly there:

- ``written``: a file was just written to the private storage, inside ``store_application``'s
  transaction, which has not committed (the private storage is ``PausingStorage``): the kill
  leaves a file no row will ever name, what ``manage.py sweep_orphan_files`` is for;
- ``committed``: the application is committed and its 303 built, not yet sent (the outermost
  middleware): the client never hears of it and sends the same form again, same token.

Production code is untouched: the storage is Django's FileSystemStorage with a pause after
``_save``, and the middleware a pause after the response.
"""

import os
import time
from pathlib import Path

from django.core.files.storage import FileSystemStorage

WINDOWS = os.environ.get("BENCH_KILL_WINDOWS", "")
PAUSE = float(os.environ.get("BENCH_KILL_PAUSE", "1.0"))


def pause(stage):
    if not WINDOWS:
        return
    folder = Path(WINDOWS)
    if not (folder / "armed").exists():
        return
    marker = folder / f"{os.getpid()}.{stage}"
    marker.touch()
    try:
        time.sleep(PAUSE)
    finally:
        marker.unlink(missing_ok=True)


class PausingStorage(FileSystemStorage):
    def _save(self, name, content):
        name = super()._save(name, content)
        pause("written")
        return name


class PauseAfterCommitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        thanks = response.get("Location", "").endswith("/merci/")
        if request.method == "POST" and response.status_code == 303 and thanks:
            pause("committed")
        return response
