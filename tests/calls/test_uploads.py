"""The streaming upload guard: oversized parts and extra files are skipped while reading, and said so."""

import tracemalloc

import pytest
from django.core.files.uploadhandler import (
    MemoryFileUploadHandler,
    SkipFile,
    TemporaryFileUploadHandler,
)
from django.core.handlers.wsgi import WSGIRequest
from django.http import JsonResponse
from django.test import Client, RequestFactory
from django.urls import include, path
from django.utils import translation

from calls.uploads import (
    CallsUploadHandler,
    UploadGuardMiddleware,
    install_upload_guard,
    request_too_large,
    upload_errors,
)
from tests.calls import samples

KB = 1024
MB = 1024 * KB
BOUNDARY = "----quartiers-cafes-boundary"


@pytest.fixture(autouse=True)
def _french_and_small_caps(settings):
    settings.CALLS_MAX_UPLOAD_SIZE = 100 * KB
    settings.CALLS_MAX_FILES_PER_REQUEST = 3
    with translation.override("fr"):
        yield


def _describe(request):
    return {
        "fields": {key: request.POST.getlist(key) for key in request.POST},
        "files": {key: [f.name for f in request.FILES.getlist(key)] for key in request.FILES},
        "errors": {str(key): messages for key, messages in upload_errors(request).items()},
        "too_large": request_too_large(request),
    }


def plain_view(request):
    """A view that knows nothing of the guard: the middleware installs it."""
    return JsonResponse(_describe(request))


urlpatterns = [
    path("plain/", plain_view),
    path("admin/plain/", plain_view),
    path("", include("config.urls")),
]


# --- The handler's own methods -------------------------------------------------------------


def test_handler_stops_a_part_at_the_chunk_that_crosses_the_cap():
    handler = CallsUploadHandler()
    handler.new_file("photo", "devanture.jpg", "image/jpeg", None)
    chunk = b"x" * handler.chunk_size
    passed_on = 0
    with pytest.raises(SkipFile):
        for start in range(0, 10 * MB, len(chunk)):
            passed_on += len(handler.receive_data_chunk(chunk, start))
    assert passed_on <= 100 * KB  # nothing past the cap went on to the handlers that keep data
    assert handler.received <= 100 * KB + handler.chunk_size
    [refusal] = handler.refusals
    assert refusal.field_name == "photo"
    assert refusal.code == "too_large"
    assert refusal.message == (
        "Le fichier « devanture.jpg » n'a pas été reçu : il dépasse 100\N{NO-BREAK SPACE}Ko. "
        "Choisissez un fichier de 100\N{NO-BREAK SPACE}Ko au maximum."
    )


def test_handler_passes_files_under_the_cap_untouched():
    handler = CallsUploadHandler()
    handler.new_file("plan", "plan.pdf", "application/pdf", None)
    assert handler.receive_data_chunk(b"%PDF-1.7 ...", 0) == b"%PDF-1.7 ..."
    assert handler.file_complete(12) is None  # the next handlers build the file
    assert handler.refusals == []


# --- Through Django's multipart parser -------------------------------------------------------


def test_oversized_part_is_skipped_and_the_other_answers_kept(rf):
    request = rf.post(
        "/appels/appel/",
        data={
            "nom": "Nadia",
            "photo": samples.upload("devanture.jpg", b"\xff\xd8\xff" + b"\x00" * 300 * KB, "image/jpeg"),
            "plan": samples.upload("plan.pdf", samples.pdf_bytes(), "application/pdf"),
            "ville": "Aubervilliers",
        },
    )
    install_upload_guard(request)
    assert list(request.FILES) == ["plan"]
    assert request.FILES["plan"].read() == samples.pdf_bytes()
    assert request.POST["nom"] == "Nadia"
    assert request.POST["ville"] == "Aubervilliers"
    assert upload_errors(request) == {
        "photo": [
            "Le fichier « devanture.jpg » n'a pas été reçu : il dépasse 100\N{NO-BREAK SPACE}Ko. "
            "Choisissez un fichier de 100\N{NO-BREAK SPACE}Ko au maximum."
        ]
    }
    assert not request_too_large(request)


def test_file_parts_beyond_the_limit_are_skipped(rf):
    files = [samples.upload(f"piece-{i}.pdf", samples.pdf_bytes()) for i in range(5)]
    request = rf.post("/appels/appel/", data={"pieces": files, "nom": "Karim"})
    install_upload_guard(request)
    assert [f.name for f in request.FILES.getlist("pieces")] == ["piece-0.pdf", "piece-1.pdf", "piece-2.pdf"]
    assert upload_errors(request) == {
        "pieces": [
            "Le fichier « piece-3.pdf » n'a pas été reçu : une candidature peut joindre 3 fichiers au maximum.",
            "Le fichier « piece-4.pdf » n'a pas été reçu : une candidature peut joindre 3 fichiers au maximum.",
        ]
    }
    assert request.POST["nom"] == "Karim"


def test_guard_cannot_be_installed_once_the_body_is_read(rf):
    request = rf.post("/appels/appel/", data={"nom": "Nadia"})
    assert request.POST["nom"] == "Nadia"
    with pytest.raises(AttributeError):
        install_upload_guard(request)


def test_guard_is_installed_once_and_first(rf):
    request = rf.post("/appels/appel/", data={"nom": "Nadia"})
    guard = install_upload_guard(request)
    assert install_upload_guard(request) is guard
    assert request.upload_handlers[0] is guard
    assert sum(isinstance(h, CallsUploadHandler) for h in request.upload_handlers) == 1


class LazyMultipartBody:
    """A request body produced as it is read: ``size`` bytes of file data in one part."""

    def __init__(self, field_name: str, file_name: str, size: int):
        self.head = (
            f"--{BOUNDARY}\r\n"
            'Content-Disposition: form-data; name="nom"\r\n\r\nNadia\r\n'
            f"--{BOUNDARY}\r\n"
            f'Content-Disposition: form-data; name="{field_name}"; filename="{file_name}"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode() + b"%PDF-1.7\n"
        self.tail = f"\r\n--{BOUNDARY}--\r\n".encode()
        self.filler = size - len(b"%PDF-1.7\n")
        self.length = len(self.head) + self.filler + len(self.tail)
        self.position = 0

    def read(self, size=-1):
        if size is None or size < 0:
            size = self.length - self.position
        size = min(size, self.length - self.position)
        out = bytearray()
        while len(out) < size:
            pos = self.position + len(out)
            want = size - len(out)
            if pos < len(self.head):
                out += self.head[pos : pos + want]
            elif pos < len(self.head) + self.filler:
                out += b"A" * min(want, len(self.head) + self.filler - pos)
            else:
                offset = pos - len(self.head) - self.filler
                out += self.tail[offset : offset + want]
        self.position += len(out)
        return bytes(out)

    def readline(self, size=-1):
        """Up to the next line break, as a WSGI input does (the file data has none)."""
        head_end, filler_end = len(self.head), len(self.head) + self.filler
        if self.position < head_end and (found := self.head.find(b"\n", self.position)) >= 0:
            newline = found
        elif (found := self.tail.find(b"\n", max(0, self.position - filler_end))) >= 0:
            newline = filler_end + found
        else:
            newline = self.length - 1
        wanted = newline + 1 - self.position
        return self.read(wanted if size is None or size < 0 else min(size, wanted))


def streamed_request(body: LazyMultipartBody) -> WSGIRequest:
    return WSGIRequest(
        {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/appels/appel/",
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "wsgi.url_scheme": "http",
            "wsgi.input": body,
            "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
            "CONTENT_LENGTH": str(body.length),
        }
    )


def test_a_30_mb_part_streams_through_without_being_held(settings):
    settings.CALLS_MAX_UPLOAD_SIZE = 1 * MB
    settings.CALLS_MAX_FILES_PER_REQUEST = 40  # so that 30 MB is under the whole-request cap
    body = LazyMultipartBody("plan", "plan.pdf", 30 * MB)
    request = streamed_request(body)
    guard = install_upload_guard(request)
    request.upload_handlers = [guard, MemoryFileUploadHandler(request), TemporaryFileUploadHandler(request)]
    tracemalloc.start()
    try:
        files = request.FILES
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "plan" not in files
    assert request.POST["nom"] == "Nadia"
    assert body.position == body.length  # the whole body was read (and dropped), so an answer can follow
    assert guard.received <= 1 * MB + guard.chunk_size
    assert peak < 8 * MB, f"{peak} bytes traced while parsing a 30 MB body"
    assert [r.code for r in guard.refusals] == ["too_large"]


def test_a_request_too_large_for_anything_valid_has_all_its_files_skipped(settings):
    settings.CALLS_MAX_UPLOAD_SIZE = 10 * KB
    settings.CALLS_MAX_FILES_PER_REQUEST = 2  # whole-request cap: 20 KB + 2 MB of fields
    body = LazyMultipartBody("plan", "plan.pdf", 3 * MB)
    request = streamed_request(body)
    guard = install_upload_guard(request)
    assert dict(request.FILES) == {}
    assert request.POST["nom"] == "Nadia"
    assert request_too_large(request)
    assert guard.received == 0  # skipped before its first byte
    assert upload_errors(request) == {
        "plan": [
            "Le fichier « plan.pdf » n'a pas été reçu : l'envoi dépassait 2\N{NO-BREAK SPACE}Mo au total. "
            "Joignez au plus 2 fichiers de 10\N{NO-BREAK SPACE}Ko chacun au maximum."
        ]
    }
    assert body.position == body.length


# --- Installed by the middleware, with CSRF still checked ------------------------------------

CSRF_SECRET = "A" * 16 + "b" * 16


def csrf_client():
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = CSRF_SECRET
    return client


@pytest.mark.urls(__name__)
def test_middleware_guards_public_posts_before_csrf_reads_them(settings, db):
    middleware = list(settings.MIDDLEWARE)
    assert middleware.index("calls.uploads.UploadGuardMiddleware") < middleware.index(
        "django.middleware.csrf.CsrfViewMiddleware"
    )
    big = samples.upload("devanture.jpg", b"\xff\xd8\xff" + b"\x00" * 300 * KB, "image/jpeg")
    response = csrf_client().post("/plain/", {"csrfmiddlewaretoken": CSRF_SECRET, "nom": "Nadia", "photo": big})
    assert response.status_code == 200
    assert response.json()["files"] == {}
    assert response.json()["fields"]["nom"] == ["Nadia"]  # the other answers are kept
    assert "photo" in response.json()["errors"]
    assert "devanture.jpg" in response.json()["errors"]["photo"][0]

    big.seek(0)
    response = csrf_client().post("/plain/", {"nom": "Nadia", "photo": big})
    assert response.status_code == 403  # the CSRF check still runs

    # The admin keeps Wagtail's own limits.
    big.seek(0)
    response = csrf_client().post("/admin/plain/", {"csrfmiddlewaretoken": CSRF_SECRET, "photo": big})
    assert response.json()["files"] == {"photo": ["devanture.jpg"]}


def test_middleware_leaves_other_requests_alone(rf):
    seen = []
    middleware = UploadGuardMiddleware(lambda request: seen.append(list(request.upload_handlers)) or "ok")
    middleware(rf.get("/appels/"))
    middleware(rf.post("/appels/", data="{}", content_type="application/json"))
    assert all(not any(isinstance(h, CallsUploadHandler) for h in handlers) for handlers in seen)


@pytest.fixture
def rf():
    return RequestFactory()
