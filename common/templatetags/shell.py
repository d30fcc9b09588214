"""`{% main_nav %}`: the shell's menu (common/_nav.html), rendered once per role, staff flag,
language and URL configuration, then reused. The menu is links only, the same for everyone
who shares those, so a page need not reverse some twenty URLs and translate as many labels
on every request. Not kept with DEBUG on, so an edited menu shows at once in development."""

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

register = template.Library()

_RENDERED: dict[tuple, str] = {}


@register.simple_tag(takes_context=True)
def main_nav(context):
    user = context.get("user")
    role = context.get("current_role", "")
    key = (
        role,
        bool(getattr(user, "is_staff", False)),
        get_language(),
        get_script_prefix(),
        get_urlconf() or settings.ROOT_URLCONF,
    )
    html = _RENDERED.get(key)
    if html is None:
        html = render_to_string("common/_nav.html", {"current_role": role, "user": user})
        if not settings.DEBUG:
            _RENDERED[key] = html
    return html
