"""Settings of the applicants' side: calls (uploads, submission and draft budgets, retention),
the antivirus, the territory's QPV check and geocoder, the applicant's space. Imported by
base.py (``from .base import *`` brings them to every environment).
"""

from .environment import env

# --- Calls: uploads and submissions ---
# Applications' attachments (calls/uploads.py): an absolute cap per file part, checked while
# streaming, and how many file parts one application may carry.
CALLS_MAX_UPLOAD_SIZE = env.int("CALLS_MAX_UPLOAD_SIZE", default=10 * 1024 * 1024)
CALLS_MAX_FILES_PER_REQUEST = env.int("CALLS_MAX_FILES_PER_REQUEST", default=10)
# With JavaScript, photos (JPEG, PNG) larger than this long side, in pixels, are scaled down in
# the browser before they are sent (calls/static/calls/call-form.js); never below 2000 px, the
# least the team needs for print and stories, and never upscaled. The server's checks are the same.
CALLS_BROWSER_IMAGE_LONG_SIDE = max(2000, env.int("CALLS_BROWSER_IMAGE_LONG_SIDE", default=2400))
# Paths where the upload guard stays out: the admin keeps Wagtail's own limits for editors.
CALLS_UPLOAD_GUARD_EXCLUDED_PATHS = env.tuple("CALLS_UPLOAD_GUARD_EXCLUDED_PATHS", default=("/admin/",))
# Applications counted per client address in windows of CALLS_SUBMISSION_WINDOW seconds
# (calls/submission.py). Past the soft limit for one call, they are stored and emailed as
# usual, marked « à vérifier » (a community centre's shared connection sends real ones);
# past the hard limit for one call, or the per-address limit for all calls together, the
# POST is refused (429) and nothing is stored, so one client cannot fill the disk.
CALLS_SUBMISSION_WINDOW = env.int("CALLS_SUBMISSION_WINDOW", default=3600)
CALLS_SUBMISSION_SOFT_LIMIT = env.int("CALLS_SUBMISSION_SOFT_LIMIT", default=5)
CALLS_SUBMISSION_HARD_LIMIT = env.int("CALLS_SUBMISSION_HARD_LIMIT", default=20)
CALLS_SUBMISSION_ADDRESS_LIMIT = env.int("CALLS_SUBMISSION_ADDRESS_LIMIT", default=40)
# Checking one file (calls/attachments/budget.py): CPU seconds of the thread on the PDF walk or
# an image's decoding, past which the file is refused as too complex; and elapsed seconds,
# past which it is refused as « serveur très sollicité » (below gunicorn's timeout).
CALLS_UPLOAD_CHECK_CPU_SECONDS = env.float("CALLS_UPLOAD_CHECK_CPU_SECONDS", default=3.0)
CALLS_UPLOAD_CHECK_SECONDS = env.float("CALLS_UPLOAD_CHECK_SECONDS", default=15.0)
# Files one client address may have checked in windows of CALLS_VALIDATION_WINDOW seconds
# (calls/submission.py, count_validation): their number and their bytes, whatever the
# outcome (a refused or abandoned form costs the same CPU); past either, a French 429.
CALLS_VALIDATION_WINDOW = env.int("CALLS_VALIDATION_WINDOW", default=3600)
CALLS_VALIDATION_FILE_LIMIT = env.int("CALLS_VALIDATION_FILE_LIMIT", default=150)
CALLS_VALIDATION_BYTE_LIMIT = env.int("CALLS_VALIDATION_BYTE_LIMIT", default=500 * 1024 * 1024)
# Drafts (calls/drafts.py) are counted in the same windows (calls/submission.py,
# draft_refusal): the bytes they store (files and answers) and the resume links they email,
# per client address for one call, per client address for all calls, and per email address
# (the owner, under a hash). Past any budget the POST gets a French 429 and nothing is stored
# or sent. A community centre's shared connection saving several applicants' drafts in an
# hour stays well inside; one client filling the disk or mailing dozens of addresses does not.
CALLS_DRAFT_BYTES_PER_CALL = env.int("CALLS_DRAFT_BYTES_PER_CALL", default=50 * 1024 * 1024)
CALLS_DRAFT_BYTES_PER_CLIENT = env.int("CALLS_DRAFT_BYTES_PER_CLIENT", default=80 * 1024 * 1024)
CALLS_DRAFT_BYTES_PER_ADDRESS = env.int("CALLS_DRAFT_BYTES_PER_ADDRESS", default=40 * 1024 * 1024)
CALLS_DRAFT_EMAILS_PER_CALL = env.int("CALLS_DRAFT_EMAILS_PER_CALL", default=5)
CALLS_DRAFT_EMAILS_PER_CLIENT = env.int("CALLS_DRAFT_EMAILS_PER_CLIENT", default=10)
CALLS_DRAFT_EMAILS_PER_ADDRESS = env.int("CALLS_DRAFT_EMAILS_PER_ADDRESS", default=3)
# A draft the browser keeps (a shared computer: a community centre, a library) is forgotten
# when the browser closes (session cookie) or after this many minutes without a request.
CALLS_DRAFT_SESSION_IDLE_MINUTES = env.int("CALLS_DRAFT_SESSION_IDLE_MINUTES", default=60)
# The emailed link to resume a draft opens that draft only, as often as needed, for this many
# days; sending the draft, a new link or the owner's revocation ends it.
CALLS_DRAFT_LINK_MAX_AGE_DAYS = env.int("CALLS_DRAFT_LINK_MAX_AGE_DAYS", default=7)

# Applicants' personal data (moderation/rgpd.py, `manage.py purge_applications`): kept this many
# months after the call closes; fewer for applications not selected (non retenue, retirée, spam).
CALLS_RETENTION_MONTHS = env.int("CALLS_RETENTION_MONTHS", default=24)
CALLS_RETENTION_MONTHS_NOT_SELECTED = env.int("CALLS_RETENTION_MONTHS_NOT_SELECTED", default=6)
# Laureates' contact data (laureates/retention.py, `manage.py purge_laureate_contacts`): kept
# while the laureate belongs to the network, then this many months after it leaves.
LAUREATES_CONTACT_RETENTION_MONTHS_AFTER_LEAVING = env.int(
    "LAUREATES_CONTACT_RETENTION_MONTHS_AFTER_LEAVING", default=12
)
# Files of the private storage that no attachment or draft row names (a worker killed between
# a file's write and its transaction's commit, a deletion that failed) are removed by
# `manage.py sweep_orphan_files` (also run by purge_applications) once older than this many
# minutes: far longer than any request (gunicorn's timeout), so an upload in flight is never
# touched (calls/orphan_files.py).
CALLS_ORPHAN_FILES_GRACE_MINUTES = env.int("CALLS_ORPHAN_FILES_GRACE_MINUTES", default=60)

# --- Antivirus (ClamAV) ----------------------------------------------------------------
# Every accepted attachment is scanned by clamd (INSTREAM, calls/attachments/antivirus.py)
# when a unix socket or a host is set; off when neither is.
CLAMAV_SOCKET = env("CLAMAV_SOCKET", default="")
CLAMAV_HOST = env("CLAMAV_HOST", default="")
CLAMAV_PORT = env.int("CLAMAV_PORT", default=3310)
CLAMAV_TIMEOUT = env.float("CLAMAV_TIMEOUT", default=10.0)  # seconds, per socket operation
# False: a file that could not be scanned is refused (the applicant tries again later);
# True: it is accepted and the outage logged.
CLAMAV_FAIL_OPEN = env.bool("CLAMAV_FAIL_OPEN", default=False)

# --- Territory: QPV check, communes, geocoder (territory/) ---------------------------------
# Distance (m) within which the nearest QPV is looked for; beyond, « aucun QPV à moins de N km ».
TERRITORY_QPV_SEARCH_RADIUS = env.int("TERRITORY_QPV_SEARCH_RADIUS", default=5000)
# /api/qpv/ and /api/communes/: requests per client address per window (seconds).
TERRITORY_API_RATE_LIMIT = env.int("TERRITORY_API_RATE_LIMIT", default=60)
TERRITORY_API_RATE_WINDOW = env.int("TERRITORY_API_RATE_WINDOW", default=60)
# The national address API (BAN), e.g. https://api-adresse.data.gouv.fr/search/; empty: no
# geocoding, the commune's QPV are listed instead (no network on the embedded default).
GEOCODER_URL = env("GEOCODER_URL", default="")
GEOCODER_TIMEOUT = env.float("GEOCODER_TIMEOUT", default=2.0)
GEOCODER_CACHE_SECONDS = env.int("GEOCODER_CACHE_SECONDS", default=30 * 24 * 3600)
# --- Applicant's space (applicants/) -------------------------------------------------------
# Passwordless sign-in with django-sesame: a link works once (ONE_TIME), for an hour
# (MAX_AGE, seconds), and a newer link revokes the older ones (the account's revocation key
# changes, INVALIDATE_ON_PASSWORD_CHANGE). https://django-sesame.readthedocs.io/
SESAME_MAX_AGE = env.int("APPLICANTS_LINK_MAX_AGE", default=3600)
SESAME_ONE_TIME = True
SESAME_INVALIDATE_ON_PASSWORD_CHANGE = True
# The space's session ends after this many seconds without a request.
APPLICANTS_SESSION_IDLE_SECONDS = env.int("APPLICANTS_SESSION_IDLE_SECONDS", default=7200)
# Sign-in links asked for, per email address and per client address, in fixed windows.
APPLICANTS_LINK_WINDOW = env.int("APPLICANTS_LINK_WINDOW", default=3600)
APPLICANTS_LINK_LIMIT_PER_ADDRESS = env.int("APPLICANTS_LINK_LIMIT_PER_ADDRESS", default=5)
APPLICANTS_LINK_LIMIT_PER_CLIENT = env.int("APPLICANTS_LINK_LIMIT_PER_CLIENT", default=20)
# At most one link per address in this many seconds, held by the database (cache down too).
APPLICANTS_LINK_MIN_INTERVAL = env.int("APPLICANTS_LINK_MIN_INTERVAL", default=60)
# manage.py remind_drafts: owners of unsent drafts are emailed once, this many days before
# the call closes.
APPLICANTS_DRAFT_REMINDER_DAYS = env.int("APPLICANTS_DRAFT_REMINDER_DAYS", default=3)
# manage.py remind_milestones (laureates/reminders.py): a laureate is emailed once about a
# milestone of their coaching plan still to do, this many days before its due date.
LAUREATES_MILESTONE_REMINDER_DAYS = env.int("LAUREATES_MILESTONE_REMINDER_DAYS", default=7)
# manage.py remind_reports (laureates/reminders.py): a laureate who has not sent a report is
# emailed once about it, this many days before its form's due date.
LAUREATES_REPORT_REMINDER_DAYS = env.int("LAUREATES_REPORT_REMINDER_DAYS", default=14)

# --- The network's registrations (network/registration.py) -----------------------------
# A resident's or partner's registration holds its seat NETWORK_CONFIRMATION_HOURS while it
# waits for the emailed link's confirmation, then expires (manage.py expire_registrations).
# The public form takes NETWORK_REGISTRATION_LIMIT registrations per client per
# NETWORK_REGISTRATION_WINDOW seconds. NETWORK_REGISTRATION_RETENTION_MONTHS after a session,
# its residents' and partners' names and addresses are erased (manage.py
# purge_network_registrations); what never held (cancelled, expired) goes once the session is over.
NETWORK_CONFIRMATION_HOURS = env.int("NETWORK_CONFIRMATION_HOURS", default=48)
NETWORK_REGISTRATION_LIMIT = env.int("NETWORK_REGISTRATION_LIMIT", default=10)
NETWORK_REGISTRATION_WINDOW = env.int("NETWORK_REGISTRATION_WINDOW", default=3600)
NETWORK_REGISTRATION_RETENTION_MONTHS = env.int("NETWORK_REGISTRATION_RETENTION_MONTHS", default=12)
