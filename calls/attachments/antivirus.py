"""Antivirus: every accepted file is scanned by ClamAV's daemon (clamd) before it is stored.

Off unless ``CLAMAV_SOCKET`` (a unix socket path) or ``CLAMAV_HOST`` (with ``CLAMAV_PORT``)
is set (config/settings/base.py). ``validation.validate_upload`` calls ``scan`` after the
format checks, on the bytes that will be stored (an image's re-encoded pixels, a PDF or a
document as sent), so a refused file never reaches the storage and its message appears
beside its field.

The protocol is spoken here rather than through a client library: clamd's INSTREAM is a
few lines (``zINSTREAM\\0``, chunks each preceded by their length on 4 big-endian bytes, a
zero-length chunk, then one NUL-terminated reply), the Python clients on PyPI
(``clamd``, ``pyclamd``) have had no release for years and wrap the same dozen lines, and
one dependency less is one less thing to audit in the path of every applicant's file.

A daemon that does not answer within ``CLAMAV_TIMEOUT`` seconds (refused connection,
missing socket, no reply, an error reply) follows ``CLAMAV_FAIL_OPEN``: by default the file
is refused with a message asking to try again later (fail closed: an unscanned file never
reaches a reviewer's computer); with ``CLAMAV_FAIL_OPEN=True`` it is accepted and the
outage is logged as an error.
"""

from __future__ import annotations

import logging
import socket
import struct

from django.conf import settings
from django.utils.translation import gettext as _

from .refusal import Refusal

logger = logging.getLogger(__name__)

#: Bytes sent per INSTREAM chunk (clamd reads them into its own buffer).
CHUNK_SIZE = 64 * 1024


class ScannerUnavailable(Exception):
    """clamd could not be reached, did not answer in time, or answered with an error."""


def enabled() -> bool:
    return bool(settings.CLAMAV_SOCKET or settings.CLAMAV_HOST)


def _connect() -> socket.socket:
    timeout = settings.CLAMAV_TIMEOUT
    if settings.CLAMAV_SOCKET:
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        connection.settimeout(timeout)
        try:
            connection.connect(settings.CLAMAV_SOCKET)
        except BaseException:
            connection.close()
            raise
        return connection
    return socket.create_connection((settings.CLAMAV_HOST, settings.CLAMAV_PORT), timeout=timeout)


def instream(stream) -> str:
    """Send ``stream`` (read from its start) to clamd with INSTREAM; return clamd's reply.

    The reply is ``"stream: OK"`` or ``"stream: <signature> FOUND"``. Raises
    ``ScannerUnavailable`` on any connection error, timeout or ``ERROR`` reply. The
    timeout applies to each socket operation (connect, each send, the reply).
    """
    try:
        with _connect() as connection:
            connection.sendall(b"zINSTREAM\0")
            stream.seek(0)
            while chunk := stream.read(CHUNK_SIZE):
                connection.sendall(struct.pack(">I", len(chunk)) + chunk)
            connection.sendall(struct.pack(">I", 0))
            reply = b""
            while not reply.endswith(b"\0"):
                received = connection.recv(4096)
                if not received:
                    break
                reply += received
    except OSError as error:  # refused, missing socket, reset, timeout (socket.timeout is an OSError)
        raise ScannerUnavailable(f"{type(error).__name__}: {error}") from error
    text = reply.rstrip(b"\0").decode("utf-8", "replace").strip()
    if not text.startswith("stream:") or text.endswith("ERROR"):
        raise ScannerUnavailable(f"unexpected reply from clamd: {text!r}")
    return text


def health() -> dict:
    """The readiness probe's view of clamd (home/health.py, registered by calls/apps.py):
    ``PING`` answered by ``PONG`` within CLAMAV_TIMEOUT. Down while scanning fails closed,
    every upload is refused: /readyz/ says so with the reason."""
    if not enabled():
        return {"status": "ok", "backend": "off"}
    try:
        with _connect() as connection:
            connection.sendall(b"zPING\0")
            reply = connection.recv(64).rstrip(b"\0").strip()
    except OSError as error:
        return {"status": "unavailable", "error": type(error).__name__, "reason": _outage(error)}
    if reply != b"PONG":
        return {"status": "unavailable", "error": "UnexpectedReply", "reason": reply.decode("ascii", "replace")[:80]}
    return {"status": "ok", "backend": "clamd", "fail_open": settings.CLAMAV_FAIL_OPEN}


def _outage(error: OSError) -> str:
    effect = "files accepted unscanned" if settings.CLAMAV_FAIL_OPEN else "every upload refused"
    return f"clamd unreachable ({error.strerror or type(error).__name__}): {effect}"


def scan(stream, shown: str) -> None:
    """Scan ``stream`` if an antivirus is configured; raise ``Refusal`` if it is infected.

    ``shown`` is the file's name as quoted in messages (``names.name_for_message``).
    """
    if not enabled():
        return
    try:
        reply = instream(stream)
    except ScannerUnavailable as error:
        if settings.CLAMAV_FAIL_OPEN:
            logger.error("ClamAV unavailable, file accepted without a scan (CLAMAV_FAIL_OPEN): %s", error)
            return
        logger.error("ClamAV unavailable, file refused (fail closed): %s", error)
        raise Refusal(
            _(
                "Le fichier « %(name)s » n'a pas pu être vérifié par l'antivirus pour le moment : "
                "il n'a pas été enregistré. Réessayez dans quelques minutes."
            )
            % {"name": shown},
            "scan_unavailable",
            about_format=False,
        ) from None
    finally:
        stream.seek(0)
    if reply.endswith(" FOUND"):
        signature = reply.removeprefix("stream:").removesuffix(" FOUND").strip()
        logger.warning("ClamAV found %s in an uploaded file; refused", signature)
        raise Refusal(
            _("Le fichier « %(name)s » contient un virus (%(signature)s) : il n'a pas été enregistré.")
            % {"name": shown, "signature": signature},
            "virus",
            about_format=False,
        )
