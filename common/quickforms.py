"""A form renderer that writes the commonest widgets (text-like inputs, selects and their
options, labels) in Python, byte for byte as Django's own templates do, and leaves every
other template to Django.

Django renders each widget, each <option> and each label through a template: a filter form
with two selects costs a few milliseconds a request, more than a page's 25 rows. A list
page's filter form opts in with `default_renderer = QuickFormRenderer()` (the tests in
common/tests/test_quickforms.py compare the output with Django's renderer).
"""

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData

_INPUTS = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "text",
        "date",
        "datetime",
        "time",
        "number",
        "email",
        "url",
        "password",
        "search",
        "tel",
        "hidden",
        "color",
    )
)
_SELECT = "django/forms/widgets/select.html"
_OPTION = "django/forms/widgets/select_option.html"
_LABEL = "django/forms/label.html"


def _formatted(value) -> str:
    """`{{ value|stringformat:'s' }}`: "%s" of the value, escaped unless already safe."""
    if isinstance(value, SafeData):
        return str(value)
    return escape(str(value))


def _shown(value) -> str:
    """`{{ value }}`: localized, escaped unless already safe."""
    return str(conditional_escape(localize(value)))


def _attrs(attrs) -> str:
    """django/forms/widgets/attrs.html."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {_shown(name)}")
        else:
            parts.append(f' {_shown(name)}="{_formatted(value)}"')
    return "".join(parts)


def _input(widget) -> str:
    value = widget["value"]
    shown = f' value="{_formatted(value)}"' if value is not None else ""
    return (
        f'<input type="{_shown(widget["type"])}" name="{_shown(widget["name"])}"'
        f"{shown}{_attrs(widget['attrs'])}>"
    )


def _option(option) -> str:
    return (
        f'<option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
        f"{_shown(option['label'])}</option>"
    )


def _select(widget) -> str | None:
    parts = [f'<select name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_shown(group_name)}">')
        for option in group_choices:
            if option["template_name"] != _OPTION:
                return None
            parts.append(f"\n  {_option(option)}\n")  # the included template ends a line
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _label(context) -> str:
    if not context["use_tag"]:
        return _shown(context["label"])
    tag = _shown(context["tag"])
    return f"<{tag}{_attrs(context['attrs'])}>{_shown(context['label'])}</{tag}>"


class QuickFormRenderer(DjangoTemplates):
    """Django's template renderer, with inputs, selects and labels written in Python."""

    def render(self, template_name, context, request=None):
        quick = None
        if template_name in _INPUTS:
            quick = _input(context["widget"])
        elif template_name == _SELECT:
            quick = _select(context["widget"])
        elif template_name == _LABEL:
            quick = _label(context)
        if quick is None:
            return super().render(template_name, context, request=request)
        return quick.strip()
