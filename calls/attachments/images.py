"""Image checks: JPEG, PNG and WebP are decoded and re-encoded by Pillow, never stored as sent.

An applicant's photo carries what they did not mean to send (EXIF GPS position, camera,
XMP, ICC profiles, text chunks) and may be a polyglot (an image with a payload appended)
or a pixel flood (a small file that claims a huge image). Re-encoding keeps the pixels
and nothing else; the size is checked from the header before any pixel is decoded.
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from .kinds import Kind
from .refusal import Refusal

#: Images larger than this (width × height) are refused before any pixel is decoded.
MAX_IMAGE_PIXELS = 40_000_000
#: Longest side of an image, in pixels (a 1 × 40 000 000 strip is no photo either).
MAX_IMAGE_SIDE = 20_000

_PIL_FORMATS = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}
_PNG_MODES = {"1", "L", "LA", "P", "RGB", "RGBA", "I", "I;16"}


def clean_image(uploaded_file, kind: Kind, shown: str) -> bytes:
    """Check an image and return it re-encoded by Pillow, without any metadata.

    1. The size is read from the header (Pillow's lazy open decodes no pixel) and refused
       beyond ``MAX_IMAGE_PIXELS`` or ``MAX_IMAGE_SIDE``: a pixel flood (a small file that
       claims 50 000 × 50 000 pixels) never reaches the decoder. Pillow's DecompressionBombError
       (raised at open beyond twice its own limit) is a second net. No process-wide
       warning filter: gunicorn runs requests in threads and ``warnings.catch_warnings``
       is not thread-safe.
    2. ``verify()`` checks the file's structure (chunk CRCs for PNG…).
    3. The image is decoded, turned upright (``exif_transpose``) and saved again in the same
       format with an empty ``info``: EXIF (GPS position included), XMP, ICC profiles and
       text chunks are not written. Only the first frame of an animation is kept. Whatever
       was appended after the image data (a polyglot's payload) is gone too.
    4. The result is opened again to check it is a real image of the right kind.
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
            if width * height > MAX_IMAGE_PIXELS or max(width, height) > MAX_IMAGE_SIDE:
                raise Refusal(
                    _(
                        "L'image « %(name)s » est trop grande (%(width)d × %(height)d pixels) : "
                        "%(max)d millions de pixels au maximum. Réduisez-la, puis envoyez-la de nouveau."
                    )
                    % {"name": shown, "width": width, "height": height, "max": MAX_IMAGE_PIXELS // 1_000_000},
                    "pixel_flood",
                )
            image.verify()
        uploaded_file.seek(0)
        with Image.open(uploaded_file, formats=[fmt]) as image:
            image.seek(0)
            image.load()
            lossless = kind.code == "webp" and _is_lossless_webp(uploaded_file)
            upright = ImageOps.exif_transpose(image)
            data = _encode(upright, kind.code, lossless)
        with Image.open(io.BytesIO(data), formats=[fmt]) as check:
            check.load()
            if check.format != fmt or check.size != upright.size:
                raise Refusal(damaged, "damaged")
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


def _is_lossless_webp(uploaded_file) -> bool:
    uploaded_file.seek(12)
    return uploaded_file.read(4) == b"VP8L"


def _encode(image, kind_code: str, lossless: bool) -> bytes:
    """Save ``image`` in its kind's format with no metadata; return the bytes."""
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
    # Everything Pillow read from the file (exif, xmp, icc_profile, text chunks, comments)
    # lives in .info, which some encoders fall back to: emptied before saving.
    image.info = dict(keep)
    buffer = io.BytesIO()
    image.save(buffer, format=_PIL_FORMATS[kind_code], **options)
    return buffer.getvalue()
