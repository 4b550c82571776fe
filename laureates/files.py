"""The laureates' files in the private storage (milestone files and report files, both under
``laureates/``), for the orphan files sweep (``calls.orphan_files``): registered by
``LaureatesConfig.ready``, so a file written by a request killed before its commit, or left by
a deletion that failed, is swept like an application's; and their erasure (``erase``), with
the contact data (``retention.py``)."""

from functools import partial

from django.db import transaction

from calls.attachments.storage import delete_stored_files

from .models import MilestoneFile, ReportFile

FOLDER = "laureates"


def referenced(names):
    """The subset of ``names`` a milestone's or a report's file row names, in one statement."""
    milestone_files = MilestoneFile.objects.filter(file__in=names).order_by().values_list("file", flat=True)
    report_files = ReportFile.objects.filter(file__in=names).order_by().values_list("file", flat=True)
    return set(milestone_files.union(report_files))


def erase(rows):
    """Delete ``rows`` (milestone or report files) inside the caller's transaction, and their
    stored files once it commits (a deletion that fails is left to the sweep); how many."""
    names = list(rows.values_list("file", flat=True))
    rows.delete()
    if names:
        transaction.on_commit(partial(delete_stored_files, names), robust=True)
    return len(names)
