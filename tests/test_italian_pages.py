"""Acceptance: every page each role can reach reads in Italian, with no English left in it.

The demo data of one programme (what `seed_demo` builds; the second programme is left out for
speed) is made once for the module, inside a transaction rolled back at the end. Each role
starts from the home page and follows the links it is shown (plus every
page without arguments), one page per URL pattern: list pages and one detail page of each
kind. Each page's visible text is compared with the English side of our catalogues: a text
that has an Italian translation but shows in English is a bug.
"""

import gettext
import io
import re
import subprocess
from collections import deque
from html.parser import HTMLParser
from importlib import import_module
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.utils import translation

from common.demo import seed_programmes
from common.management.commands.seed_demo import APP_DEMO_MODULES
from common.tests.two_factor import login_verified

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = [
    ROOT / d / "locale/it/LC_MESSAGES/django.po"
    for d in (".", "housing", "tenancies", "fund", "reporting")
]
# The same word in both languages, or names that are not translated.
# The language menu names English in English, on purpose.
NOT_ENGLISH = {"iban", "isee", "pdf", "ok", "email", "e-mail", "cohousing", "english"}
ROLES = {
    "operator": "operatore",
    "fund_admin": "amministratore",
    "caretaker": "custode",
    "monitor": "monitor",
    "landlord": "proprietario",
}
SKIP_PREFIXES = ("/admin/", "/i18n/", "/static/", "/logout", "/esci")
MAX_PAGES = 120  # per role; the demo's pages are far fewer, this only stops a runaway crawl


def _english_messages() -> tuple[set[str], list[str]]:
    """English texts whose Italian differs: whole texts, and fragments of 3+ words that
    surround placeholders (“%(n)s months” is found by its words, not its number). A text that
    is also Italian (“Note”, “Date”: the translation of another message) is left out."""
    whole, fragments, italian_texts = set(), set(), set()
    for po in CATALOGUES:
        compiled = subprocess.run(["msgfmt", "-o", "-", str(po)], check=True, capture_output=True)
        catalogue = gettext.GNUTranslations(io.BytesIO(compiled.stdout))._catalog
        italian_texts |= {" ".join(t.split()).strip(" .,:;·–—()") for t in catalogue.values()}
        for key, italian in catalogue.items():
            msgid = key[0] if isinstance(key, tuple) else key
            english = msgid.rpartition("\x04")[2]
            if not english or italian.strip().casefold() == english.strip().casefold():
                continue
            for part in re.split(r"%\(\w+\)[sd]|%[sd]|\{\{.*?\}\}|\n", english):
                part = " ".join(part.split()).strip(" .,:;·–—()")
                if len(part) < 4 or part.casefold() in NOT_ENGLISH:
                    continue
                if part == " ".join(english.split()).strip(" .,:;·–—()"):
                    whole.add(part)
                elif len(part.split()) >= 3:
                    fragments.add(part)
    return whole - italian_texts, sorted(fragments - italian_texts, key=len, reverse=True)


class _Page(HTMLParser):
    """Visible text nodes and same-site links of an HTML page."""

    def __init__(self):
        super().__init__()
        self.texts, self.links, self._hidden = [], [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._hidden += 1
        href = dict(attrs).get("href") if tag == "a" else None
        if href:
            self.links.append(href)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template"):
            self._hidden -= 1

    def handle_data(self, data):
        text = " ".join(data.split()).strip(" .,:;·–—()")
        if text and not self._hidden:
            self.texts.append(text)


def _pages_without_arguments(resolver=None, prefix="") -> list[str]:
    urls = []
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            urls += _pages_without_arguments(entry, route)
        elif (
            isinstance(entry, URLPattern)
            and not entry.pattern.regex.groups
            and "<" not in route
            and not route.startswith(("^", "admin"))
        ):
            urls.append("/" + route)
    return urls


# The module's data lives in the demo fixture's transaction; each test needs the database.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(module_db):
    with translation.override("it"):
        first = seed_programmes(seed=2026)[0]
        for module_name in APP_DEMO_MODULES:
            import_module(module_name).seed(first)


@pytest.fixture(scope="module")
def english():
    return _english_messages()


def _crawl(user) -> dict[str, str]:
    """Every page `user` reaches from home (one per URL pattern): path → HTML."""
    client = Client(HTTP_ACCEPT_LANGUAGE="it")
    client.cookies["django_language"] = "it"
    login_verified(client, user)
    queue = deque(["/", *_pages_without_arguments()])
    seen_routes, pages = set(), {}
    while queue and len(pages) < MAX_PAGES:
        url = urldefrag(queue.popleft())[0]
        parts = urlsplit(url)
        if parts.netloc or parts.scheme or not parts.path.startswith("/"):
            continue
        if parts.path.startswith(SKIP_PREFIXES) or parts.query:
            continue
        try:
            match = resolve(parts.path)
        except Resolver404:
            continue
        if match.route in seen_routes or match.url_name in ("logout",):
            continue
        seen_routes.add(match.route)
        response = client.get(parts.path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        page = _Page()
        page.feed(response.content.decode())
        pages[parts.path] = page
        queue.extend(page.links)
    return pages


def _english_on(page: _Page, english) -> set[str]:
    whole, fragments = english
    found = set()
    for text in page.texts:
        if text in whole:
            found.add(text)
        found |= {f for f in fragments if f in text}
    return found


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_every_role_reads_in_italian(role, demo, english):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=ROLES[role])
    pages = _crawl(user)
    assert len(pages) >= 3, f"{role} reached only {sorted(pages)}"
    leftovers = {path: found for path, p in pages.items() if (found := _english_on(p, english))}
    assert not leftovers, f"English on the Italian pages of {role}: {leftovers}"


def test_the_demo_timeline_has_no_raw_verbs(demo):
    from common.models import AuditEvent

    with translation.override("it"):
        raw = {
            (e.target_type.model, e.verb)
            for e in AuditEvent.objects.select_related("target_type")
            if e.verb_label == e.verb.replace("_", " ")
        }
    assert not raw


def test_the_check_finds_english_left_in_a_page(english):
    """The comparison is not vacuous: an untranslated label is caught, a translated one not."""
    page = _Page()
    page.feed("<h1>Piano di rientro</h1><dt>Overdue now</dt><p>3 paid, 1 late, 2 upcoming.</p>")
    found = _english_on(page, english)
    assert "Overdue now" in found
    assert "Piano di rientro" not in found
