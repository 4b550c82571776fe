"""The team's « Ressources du réseau » in the admin: a Wagtail ``ModelViewSet`` (list, add,
edit, delete) and the team's own download of a resource's file.

A file goes through the applications' checks: the form's ``AttachmentField``
(``calls.attachments.validation.validate_upload``) and the streaming guard
(``calls.uploads``), which the admin does not install for other forms
(``CALLS_UPLOAD_GUARD_EXCLUDED_PATHS``): the add and edit views install it themselves before
the request's body is read, the way Django documents for changing upload handlers in a view
(CSRF-exempt outside, CSRF-protected inside). Stored by ``resources.store_resource``.

Django permissions decide (``network.view_resource``, ``add_resource``, ``change_resource``,
``delete_resource``): « Modérateurs » hold them (the app's data migration), reviewers none.
"""

import functools

from django import forms
from django.conf import settings
from django.http import Http404
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from calls.attachments.kinds import KINDS
from calls.attachments.storage import download_response
from calls.file_fields import AttachmentField
from calls.uploads import install_upload_guard, upload_errors
from home.views import permission_denied

from . import resources
from .models import Resource, ResourceAudience, SessionPage


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, session):
        return f"{session.title} — {session.starts_at:%d/%m/%Y}"


class ResourceForm(WagtailAdminModelForm):
    """A resource: a file checked like an application's, or a web address."""

    session = SessionChoiceField(
        label=gettext_lazy("Séance"),
        queryset=SessionPage.objects.order_by("-starts_at", "-pk"),
        required=False,
        help_text=gettext_lazy("Le compte rendu ou les documents d'une séance : choisissez-la."),
    )

    url = forms.URLField(
        label=gettext_lazy("Adresse web"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=gettext_lazy("Un lien vers une page d'un autre site, à la place d'un fichier."),
    )

    class Meta:
        model = Resource
        fields = ["title", "description", "url", "session", "audience"]

    def __init__(self, *args, upload_refusals=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.upload_refusals = upload_refusals or {}
        self.fields["upload"] = AttachmentField(
            kinds=list(KINDS),
            max_size=settings.CALLS_MAX_UPLOAD_SIZE,
            required=False,
            label=_("Fichier"),
            help_text=_("Un fichier ou une adresse web. Un nouveau fichier remplace le précédent."),
        )
        upload_field = self.fields["upload"]
        upload_field.help_text = f"{upload_field.help_text} {upload_field.hint}"
        self.order_fields(["title", "description", "upload", "url", "session", "audience"])
        if self.instance.pk and self.instance.file:
            upload_field.help_text = _(
                "Fichier actuel : « %(name)s ». Choisissez-en un autre pour le remplacer, ou donnez une "
                "adresse web à la place. %(hint)s"
            ) % {"name": self.instance.original_name, "hint": upload_field.hint}

    def clean(self):
        data = super().clean()
        for name, refused in self.upload_refusals.items():
            if name == self.add_prefix("upload"):
                self.add_error("upload", refused)
        files = data.get("upload") or []
        url = data.get("url")
        if files and url:
            self.add_error("url", _("Donnez un fichier ou une adresse web, pas les deux."))
        elif not files and not url and not (self.instance.pk and self.instance.file) and not self.has_error("upload"):
            self.add_error("upload", _("Choisissez un fichier ou donnez une adresse web."))
        if data.get("audience") == ResourceAudience.INSCRITS and not data.get("session"):
            self.add_error("session", _("Une ressource réservée aux inscrits doit être liée à une séance."))
        return data

    def checked_file(self):
        files = self.cleaned_data.get("upload") or []
        return files[0] if files else None


def guarded_upload(view):
    """``view`` with the streaming upload guard installed before its body is read."""
    protected = csrf_protect(view)

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "POST" and request.content_type == "multipart/form-data":
            install_upload_guard(request)
        return protected(request, *args, **kwargs)

    return csrf_exempt(wrapped)


class ResourceFormMixin:
    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.request.method == "POST":
            kwargs["upload_refusals"] = upload_errors(self.request)
        return kwargs

    def save_instance(self):
        form = self.form
        if form.instance.pk is None:
            form.instance.created_by = self.request.user
        return resources.store_resource(form.instance, form.checked_file(), super().save_instance)


class ResourceCreateView(ResourceFormMixin, generic.CreateView):
    pass


class ResourceEditView(ResourceFormMixin, generic.EditView):
    pass


def open_url(resource):
    """The list's link: the team's download of the file, or the web address."""
    return reverse("network_resources:file", args=[resource.pk]) if resource.file else resource.url


def file_view(request, pk):
    """The team's download of a resource's file (``network.view_resource``)."""
    if not request.user.has_perm("network.view_resource"):
        return permission_denied(request)
    resource = Resource.objects.filter(pk=pk).exclude(file="").first()
    if resource is None:
        raise Http404
    return download_response(resource.file, resource.original_name, resource.content_type)


class ResourceViewSet(ModelViewSet):
    model = Resource
    icon = "doc-full-inverse"
    menu_label = gettext_lazy("Ressources du réseau")
    menu_order = 234
    add_to_admin_menu = True
    url_prefix = "reseau/ressources"
    name = "network_resources"
    form_fields = ResourceForm.Meta.fields
    search_fields = ["title", "description"]
    copy_view_enabled = False
    add_view_class = ResourceCreateView
    edit_view_class = ResourceEditView
    list_filter = ["audience"]
    list_display = [
        "title",
        Column("session", label=gettext_lazy("Séance"), accessor="session"),
        Column("audience", label=gettext_lazy("Qui peut l'ouvrir"), accessor="get_audience_display"),
        TitleColumn("kind", label=gettext_lazy("Fichier ou lien"), accessor="kind_display", get_url=open_url),
        "created_at",
    ]

    def get_form_class(self, for_update=False):
        return ResourceForm

    def get_queryset(self, request):
        return Resource.objects.select_related("session")

    @property
    def add_view(self):
        return guarded_upload(super().add_view)

    @property
    def edit_view(self):
        return guarded_upload(super().edit_view)

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [path("<int:pk>/fichier/", file_view, name="file")]


resource_viewset = ResourceViewSet()
