"""A loopback SMTP server that keeps every message it receives, for .ci/image.sh.

    python .ci/smtp_sink.py PORT DIRECTORY

Each message is written to DIRECTORY as <n>.eml (aiosmtpd, requirements-dev.txt). It accepts
everything and relays nothing: the image's worker sends the applicant's confirmation here.
"""

import sys
import threading
from pathlib import Path

from aiosmtpd.controller import Controller


class KeepEveryMessage:
    def __init__(self, directory):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            path = self.directory / f"{self.count}.eml"
        path.with_suffix(".tmp").write_bytes(envelope.original_content or envelope.content)
        path.with_suffix(".tmp").rename(path)  # whole files only, for whoever polls the folder
        return "250 Message accepted for delivery"


if __name__ == "__main__":
    port, directory = int(sys.argv[1]), sys.argv[2]
    controller = Controller(KeepEveryMessage(directory), hostname="127.0.0.1", port=port)
    controller.start()
    print(f"smtp-sink: listening on 127.0.0.1:{port}, messages in {directory}", flush=True)
    threading.Event().wait()
