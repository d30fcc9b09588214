"""Every POST form of the application, fed anything: found by construction, not by hand.

For each row of the permission matrix (tests/test_permission_matrix.py), each role of
programme A that gets the page (200) opens it, and every `<form method="post">` on it is read
from the HTML (html.parser: the CSRF token, each input, select and textarea with its name and
type). Hypothesis then fills the form: dates extreme or malformed, numbers NaN, Infinity, 1e400,
negative, huge or Italian-formatted, selects a real option or a bogus one, text any unicode
(very long too), files a few random bytes. The POST, as that role, never answers 500; nor does
the page itself nor wherever the POST sends the user afterwards (a stored value a page cannot
render fails here). Each example runs in a savepoint rolled back at its end, so examples never
pile up in the module's one world.

tests/test_input_fuzz.py goes deeper on the forms that take money or dates (thirty examples
each, the rest of the form valid); this module is its net: a form added tomorrow is fuzzed
without a line written for it.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils.timezone import localdate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import test_permission_matrix as matrix

# The matrix's module-scoped world and one session per role, reused as they are.
world = matrix.world

FUZZ = settings(
    max_examples=5,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)

# Not fuzzed here. Public pages (login, password reset, the certificate check) answer anyone:
# their forms are Django's own or rate-limited and locked out by django-axes after a few wrong
# tries, which a fuzzer would trip (tests/test_accounts.py and test_security_settings.py cover
# them). Logging out, the password change and the second factor change the session this module
# reuses for every example; their forms are tested in tests/test_accounts.py and
# tests/test_two_factor.py.
SKIPPED_ROWS = {
    "logout",
    "login",
    "password_change",
    "password_change_done",
    "two_factor_setup",
    "two_factor_verify",
}
# Forms every page carries in its header, posting elsewhere: logging out (as above) and the
# language switch (Django's own `set_language`, public).
SKIPPED_ACTIONS = {"logout", "set_language"}

ODD_DATES = ["0001-01-01", "9999-12-31", "31/02/2026", "", "2026-02-30", "oggi", "-1"]
ODD_NUMBERS = ["NaN", "Infinity", "-Infinity", "1e400", "-1", "99999999999999", "1.200,50", ""]
LONG_TEXTS = ["x" * 10_000, "è€😀" * 3_000]
BOGUS_CHOICE = "999999999"
NUMBER_NAMES = re.compile(
    r"amount|rent|importo|deposit|charge|price|cost|fee|cash|leverage|hours|rate|income|isee"
    r"|share|percent|probability|average|cover|repays|interest",
    re.IGNORECASE,
)


@dataclass
class Field:
    name: str
    kind: str  # input type, "select", "textarea"
    value: str = ""
    options: list = field(default_factory=list)
    multiple: bool = False
    checked: bool = False
    numeric: bool = False


@dataclass
class Form:
    action: str
    fields: dict = field(default_factory=dict)  # name -> [Field] (radios share a name)
    buttons: list = field(default_factory=list)  # (name, value) of named submit buttons

    def key(self):
        return (urlsplit(self.action).path, tuple(sorted(self.fields)))


class FormParser(HTMLParser):
    """The page's `<form method="post">`s, as a browser would submit them."""

    def __init__(self, page_url):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: Field | None = None
        self.option: list | None = None  # [value or None, text]
        self.textarea: Field | None = None

    def _add(self, item: Field):
        self.form.fields.setdefault(item.name, []).append(item)

    def handle_starttag(self, tag, attrs):
        a = {key: (value if value is not None else "") for key, value in attrs}
        if tag == "form":
            if a.get("method", "get").lower() == "post":
                self.form = Form(action=urljoin(self.page_url, a.get("action") or self.page_url))
                self.forms.append(self.form)
            return
        if self.form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                if kind == "submit":
                    self.form.buttons.append((name, a.get("value", "")))
                return
            numeric = (
                kind == "number"
                or a.get("inputmode") in ("decimal", "numeric")
                or (kind == "text" and bool(NUMBER_NAMES.search(name)))
            )
            self._add(
                Field(name, kind, a.get("value", ""), checked="checked" in a, numeric=numeric)
            )
        elif tag == "button" and name and a.get("type", "submit") == "submit":
            self.form.buttons.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self.select = Field(name, "select", multiple="multiple" in a)
            self._add(self.select)
        elif tag == "option" and self.select is not None:
            self.option = [a.get("value"), ""]
            if "selected" in a:
                self.option.append(True)
        elif tag == "textarea" and name:
            self.textarea = Field(name, "textarea")
            self._add(self.textarea)

    def handle_data(self, data):
        if self.option is not None:
            self.option[1] += data
        if self.textarea is not None:
            self.textarea.value += data

    def _close_option(self):
        if self.option is not None and self.select is not None:
            value = self.option[0] if self.option[0] is not None else self.option[1].strip()
            self.select.options.append(value)
            if len(self.option) > 2:
                self.select.value = value
        self.option = None

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "option":
            self._close_option()
        elif tag == "select":
            self._close_option()
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def post_forms(url, html) -> list[Form]:
    parser = FormParser(url)
    parser.feed(html)
    parser.close()
    return parser.forms


# --- what hypothesis types into each kind of field ---------------------------------------------


def _dates(sane):
    return st.one_of(
        st.just(sane),
        st.sampled_from(ODD_DATES),
        st.dates().map(lambda d: d.isoformat()),
    )


def _numbers(sane):
    return st.one_of(
        st.just(sane),
        st.sampled_from(ODD_NUMBERS),
        st.decimals(allow_nan=False, allow_infinity=False).map(str),
    )


def _texts(sane):
    return st.one_of(st.just(sane), st.text(max_size=40), st.sampled_from(LONG_TEXTS))


def _value(draw, items: list[Field]):
    """What to send for one name: a string, a list (multiple select, checkboxes), a file, or
    None (left out, as a browser leaves out an unticked box)."""
    item = items[0]
    today = localdate()
    if item.kind == "hidden" or item.name == "csrfmiddlewaretoken":
        return item.value
    if item.kind == "radio":
        return draw(st.sampled_from([i.value for i in items] + [BOGUS_CHOICE, None]))
    if item.kind == "checkbox":
        ticked = [i.value or "on" for i in items if draw(st.booleans())]
        if draw(st.integers(0, 9)) == 0:
            ticked.append(BOGUS_CHOICE)
        return ticked or None
    if item.kind == "file":
        content = draw(st.binary(min_size=1, max_size=64))
        name = draw(st.sampled_from(["documento.pdf", "estratto.csv", "foto.jpg", "x"]))
        return SimpleUploadedFile(name, content, content_type="application/octet-stream")
    if item.kind == "select":
        choices = [o for o in item.options if o] or [""]
        strategy = st.sampled_from(choices + [BOGUS_CHOICE, ""])
        if item.multiple:
            return draw(st.lists(strategy, max_size=3))
        return draw(strategy)
    if item.kind == "date":
        return draw(_dates(item.value or today.isoformat()))
    if item.kind == "datetime-local":
        sane = item.value or f"{today.isoformat()}T10:00"
        return draw(st.one_of(_dates(sane), _dates(today.isoformat()).map(lambda d: d + "T25:61")))
    if item.kind == "month":
        return draw(st.sampled_from([item.value or today.strftime("%Y-%m"), "0000-13", "9999-12"]))
    if item.numeric:
        return draw(_numbers(item.value or "100"))
    return draw(_texts(item.value or "Prova"))


def form_data(draw, form: Form) -> dict:
    data = {}
    for name, items in form.fields.items():
        value = _value(draw, items)
        if value is not None:
            data[name] = value
    if form.buttons:
        name, value = draw(st.sampled_from(form.buttons))
        data[name] = value
    return data


# --- the tests ----------------------------------------------------------------------------------

FUZZED: dict = {}  # form key -> (role, page url), across the module


def _fuzzable_rows():
    for row in matrix.ROWS:
        if row.public or row.name in SKIPPED_ROWS or row.post_only:
            continue
        expected = row.expected()
        roles = [role for role in row.ok if expected[role] == matrix.OK]
        if roles:
            yield row, roles


ROWS = list(_fuzzable_rows())


def _skipped_action(form: Form) -> bool:
    path = urlsplit(form.action).path
    return any(path == reverse(name) for name in SKIPPED_ACTIONS)


def _get_ok(client, url, context):
    response = client.get(url)
    status = response.status_code
    matrix.close(response)
    assert status < 500, f"GET {url} after {context}: {status}"


def _fuzz_form(world, role, page, form: Form):
    @FUZZ
    @given(st.data())
    def example(data):
        # A fresh client each time: a POST that cycled the session key (rolled back with the
        # savepoint) must not leave the next example logged out.
        client = matrix.client_for(world, role)
        payload = form_data(data.draw, form)
        context = f"POST {form.action} as {role} with {payload!r}"
        with transaction.atomic():
            response = client.post(form.action, payload)
            matrix.close(response)
            assert response.status_code < 500, context
            if response.status_code in (301, 302, 303):
                location = urlsplit(response["Location"])
                if not location.netloc or location.netloc == "testserver":
                    _get_ok(client, response["Location"], context)
            _get_ok(client, page, context)
            transaction.set_rollback(True)

    example()


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "roles"), ROWS, ids=[row.id for row, _ in ROWS])
def test_every_post_form_survives_any_input(row, roles, world):
    page = reverse(row.name, kwargs=row.kwargs(world))
    for role in roles:
        response = matrix.client_for(world, role).get(page)
        assert response.status_code == 200, (page, role)
        if getattr(response, "streaming", False) or "html" not in response["Content-Type"]:
            matrix.close(response)
            continue  # a PDF, a download
        for form in post_forms(page, response.content.decode()):
            if _skipped_action(form) or form.key() in FUZZED:
                continue
            FUZZED[form.key()] = (role, page)
            _fuzz_form(world, role, page, form)


def test_forms_fuzzed_count():
    """Printed for the record (run with -s); when the whole module ran in this process, the net
    caught a real number of forms (a broken parser would find none and pass everything)."""
    print(f"\nform fuzz: {len(FUZZED)} POST forms fuzzed from {len(ROWS)} matrix rows")
    if FUZZED:
        assert len(FUZZED) >= 20, sorted(FUZZED)


def test_the_parser_reads_a_form():
    html = """
      <form method="get"><input name="q"></form>
      <form method="post" action="/x/" enctype="multipart/form-data">
        <input type="hidden" name="csrfmiddlewaretoken" value="tok">
        <input type="date" name="paid_on" value="2026-01-02">
        <input type="text" name="amount" inputmode="decimal">
        <select name="kind"><option value="">--</option><option value="a" selected>A</option>
        </select>
        <textarea name="note">ciao</textarea>
        <input type="file" name="upload">
        <button type="submit" name="decision" value="approve">Ok</button>
      </form>"""
    (form,) = post_forms("/page/", html)
    assert form.action == "/x/"
    assert set(form.fields) == {
        "csrfmiddlewaretoken",
        "paid_on",
        "amount",
        "kind",
        "note",
        "upload",
    }
    assert form.fields["amount"][0].numeric
    assert form.fields["kind"][0].options == ["", "a"]
    assert form.fields["kind"][0].value == "a"
    assert form.fields["note"][0].value == "ciao"
    assert form.buttons == [("decision", "approve")]
