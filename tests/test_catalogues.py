"""The catalogues share one namespace at run time: the lint step refuses two translations of
the same message (scripts/check_catalogue_conflicts.py, run by check-translations.sh)."""

import importlib.util
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = [
    str(ROOT / folder / "locale" / "it" / "LC_MESSAGES" / "django.po")
    for folder in (".", "housing", "tenancies", "fund", "reporting")
]


def _checker():
    spec = importlib.util.spec_from_file_location(
        "check_catalogue_conflicts", ROOT / "scripts" / "check_catalogue_conflicts.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _po(path: Path, entries: str) -> str:
    path.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n' + entries,
        encoding="utf-8",
    )
    return str(path)


def test_no_two_catalogues_translate_a_message_differently():
    assert _checker().main(CATALOGUES) == 0


def test_the_check_fails_on_a_conflict_and_accepts_contexts(tmp_path, capsys):
    checker = _checker()
    housing = _po(tmp_path / "a.po", 'msgid "owner"\nmsgstr "proprietario"\n')
    tenancies = _po(tmp_path / "b.po", 'msgid "owner"\nmsgstr "responsabile"\n')
    assert checker.main([housing, tenancies]) == 1
    assert "“owner” is translated differently" in capsys.readouterr().err

    with_context = _po(
        tmp_path / "c.po", 'msgctxt "arrears case"\nmsgid "owner"\nmsgstr "responsabile"\n'
    )
    assert checker.main([housing, with_context]) == 0


@pytest.mark.parametrize("po", CATALOGUES)
def test_catalogues_compile(po):
    subprocess.run(["msgfmt", "--check-format", "-o", "/dev/null", po], check=True)
