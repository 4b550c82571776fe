import socket
import subprocess
import time
from pathlib import Path

import pytest

from tests.calls import samples
from tests.calls.factories import CallIndexPageFactory, make_call


@pytest.fixture
def call_index(home_page):
    return CallIndexPageFactory(parent=home_page)


@pytest.fixture
def call(call_index):
    return make_call(call_index, slug="appel-2030", title="Appel à candidatures 2030")


@pytest.fixture
def get_token(client):
    """GET the call page and return the submission token the form carries."""
    import re

    def _get(page):
        html = client.get(page.url).content.decode()
        return re.search(r'name="qc_jeton" value="([0-9a-f-]+)"', html).group(1)

    return _get


# --- ClamAV ----------------------------------------------------------------------------------

CLAMD = Path("/usr/sbin/clamd")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _clamd_answers(path: str) -> bool:
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.settimeout(2)
            connection.connect(path)
            connection.sendall(b"zPING\0")
            return connection.recv(16).rstrip(b"\0") == b"PONG"
    except OSError:
        return False


@pytest.fixture(scope="session")
def clamd(tmp_path_factory):
    """Debian's real clamd, started for the session with a signature database of our own.

    No download (no freshclam): one body signature of the EICAR string, target type 0
    (any file), which ClamAV also matches inside decoded PDF streams. The daemon listens on
    a unix socket and on a local TCP port. Yields ``{"socket", "host", "port"}``.
    """
    if not CLAMD.exists():
        pytest.skip("/usr/sbin/clamd is absent: apt-get install --no-install-recommends clamav-daemon")
    root = tmp_path_factory.mktemp("clamd")
    (root / "db").mkdir()
    (root / "db" / "quartiers.ndb").write_text(f"Eicar-Test-Signature:0:*:{samples.EICAR.hex()}\n")
    sock, port = root / "clamd.sock", _free_port()
    (root / "clamd.conf").write_text(
        f"LocalSocket {sock}\nTCPSocket {port}\nTCPAddr 127.0.0.1\nDatabaseDirectory {root / 'db'}\n"
        f"TemporaryDirectory {root}\nForeground yes\nLogFile {root / 'clamd.log'}\nStreamMaxLength 20M\n"
    )
    log = (root / "output.txt").open("wb")
    process = subprocess.Popen([str(CLAMD), "-c", str(root / "clamd.conf")], stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while not _clamd_answers(str(sock)):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"clamd did not start: {(root / 'output.txt').read_text()[-2000:]}")
            time.sleep(0.2)
        yield {"socket": str(sock), "host": "127.0.0.1", "port": port}
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
