"""Who may open a shared resource, and how the team stores one.

- « membres » (``ResourceAudience.MEMBRES``): every member laureate signed in to the space
  (``membership.member_laureates``) and the team (``membership.is_team``).
- « inscrits » (``ResourceAudience.INSCRITS``): the confirmed registrations of the resource's
  session — a member laureate registered as such, a person registered by the address they are
  signed in with — and the team.

Membership is read on every request, never kept: a laureate who leaves the network loses
every resource at once. Anyone else gets the same 404 as for an id that does not exist.

A resident or partner without an account reads the same « inscrits » resources through their
registration's link (``for_registration``): once the session is held
(``attendance.is_held``), for a registration that is confirmed (present or not), the
resources of that session only.

The team's file went through ``calls.file_fields.AttachmentField`` (the applications' checks:
kind from the content, size, PDF active content, pixel budget, antivirus) and the streaming
guard; ``save_resource`` writes it to the private storage under ``network/`` in one
transaction with its row (``StoredFiles``: a failure deletes what was written), and deletes a
replaced file once the change is committed.
"""

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete
from django.dispatch import receiver

from applicants.auth import signed_in_email
from calls.attachments.storage import StoredFiles, delete_stored_files

from . import attendance, membership
from .models import Registration, RegistrationStatus, Resource, ResourceAudience, resource_file_name


def _registered_sessions(request):
    """The ids of the sessions where the signed-in person has a confirmed registration."""
    laureates = membership.member_laureates(request)
    email = signed_in_email(request)
    who = Q(laureate__in=laureates)
    if email:
        who |= Q(laureate__isnull=True, email=email)
    return Registration.objects.filter(who, status=RegistrationStatus.CONFIRMEE).values("session_id")


def visible_to(request):
    """The resources ``request``'s person may open (a queryset)."""
    if membership.is_team(request):
        return Resource.objects.all()
    allowed = Q(audience=ResourceAudience.INSCRITS, session__in=_registered_sessions(request))
    if membership.member_laureates(request):
        allowed |= Q(audience=ResourceAudience.MEMBRES)
    return Resource.objects.filter(allowed)


def may_open(request, resource_id):
    """The resource if ``request``'s person may open it, else ``None``."""
    return visible_to(request).filter(pk=resource_id).first()


def for_registration(registration, now=None):
    """The resources a registration's link opens (a queryset): those of its session for the
    confirmed registrations, once the session is held, if it is confirmed; else none."""
    if registration.status != RegistrationStatus.CONFIRMEE or not attendance.is_held(registration.session, now):
        return Resource.objects.none()
    return Resource.objects.filter(session_id=registration.session_id, audience=ResourceAudience.INSCRITS)


def store_resource(resource, clean_file, save):
    """Store ``resource`` (its form's instance) with ``clean_file`` (a ``CleanFile``) or its
    URL, ``save()`` saving the row (the admin's own save, which logs it): one transaction,
    the file written first and deleted if anything fails. A new file or a URL replaces the
    file it had, deleted after the commit."""
    old_name = None
    if resource.pk:
        old_name = Resource.objects.filter(pk=resource.pk).values_list("file", flat=True).first() or None
    with StoredFiles() as stored, transaction.atomic():
        if clean_file is not None:
            resource.file = stored.write(resource_file_name(resource, clean_file.display_name), clean_file.content)
            resource.original_name = clean_file.display_name
            resource.content_type = clean_file.content_type
            resource.size = clean_file.size
            resource.url = ""
        elif resource.url:
            resource.file = ""
            resource.original_name = resource.content_type = ""
            resource.size = None
        saved = save()
    if old_name and old_name != saved.file.name:
        transaction.on_commit(lambda: delete_stored_files([old_name]))
    return saved


@receiver(post_delete, sender=Resource, dispatch_uid="network-resource-file")
def delete_file_of(sender, instance, **kwargs):
    """A resource deleted (by the team, or with its session): its file, once committed."""
    if instance.file:
        name = instance.file.name
        transaction.on_commit(lambda: delete_stored_files([name]))
