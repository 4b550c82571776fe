"""A call that cannot open, refused by the model (``CallPage.publish``) where Wagtail offers
no hook before publishing (approving the last step of the moderation workflow, from its
modal or from the editor): the approval is rolled back (Wagtail runs it in a transaction)
and the moderator is sent back to the call's editor with what it lacks."""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin import messages
from wagtail.admin.modal_workflow import render_modal_workflow

from .models import CallCannotOpen


class CallCannotOpenMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, CallCannotOpen):
            return None
        messages.error(request, exception.message() + " " + _("Il reste en brouillon, non publié."))
        edit_url = reverse("wagtailadmin_pages:edit", args=[exception.page.pk])
        if request.headers.get("x-requested-with") == "XMLHttpRequest":
            return render_modal_workflow(request, "", None, {}, json_data={"step": "success", "redirect": edit_url})
        return redirect(edit_url)
