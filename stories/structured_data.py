"""schema.org structured data for a story page: a LocalBusiness in JSON-LD.

https://schema.org/LocalBusiness — https://developers.google.com/search/docs/appearance/structured-data/local-business
"""

import json

from django.utils.html import format_html
from django.utils.safestring import mark_safe

# The characters that could end the <script> element or open an HTML comment, written as
# JSON unicode escapes: the JSON still means the same, and "</script>" inside a business
# name stays text. Same table as django.utils.html.json_script, which cannot set
# type="application/ld+json".
SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def local_business(story, request, image_url=None):
    """The LocalBusiness description of a story, as a dict."""
    data = {
        "@context": "https://schema.org",
        "@type": "LocalBusiness",
        "name": story.business_name,
        "description": story.summary,
        "url": story.get_full_url(request),
        "address": {
            "@type": "PostalAddress",
            "addressLocality": story.town,
            "addressRegion": str(story.get_region_display()),
            "addressCountry": "FR",
        },
    }
    if image_url:
        data["image"] = image_url
    if story.year_founded:
        data["foundingDate"] = str(story.year_founded)
    if story.latitude is not None and story.longitude is not None:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(story.latitude),
            "longitude": float(story.longitude),
        }
    same_as = [url for url in (story.website_url, story.facebook_url, story.instagram_url, story.linkedin_url) if url]
    if same_as:
        data["sameAs"] = same_as
    return data


def json_ld_script(data):
    """A <script type="application/ld+json"> element whose content cannot break out of it."""
    payload = json.dumps(data, ensure_ascii=False, sort_keys=False).translate(SCRIPT_ESCAPES)
    # Safe to mark: every "<", ">" and "&" of the (editor-written) values is now a JSON escape.
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))
