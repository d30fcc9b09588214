"""Every action the code records reads in Italian on the timelines, never as a raw verb."""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.utils import translation
from django_fsm import FSMFieldMixin

from common.audit import verb_label

ROOT = Path(__file__).resolve().parent.parent
APPS = ("common", "housing", "tenancies", "fund", "reporting")


def _fsm_transitions() -> list[tuple[type, str]]:
    found = set()
    for model in apps.get_models():
        for field in model._meta.fields:
            if isinstance(field, FSMFieldMixin):
                found |= {(model, t.name) for t in field.get_all_transitions(model)}
    return sorted(found, key=lambda pair: (pair[0].__name__, pair[1]))


def _literal_verbs() -> set[str]:
    """Strings passed as `verb=` anywhere in the apps' code (audit_record, audit_write…)."""
    verbs = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if {"tests", "migrations"} & set(path.parts):
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.keyword) and node.arg == "verb":
                    verbs |= {
                        n.value
                        for n in ast.walk(node.value)
                        if isinstance(n, ast.Constant) and isinstance(n.value, str)
                    }
    return verbs


def _reads_in_italian(model, verb: str) -> bool:
    with translation.override("it"):
        italian = verb_label(model, verb)
    with translation.override("en"):
        english = verb_label(model, verb)
    return italian != verb.replace("_", " ") and italian != english


TRANSITIONS = _fsm_transitions()
VERBS = sorted(_literal_verbs())


def test_the_scan_finds_the_code_s_verbs():
    assert {"ledger_posted", "referred", "created", "alert_raised", "noted"} <= set(VERBS)
    assert len(TRANSITIONS) > 40


@pytest.mark.parametrize(
    ("model", "transition"), TRANSITIONS, ids=[f"{m.__name__}.{t}" for m, t in TRANSITIONS]
)
def test_every_transition_reads_in_italian(model, transition):
    assert _reads_in_italian(model, transition)


@pytest.mark.parametrize("verb", VERBS)
def test_every_recorded_verb_reads_in_italian(verb):
    models = [None, *apps.get_models()]
    labelled = [m for m in models if verb_label(m, verb) != verb.replace("_", " ")]
    assert labelled, f"no label for the verb {verb!r}"
    assert all(_reads_in_italian(m, verb) for m in labelled)


def test_a_transition_name_reads_per_model():
    """ "resume" a pact and "resume" an agreement are different events."""
    agreement = apps.get_model("housing", "LandlordAgreement")
    pact = apps.get_model("tenancies", "SupportPact")
    with translation.override("it"):
        assert verb_label(agreement, "resume") == "convenzione riattivata"
        assert verb_label(pact, "resume") == "il patto prosegue dopo la verifica"
        assert verb_label(apps.get_model("fund", "Transaction"), "ledger_posted") == (
            "movimento registrato in contabilità"
        )
