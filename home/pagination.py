"""Page numbers for a listing: read from the query string and turned into links, shared by
the story index and the news index."""


def parse_page_number(value, num_pages):
    """A page number from the query string, clamped to 1..num_pages; anything else is page 1."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), max(num_pages, 1))


def page_links(number, num_pages, url_for):
    """Page links around the current page, with the first and last always shown;
    ``url_for(n)`` gives page n's query string."""
    shown = sorted({1, num_pages, *range(max(1, number - 2), min(num_pages, number + 2) + 1)})
    items, previous = [], 0
    for page in shown:
        if page - previous > 1:
            items.append({"gap": True})
        items.append({"number": page, "url": url_for(page), "current": page == number})
        previous = page
    return {
        "number": number,
        "num_pages": num_pages,
        "items": items if num_pages > 1 else [],
        "previous_url": url_for(number - 1) if number > 1 else None,
        "next_url": url_for(number + 1) if number < num_pages else None,
    }
