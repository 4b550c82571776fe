"""Image checks: JPEG, PNG and WebP are decoded and re-encoded by Pillow, never stored as sent.

An applicant's photo carries what they did not mean to send (EXIF GPS position, camera,
XMP, ICC profiles, text chunks) and may be a polyglot (an image with a payload appended)
or a pixel flood (a small file that claims a huge image). Re-encoding keeps the pixels
and nothing else; the size is checked from the header before any pixel is decoded.
"""

from __future__ import annotations

import io
import threading

from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from .budget import CheckBudget
from .kinds import Kind
from .refusal import Refusal

# --- The memory budget ----------------------------------------------------------------------
#
# Ten uploads of a 131 KB PNG of 6 300 × 6 300 pixels took one process from 157 MB to
# 4.1 GB (bench/uploads.py): each decoded bitmap was 160 MB (Pillow keeps RGB as 4 bytes
# a pixel), and decode, upright copy, re-encode and the final check each held one. The
# budget below keeps a worker under 500 MB whatever arrives at once.
#
# Per image: at most MAX_IMAGE_PIXELS pixels are ever decoded, at most 4 bytes each
# (Pillow stores RGB, RGBA, CMYK and 32-bit grey as 4 bytes a pixel; 16-bit PNG colour is
# read as 8-bit), so one bitmap is ≤ 13 M × 4 B = 52 MB. ``clean_image`` holds at most two
# at a time: the decoded image and either its upright copy (``exif_transpose`` swaps it in
# place), or a mode conversion, or the re-encoded bytes (≤ one bitmap: PNG stores at most
# 4 bytes a pixel plus a few bytes a row); the decoded image is closed before the result
# is decoded again to check it. Worst case per image: 2 × 52 MB = 104 MB.
#
# Per process: decoding is serialised by a semaphore of IMAGE_DECODE_SLOTS = 2 (gunicorn
# runs GUNICORN_THREADS = 2 threads a worker: both can still work, each on its own core,
# since Pillow releases the GIL while it decodes and encodes), so 2 × 104 MB = 208 MB on top
# of the worker's own ~160 MB (Django, Wagtail, the page): ~370 MB at worst, whatever the
# number of uploads waiting. Waiting uploads hold only their file (10 MB at most, on disk
# beyond 2.5 MB) and the header Pillow read.
#
# Why 13 megapixels: a phone's default photo is 12 MP (4 032 × 3 024 = 12.2 MP); 48 and
# 50 MP phones (8 000 × 6 000, 8 160 × 6 120) write baseline JPEGs that libjpeg decodes at
# half size while reading them (``Image.draft``, the DCT scaling): 4 080 × 3 060 = 12.5 MP,
# never the full bitmap. A JPEG up to MAX_JPEG_SOURCE_PIXELS (4 × the budget) is therefore
# accepted and stored halved (still twice what a reviewer's screen shows). PNG and WebP
# cannot be decoded smaller (their decoders always produce the full bitmap), and a
# progressive JPEG keeps every DCT coefficient of the full image in libjpeg's memory
# (2 bytes a sample, ~150 MB for 50 MP) whatever the scale: above 13 MP, those are refused
# with a message saying how to reduce them. 50 MP decoded in full (200 MB a bitmap) would
# allow only one image per worker at a time.

#: Most pixels ever decoded for one image (width × height after any decoding-time scaling).
MAX_IMAGE_PIXELS = 13_000_000
#: A baseline JPEG up to this size is decoded at half size (≤ MAX_IMAGE_PIXELS) and stored so.
MAX_JPEG_SOURCE_PIXELS = 4 * MAX_IMAGE_PIXELS
#: Longest side of an image, in pixels (a 1 × 13 000 000 strip is no photo either).
MAX_IMAGE_SIDE = 20_000
#: Images decoded at once in one process (see the budget above).
IMAGE_DECODE_SLOTS = 2
#: How long an upload waits for a decoding slot before it is refused (seconds): below
#: gunicorn's 60 s timeout, so the applicant gets a message rather than a dropped connection.
IMAGE_DECODE_WAIT = 30

_decode_slots = threading.BoundedSemaphore(IMAGE_DECODE_SLOTS)

# Freed bitmaps must go back to the system. Pillow allocates a bitmap in blocks of 16 MB by
# default: under glibc's largest mmap threshold (32 MB), so once a first block is freed the
# next ones come from the heap of the thread's own malloc arena, and stay resident after
# they are freed — each request thread kept its last bitmaps (571 MB peak for ten 13 MP
# PNGs, bench/uploads.py; 270 MB with a fixed threshold). Blocks of 64 MB make every large
# bitmap one allocation above 32 MB, which glibc always maps on its own and unmaps on free.
# Process-wide, and harmless for Pillow's other users (Wagtail's renditions are smaller).
_BITMAP_BLOCK_SIZE = 64 * 1024 * 1024
Image.core.set_block_size(_BITMAP_BLOCK_SIZE)

_PIL_FORMATS = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}
_PNG_MODES = {"1", "L", "LA", "P", "RGB", "RGBA", "I", "I;16"}


def _too_large(shown: str, width: int, height: int, limit: int) -> Refusal:
    return Refusal(
        _(
            "L'image « %(name)s » est trop grande (%(width)d × %(height)d pixels) : "
            "%(max)d millions de pixels au maximum. Réduisez-la, puis envoyez-la de nouveau."
        )
        % {"name": shown, "width": width, "height": height, "max": limit // 1_000_000},
        "pixel_flood",
    )


def _decoding_scale(image, kind_code: str, shown: str) -> int:
    """1, or 2 for a baseline JPEG that libjpeg must halve to stay within the budget."""
    width, height = image.size
    if width * height <= MAX_IMAGE_PIXELS:
        return 1
    progressive = image.info.get("progressive") or image.info.get("progression")
    if kind_code != "jpeg" or progressive:
        raise _too_large(shown, width, height, MAX_IMAGE_PIXELS)
    if width * height > MAX_JPEG_SOURCE_PIXELS:
        raise _too_large(shown, width, height, MAX_JPEG_SOURCE_PIXELS)
    return 2


def clean_image(uploaded_file, kind: Kind, shown: str) -> bytes:
    """Check an image and return it re-encoded by Pillow, without any metadata.

    1. The size is read from the header (Pillow's lazy open decodes no pixel) and refused
       beyond the budget (``MAX_IMAGE_PIXELS``; a baseline JPEG up to
       ``MAX_JPEG_SOURCE_PIXELS`` is decoded at half size instead) or ``MAX_IMAGE_SIDE``:
       a pixel flood (a small file that claims 50 000 × 50 000 pixels) never reaches the
       decoder. Pillow's DecompressionBombError (raised at open beyond twice its own
       limit) is a second net. No process-wide warning filter: gunicorn runs requests in
       threads and ``warnings.catch_warnings`` is not thread-safe.
    2. ``verify()`` checks the file's structure (chunk CRCs for PNG…).
    3. Within one of the process's ``IMAGE_DECODE_SLOTS`` (see the budget above), the image
       is decoded, turned upright (``exif_transpose``, in place) and saved again in the
       same format with an empty ``info``: EXIF (GPS position included), XMP, ICC profiles
       and text chunks are not written. Only the first frame of an animation is kept.
       Whatever was appended after the image data (a polyglot's payload) is gone too.
    4. The decoded image is released, and the result is opened again to check it is a real
       image of the right kind.

    From the moment a slot is taken, the work runs within ``budget.CheckBudget`` (CPU and
    elapsed seconds), looked at after the decoding and after the re-encoding: an image
    that costs more is refused (« trop de calcul ») rather than held longer.
    """
    fmt = _PIL_FORMATS[kind.code]
    damaged = _("Le fichier « %(name)s » est endommagé ou n'est pas une vraie image %(kind)s.") % {
        "name": shown,
        "kind": kind.label,
    }
    try:
        uploaded_file.seek(0)
        with Image.open(uploaded_file, formats=[fmt]) as image:
            width, height = image.size
            if width <= 0 or height <= 0:
                raise Refusal(damaged, "damaged")
            if max(width, height) > MAX_IMAGE_SIDE:
                raise _too_large(shown, width, height, MAX_IMAGE_PIXELS)
            scale = _decoding_scale(image, kind.code, shown)
            image.verify()
        if not _decode_slots.acquire(timeout=IMAGE_DECODE_WAIT):
            raise Refusal(
                _(
                    "L'image « %(name)s » n'a pas pu être traitée : le serveur est très sollicité. "
                    "Réessayez dans quelques minutes."
                )
                % {"name": shown},
                "busy",
            )
        try:
            budget = CheckBudget(
                shown,
                _(
                    "L'image « %(name)s » demande trop de calcul pour être vérifiée : réduisez sa taille "
                    "ou enregistrez-la en JPEG, puis envoyez-la de nouveau."
                ),
            )
            data, size = _decode_and_encode(uploaded_file, kind.code, fmt, scale, budget)
            budget.check()
            with Image.open(io.BytesIO(data), formats=[fmt]) as check:
                check.load()
                if check.format != fmt or check.size != size:
                    raise Refusal(damaged, "damaged")
        finally:
            _decode_slots.release()
    except Refusal:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Refusal(
            _("L'image « %(name)s » est trop grande : %(max)d millions de pixels au maximum.")
            % {"name": shown, "max": MAX_IMAGE_PIXELS // 1_000_000},
            "pixel_flood",
        ) from None
    except Exception:  # Pillow raises OSError, SyntaxError, ValueError… on a broken file
        raise Refusal(damaged, "damaged") from None
    return data


def _decode_and_encode(
    uploaded_file, kind_code: str, fmt: str, scale: int, budget: CheckBudget
) -> tuple[bytes, tuple[int, int]]:
    """The image decoded (at 1/``scale`` for a JPEG), upright, re-encoded; and its size.

    The decoded bitmap is closed on return, before the caller decodes the result again:
    two full bitmaps at most are alive at once (see the budget above).
    """
    uploaded_file.seek(0)
    with Image.open(uploaded_file, formats=[fmt]) as image:
        image.seek(0)
        if scale > 1:
            # libjpeg scales while decoding (DCT scaling): the full bitmap never exists.
            image.draft(image.mode, (image.width // scale, image.height // scale))
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise ValueError("libjpeg did not scale the image down")
        image.load()
        budget.check()
        lossless = kind_code == "webp" and _is_lossless_webp(uploaded_file)
        ImageOps.exif_transpose(image, in_place=True)
        data = _encode(image, kind_code, lossless)
        return data, image.size


def _is_lossless_webp(uploaded_file) -> bool:
    uploaded_file.seek(12)
    return uploaded_file.read(4) == b"VP8L"


def _encode(image, kind_code: str, lossless: bool) -> bytes:
    """Save ``image`` in its kind's format with no metadata; return the bytes.

    A mode conversion makes a second bitmap: the source is closed as soon as it exists, so
    that the conversion and the encoded bytes never sit beside the decoded original.
    """
    source = image
    keep = {"transparency": image.info["transparency"]} if "transparency" in image.info else {}
    if kind_code == "jpeg":
        if image.mode not in ("L", "RGB"):
            image = image.convert("RGB")
        options = {"quality": 90, "optimize": True}
        keep = {}
    elif kind_code == "png":
        if image.mode not in _PNG_MODES:
            image = image.convert("RGBA")
        options = {"compress_level": 6}
    else:
        has_alpha = "A" in image.getbands() or "transparency" in image.info
        wanted = "RGBA" if has_alpha else "RGB"
        if image.mode != wanted:
            image = image.convert(wanted)
        keep = {}
        options = {"lossless": True} if lossless else {"quality": 90}
    if image is not source:
        source.close()
    # Everything Pillow read from the file (exif, xmp, icc_profile, text chunks, comments)
    # lives in .info, which some encoders fall back to: emptied before saving.
    image.info = dict(keep)
    buffer = io.BytesIO()
    image.save(buffer, format=_PIL_FORMATS[kind_code], **options)
    return buffer.getvalue()
