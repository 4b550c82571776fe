from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks


@hooks.register("insert_global_admin_css")
def admin_css():
    """The admin's site-wide adjustments (home/static/home/admin.css)."""
    return format_html('<link rel="stylesheet" href="{}">', static("home/admin.css"))
