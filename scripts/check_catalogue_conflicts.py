"""Fail when two catalogues translate the same message differently.

Django merges every app's catalogue and the project's into one namespace at run time, so the
same English text (with the same context) gets only one Italian translation: whichever catalogue
wins. Two different translations mean one page shows the other app's word ("Owner" as the
landlord where the operator in charge was meant). Disambiguate with a context (pgettext,
`{% translate "…" context "…" %}`) or use the same words.

Usage: check_catalogue_conflicts.py PO [PO …]
"""

import gettext
import io
import subprocess
import sys
from collections import defaultdict


def catalogue(po: str) -> dict:
    """The messages of a .po file as Python's gettext reads them from the compiled .mo:
    keys are msgid, "context\\x04msgid" or (msgid, plural index)."""
    compiled = subprocess.run(["msgfmt", "-o", "-", po], check=True, capture_output=True).stdout
    messages = gettext.GNUTranslations(io.BytesIO(compiled))._catalog
    return {key: text for key, text in messages.items() if key != ""}


def describe(key) -> str:
    msgid, form = (key, None) if isinstance(key, str) else key
    context, _sep, text = msgid.rpartition("\x04")
    where = f" (context “{context}”)" if context else ""
    return f"“{text}”{where}" + (f" [plural form {form}]" if form is not None else "")


def main(paths: list[str]) -> int:
    translations = defaultdict(dict)
    for po in paths:
        for key, text in catalogue(po).items():
            translations[key][po] = text
    conflicts = {key: by_po for key, by_po in translations.items() if len(set(by_po.values())) > 1}
    for key in sorted(conflicts, key=str):
        print(f"{describe(key)} is translated differently:", file=sys.stderr)
        for po, text in conflicts[key].items():
            print(f"    {po}: “{text}”", file=sys.stderr)
    return 1 if conflicts else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
