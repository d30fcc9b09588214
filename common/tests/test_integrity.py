"""The integrity registry and `manage.py check_integrity`."""

import pytest
from django.core.management import CommandError, call_command

from common import integrity
from common.integrity import Violation, integrity_check, integrity_checks, integrity_run


@pytest.fixture
def a_failing_check(programme):
    @integrity_check("test_always_fails", "A check that finds the programme")
    def always_fails():
        yield Violation(programme, "found")

    yield programme
    del integrity._CHECKS["test_always_fails"]


def test_checks_have_unique_names_and_descriptions():
    names = [check.name for check in integrity_checks()]
    assert len(names) == len(set(names))
    assert all(check.description for check in integrity_checks())

    def other():
        yield from ()

    with pytest.raises(ValueError, match="lease_one_in_force_per_unit"):
        integrity_check("lease_one_in_force_per_unit", "again")(other)


def test_run_names_the_check_of_each_violation(a_failing_check):
    violations = integrity_run(["test_always_fails"])
    assert [(v.check, v.message, v.obj) for v in violations] == [
        ("test_always_fails", "found", a_failing_check)
    ]
    with pytest.raises(KeyError):
        integrity_run(["no_such_check"])


def test_command_lists_violations_and_fails(a_failing_check, capsys):
    with pytest.raises(CommandError) as error:
        call_command("check_integrity", check=["test_always_fails"])
    assert error.value.returncode == 1
    assert "test_always_fails" in capsys.readouterr().out


def test_command_passes_on_a_clean_database(db, capsys):
    call_command("check_integrity")
    assert "no violation" in capsys.readouterr().out
