"""Applicant text shown in the admin, isolated from the text around it.

An applicant's name, file name or answer may hold bidirectional control characters (a
right-to-left override U+202E left open, for instance). In HTML content the templates wrap
it in ``<bdi>``; where HTML cannot be used (an attribute such as ``alt`` or ``title``, a
flash message, which Wagtail escapes) ``isolate`` wraps it in FIRST STRONG ISOLATE (U+2068)
and POP DIRECTIONAL ISOLATE (U+2069): whatever the text opens is closed at its end, so it
never reorders the admin's own words around it. https://www.w3.org/International/questions/qa-bidi-unicode-controls
"""

FSI = "\u2068"
PDI = "\u2069"


def isolate(text):
    """``text`` between FSI and PDI (an empty text stays empty)."""
    text = "" if text is None else str(text)
    return f"{FSI}{text}{PDI}" if text else ""
