"""Links the emails of an application carry to pages of the apps above calls.

calls writes the applicant's confirmation and the team's notification, and moderation the
request for information, but the pages they link to belong to the layers above: the
application in the team's queue (moderation) and in the applicant's space (applicants). Those
apps register a function building each link when they start (``AppConfig.ready``), so calls
never names their URLs and the import contracts hold at run time too:

- ``TEAM``: the application's page in the moderation queue (moderation registers it);
- ``SPACE``: the application's page in the applicant's space, and ``SPACE_PDF`` its PDF
  (applicants registers them).

A link nobody registered is None: the email leaves its line out.
"""

TEAM = "team"
SPACE = "space"
SPACE_PDF = "space-pdf"

_builders = {}


def register(name, build):
    """``build(application)`` returns the absolute URL of the link ``name``."""
    _builders[name] = build


def link(name, application):
    """The absolute URL of the link ``name`` for ``application``, or None when unregistered."""
    build = _builders.get(name)
    return build(application) if build else None
