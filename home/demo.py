"""Demo content: the registry other apps plug into, and the site's own pages.

``load_demo_content`` builds the home page and the programme pages, then runs the loaders
that other apps register from their own ``demo.py`` (found with ``autodiscover_modules``),
so that ``home`` never imports ``stories`` or ``calls``. Every loader must be idempotent:
it looks pages up by slug and updates them rather than adding new ones.
"""

import io
import random

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw

LOADERS = []


def register(order):
    """Register ``func(home_page, stdout)`` to run after the home app's content."""

    def decorator(func):
        LOADERS.append((order, func))
        return func

    return decorator


PALETTES = [
    ((138, 47, 16), (242, 193, 78)),
    ((29, 107, 53), (243, 230, 211)),
    ((11, 87, 208), (255, 217, 138)),
    ((94, 31, 10), (216, 199, 176)),
    ((74, 65, 59), (242, 193, 78)),
]


def make_image(title, *, seed, alt_text, credit="Illustration générée pour la démonstration", width=1600, height=1000):
    """Return a CustomImage drawn with Pillow (shapes in the programme's colours), reused by title."""
    from wagtail.images import get_image_model

    Image = get_image_model()
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
    rng = random.Random(seed)
    base, accent = rng.choice(PALETTES)
    img = PILImage.new("RGB", (width, height), base)
    draw = ImageDraw.Draw(img)
    for _ in range(14):
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.randrange(height // 10, height // 3)
        colour = tuple(min(255, c + rng.randrange(-30, 60)) for c in accent)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
    # A cup on a table: the site's motif, so the pictures read as illustrations.
    cx, cy = width // 2, int(height * 0.62)
    draw.rectangle((0, int(height * 0.75), width, height), fill=tuple(max(0, c - 40) for c in base))
    draw.rounded_rectangle((cx - 180, cy - 160, cx + 180, cy + 120), radius=60, fill=(255, 250, 243))
    draw.ellipse((cx + 130, cy - 100, cx + 260, cy + 30), outline=(255, 250, 243), width=28)
    buffer = io.BytesIO()
    img.save(buffer, format="JPEG", quality=82)
    slug = "".join(ch if ch.isalnum() else "-" for ch in title.lower()).strip("-")[:60]
    image = Image(title=title, alt_text=alt_text, credit=credit)
    image.file = ImageFile(buffer, name=f"demo-{slug}.jpg")
    image.save()
    return image
