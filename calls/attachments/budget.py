"""The CPU and time budget of one file's checks (the PDF walk, an image's decoding).

Parsing a PDF with pypdf costs about 150 µs of CPU per object (pure Python), so a 10 MB
file of tiny objects (60 000 bookmarks fit in 600 KB) would hold a worker's thread for
tens of seconds; the caps on objects, depth and pixels bound the work, and this budget
bounds the time it takes. ``CheckBudget.check()`` is called between steps (every few
hundred objects of the PDF walk and of the PDF scan, between an image's decoding and its
re-encoding) and refuses the file, with a French message naming it, once either bound is
past:

- ``CALLS_UPLOAD_CHECK_CPU_SECONDS``: CPU seconds spent by this thread on this file
  (``time.thread_time``: gunicorn runs requests in threads of one process, so the
  process's CPU time, ``time.process_time``, would charge one upload for its neighbours').
  Past it the file is « trop complexe ».
- ``CALLS_UPLOAD_CHECK_SECONDS``: seconds elapsed (``time.monotonic``), which also counts
  the waits for the other threads and the GIL. Past it with the CPU budget still unspent,
  the server is busy rather than the file hostile: the applicant is asked to try again.

A step already started runs to its end (Pillow's decoder and encoder and pypdf's parsing
of one object are not interruptible): the bound is the budget plus one step, and each
step is itself bounded (pixels per image, objects per PDF).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.utils.translation import gettext as _

from .refusal import Refusal


class CheckBudget:
    """Started when a file's check starts; ``check()`` raises ``Refusal`` once past a bound."""

    def __init__(self, shown: str, too_complex: str):
        self.shown = shown
        self.too_complex = too_complex  # the French message (with %(name)s) past the CPU budget
        self.cpu_limit = settings.CALLS_UPLOAD_CHECK_CPU_SECONDS
        self.wall_limit = settings.CALLS_UPLOAD_CHECK_SECONDS
        self.cpu_start = time.thread_time()
        self.wall_start = time.monotonic()

    def cpu_spent(self) -> float:
        return time.thread_time() - self.cpu_start

    def check(self) -> None:
        if self.cpu_spent() > self.cpu_limit:
            raise Refusal(self.too_complex % {"name": self.shown}, "too_complex")
        if time.monotonic() - self.wall_start > self.wall_limit:
            raise Refusal(
                _(
                    "Le fichier « %(name)s » n'a pas pu être vérifié à temps : le serveur est très sollicité. "
                    "Réessayez dans quelques minutes."
                )
                % {"name": self.shown},
                "busy",
                about_format=False,
            )
