"""One test per rule of the legal clock (tenancies/legal_clock.py)."""

from datetime import date
from decimal import Decimal

from tenancies import legal_clock as clock
from tenancies.legal_clock import CaseDates, ClockRules


def test_summons_needs_twenty_free_days_before_the_hearing():
    # c.p.c. art. 660: served 1 March, the first possible hearing is 22 March.
    assert clock.summons_earliest_hearing(date(2026, 3, 1)) == date(2026, 3, 22)
    assert clock.summons_term_respected(date(2026, 3, 1), date(2026, 3, 22))
    assert not clock.summons_term_respected(date(2026, 3, 1), date(2026, 3, 21))


def test_hearing_is_the_deadline_after_the_summons():
    # c.p.c. art. 658
    dates = CaseDates(
        status="summons_served", summons_served_on=date(2026, 3, 1), hearing_on=date(2026, 4, 2)
    )
    [deadline] = clock.case_deadlines(dates)
    assert (deadline.kind, deadline.due_on, deadline.source) == (
        "hearing",
        date(2026, 4, 2),
        "c.p.c. art. 658",
    )


def test_grace_period_is_up_to_ninety_days_with_a_new_hearing_within_ten_days():
    # L. 392/1978 art. 55
    allowance = clock.grace_allowance(past_uses=[], on=date(2026, 4, 2), exceptional=False)
    assert allowance.max_days == 90
    ends = clock.grace_ends_on(date(2026, 4, 2), 90)
    assert ends == date(2026, 7, 1)
    assert clock.grace_new_hearing_latest(ends) == date(2026, 7, 11)
    ok = clock.grace_problems(
        granted_on=date(2026, 4, 2), days=90, new_hearing_on=date(2026, 7, 11), allowance=allowance
    )
    assert ok == []
    late = clock.grace_problems(
        granted_on=date(2026, 4, 2), days=90, new_hearing_on=date(2026, 7, 12), allowance=allowance
    )
    assert late == ["hearing_too_late"]
    early = clock.grace_problems(
        granted_on=date(2026, 4, 2), days=90, new_hearing_on=date(2026, 7, 1), allowance=allowance
    )
    assert early == ["hearing_before_end"]
    too_long = clock.grace_problems(
        granted_on=date(2026, 4, 2), days=91, new_hearing_on=date(2026, 7, 10), allowance=allowance
    )
    assert "too_long" in too_long


def test_grace_allowed_three_times_in_four_years():
    # L. 392/1978 art. 55: the fourth request within four years is refused.
    uses = [date(2023, 1, 10), date(2024, 6, 1), date(2025, 9, 1)]
    allowance = clock.grace_allowance(past_uses=uses, on=date(2026, 4, 2), exceptional=False)
    assert (allowance.uses_in_window, allowance.max_uses) == (3, 3)
    assert not allowance.allowed
    problems = clock.grace_problems(
        granted_on=date(2026, 4, 2), days=30, new_hearing_on=date(2026, 5, 5), allowance=allowance
    )
    assert "exhausted" in problems


def test_grace_uses_older_than_four_years_do_not_count():
    uses = [date(2022, 4, 1), date(2024, 6, 1), date(2025, 9, 1)]
    allowance = clock.grace_allowance(past_uses=uses, on=date(2026, 4, 2), exceptional=False)
    assert allowance.uses_in_window == 2
    assert allowance.allowed and allowance.remaining == 1
    # exactly four years before is outside the window
    edge = clock.grace_allowance(
        past_uses=[date(2022, 4, 2)], on=date(2026, 4, 2), exceptional=False
    )
    assert edge.uses_in_window == 0


def test_four_times_and_one_hundred_twenty_days_for_job_loss_or_illness():
    # L. 392/1978 art. 55: arrears of at most two months, cause after signing.
    uses = [date(2023, 1, 10), date(2024, 6, 1), date(2025, 9, 1)]
    allowance = clock.grace_allowance(past_uses=uses, on=date(2026, 4, 2), exceptional=True)
    assert (allowance.max_uses, allowance.max_days) == (4, 120)
    assert allowance.allowed
    assert (
        clock.grace_problems(
            granted_on=date(2026, 4, 2),
            days=120,
            new_hearing_on=date(2026, 8, 5),
            allowance=allowance,
        )
        == []
    )
    fifth = clock.grace_allowance(
        past_uses=[*uses, date(2026, 1, 5)], on=date(2026, 4, 2), exceptional=True
    )
    assert not fifth.allowed


def test_exceptional_grace_needs_short_arrears_and_a_cause_after_signing():
    base = {"cause_arose_on": date(2025, 5, 1), "lease_signed_on": date(2024, 1, 1)}
    assert clock.grace_is_exceptional(arrears_months=Decimal("2"), cause="unemployment", **base)
    assert clock.grace_is_exceptional(arrears_months=Decimal("1.5"), cause="illness", **base)
    assert not clock.grace_is_exceptional(
        arrears_months=Decimal("2.1"), cause="unemployment", **base
    )
    assert not clock.grace_is_exceptional(arrears_months=Decimal("1"), cause="separation", **base)
    assert not clock.grace_is_exceptional(
        arrears_months=Decimal("1"),
        cause="unemployment",
        cause_arose_on=date(2023, 5, 1),
        lease_signed_on=date(2024, 1, 1),
    )


def test_precetto_gives_ten_days():
    # c.p.c. art. 480
    assert clock.precetto_term_ends(date(2026, 5, 1)) == date(2026, 5, 11)


def test_access_needs_ten_days_notice_and_the_precetto_term():
    # c.p.c. art. 608 (and 480)
    assert clock.access_earliest(
        notice_served_on=date(2026, 6, 1), precetto_served_on=date(2026, 5, 1)
    ) == date(2026, 6, 11)
    # a notice served at once after the precetto still waits for the precetto's term
    assert clock.access_earliest(
        notice_served_on=date(2026, 5, 1), precetto_served_on=date(2026, 5, 1)
    ) == date(2026, 5, 12)


def test_precetto_lapses_after_ninety_days_without_a_notice_of_access():
    # c.p.c. art. 481 (enforcement of a release starts with the art. 608 notice)
    served = date(2026, 5, 1)
    assert clock.precetto_lapses_on(served) == date(2026, 7, 30)
    kwargs = {"served_on": served, "notice_served_on": None}
    assert not clock.precetto_lapsed(**kwargs, today=date(2026, 7, 30))
    assert clock.precetto_lapsed(**kwargs, today=date(2026, 7, 31))
    # a notice within the 90 days keeps it alive, even if the access is later
    assert not clock.precetto_lapsed(
        served_on=served, notice_served_on=date(2026, 7, 20), today=date(2026, 9, 1)
    )
    assert clock.precetto_lapsed(
        served_on=served, notice_served_on=date(2026, 8, 2), today=date(2026, 8, 2)
    )


def test_enforcement_deadlines_follow_the_recorded_dates():
    dates = CaseDates(status="enforcement_scheduled", precetto_served_on=date(2026, 5, 1))
    kinds = [(d.kind, d.due_on) for d in clock.case_deadlines(dates)]
    assert kinds == [("precetto_term", date(2026, 5, 11)), ("precetto_lapse", date(2026, 7, 30))]
    noticed = CaseDates(
        status="enforcement_scheduled",
        precetto_served_on=date(2026, 5, 1),
        access_notice_served_on=date(2026, 5, 20),
        access_on=date(2026, 6, 3),
    )
    assert [(d.kind, d.due_on) for d in clock.case_deadlines(noticed)] == [
        ("access", date(2026, 6, 3))
    ]


def test_grace_period_deadlines():
    dates = CaseDates(
        status="grace_period", grace_ends_on=date(2026, 7, 1), new_hearing_on=date(2026, 7, 8)
    )
    assert [d.kind for d in clock.case_deadlines(dates)] == ["grace_ends", "new_hearing"]


def test_closed_cases_have_no_deadlines():
    assert clock.case_deadlines(CaseDates(status="cured", hearing_on=date(2026, 4, 2))) == []


def test_programme_settings_change_the_numbers():
    rules = ClockRules(grace_max_uses=2, precetto_lapse_days=60)
    allowance = clock.grace_allowance(
        past_uses=[date(2025, 1, 1), date(2025, 6, 1)],
        on=date(2026, 1, 1),
        exceptional=False,
        rules=rules,
    )
    assert not allowance.allowed
    assert clock.precetto_lapses_on(date(2026, 5, 1), rules) == date(2026, 6, 30)


def test_urgency_of_a_deadline():
    today = date(2026, 5, 10)
    assert clock.deadline_urgency(date(2026, 5, 9), today) == "overdue"
    assert clock.deadline_urgency(date(2026, 5, 10), today) == "soon"
    assert clock.deadline_urgency(date(2026, 5, 17), today) == "soon"
    assert clock.deadline_urgency(date(2026, 5, 18), today) == ""


def test_fund_eligibility_hints():
    # D.M. 30 March 2016
    hints = dict(
        clock.fund_eligibility_hints(
            isee=Decimal("9000"), cause="unemployment", summons_served=True, lease_registered=False
        )
    )
    assert hints == {"isee": True, "cause": True, "summons": True, "registered": False}
    high = dict(
        clock.fund_eligibility_hints(
            isee=Decimal("26000.01"),
            cause="separation",
            summons_served=False,
            lease_registered=True,
        )
    )
    assert high["isee"] is False and high["cause"] is False
