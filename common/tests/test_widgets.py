import re

from django import forms

from common.widgets import QuickSelect


def _normalised(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


CHOICES = [
    ("", "Tutti"),
    ("a&b", 'Rossi "Mario" <m>'),
    ("Gruppo", [("1", "Uno"), ("2", "Due")]),
]


def test_quick_select_writes_the_markup_of_djangos_select():
    for value in ("", "a&b", "2", None):
        attrs = {"id": "id_x", "required": True, "data-note": 'x"y', "disabled": False}
        django_html = forms.Select(choices=CHOICES).render("x", value, attrs=attrs)
        quick_html = QuickSelect(choices=CHOICES).render("x", value, attrs=attrs)
        assert _normalised(quick_html) == _normalised(django_html)


def test_quick_select_escapes_names_values_and_labels():
    html = QuickSelect(choices=[("<v>", "<b>bold</b>")]).render('n"', "<v>")
    assert "<b>" not in html and "&lt;b&gt;bold&lt;/b&gt;" in html
    assert 'value="&lt;v&gt;" selected' in html and 'name="n&quot;"' in html
