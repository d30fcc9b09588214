"""Widgets rendered in Python where Django's templates cost a page its speed.

Django renders a <select> with one template per option (and one more for each option's
attributes): a list's filter of twenty operators rendered some fifty templates, a fifth of the
page's time at regional scale (benchmarks/pages.py). `QuickSelect` writes the same markup."""

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


def _attrs(attrs: dict) -> str:
    """The attributes as Django's attrs.html writes them: False left out, True bare."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class QuickSelect(forms.Select):
    """A <select> with Django's markup (select.html, select_option.html), without a template
    per option. Every name, value and label is escaped."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'  <optgroup label="{conditional_escape(group_name)}">')
            parts.extend(
                f'  <option value="{conditional_escape(str(option["value"]))}"'
                f"{_attrs(option['attrs'])}>{conditional_escape(option['label'])}</option>"
                for option in options
            )
            if group_name:
                parts.append("  </optgroup>")
        parts.append("</select>")
        return mark_safe("\n".join(parts))  # noqa: S308 - every interpolated value is escaped
