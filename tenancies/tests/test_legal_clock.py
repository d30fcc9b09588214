"""One test per rule of the legal clock (tenancies/legal_clock.py), named after its article,
each at its boundaries: the day before, the day, the day after."""

from datetime import date
from decimal import Decimal

import pytest

from tenancies import legal_clock as clock
from tenancies.legal_clock import CaseDates, ClockRules, GraceCause

# --- c.p.c. art. 660: the summons' 20 free days --------------------------------------------


def test_art_660_cpc_summons_needs_twenty_free_days_before_the_hearing():
    # Served Monday 2 March 2026: 20 free days are 3–22 March, the first hearing 23 March.
    served = date(2026, 3, 2)
    assert clock.summons_earliest_hearing(served) == date(2026, 3, 23)
    assert not clock.summons_term_respected(served, date(2026, 3, 22))
    assert clock.summons_term_respected(served, date(2026, 3, 23))
    assert clock.summons_term_respected(served, date(2026, 3, 24))


def test_art_660_and_155_cpc_earliest_hearing_on_a_sunday_moves_to_monday():
    # Served Sunday 1 March 2026: the 20 free days end on Saturday 21, the first possible day
    # is Sunday 22, and no hearing sits on a Sunday: Monday 23.
    term = clock.summons_earliest_hearing_term(date(2026, 3, 1))
    assert (term.nominal, term.due) == (date(2026, 3, 22), date(2026, 3, 23))
    assert str(term.moved_because) == "domenica"
    # The free days themselves are met by any day from the 22nd (art. 155 co. 3).
    assert clock.summons_term_respected(date(2026, 3, 1), date(2026, 3, 22))
    assert not clock.summons_term_respected(date(2026, 3, 1), date(2026, 3, 21))


def test_art_155_cpc_co6_earliest_hearing_may_be_a_saturday():
    term = clock.summons_earliest_hearing_term(date(2026, 2, 28))
    assert term.nominal == term.due == date(2026, 3, 21)  # a Saturday
    assert not term.moved


def test_art_658_cpc_hearing_is_the_deadline_after_the_summons():
    dates = CaseDates(
        status="summons_served", summons_served_on=date(2026, 3, 1), hearing_on=date(2026, 4, 2)
    )
    [deadline] = clock.case_deadlines(dates)
    assert (deadline.kind, deadline.due_on, deadline.source) == (
        "hearing",
        date(2026, 4, 2),
        "c.p.c. art. 658",
    )


# --- L. 392/1978 art. 55: the grace period ---------------------------------------------------


def test_art_55_l392_grace_lasts_up_to_ninety_days():
    allowance = clock.grace_allowance(past_uses=[], on=date(2026, 4, 2), exceptional=False)
    assert allowance.max_days == 90
    for days, too_long in ((89, False), (90, False), (91, True)):
        problems = clock.grace_problems(
            granted_on=date(2026, 4, 2),
            days=days,
            new_hearing_on=date(2026, 7, 8),
            allowance=allowance,
        )
        assert ("too_long" in problems) is too_long, days
    assert "too_long" in clock.grace_problems(
        granted_on=date(2026, 4, 2), days=0, new_hearing_on=date(2026, 4, 8), allowance=allowance
    )


def test_art_55_l392_new_hearing_within_ten_days_of_the_grace_end():
    allowance = clock.grace_allowance(past_uses=[], on=date(2026, 4, 2), exceptional=False)
    ends = clock.grace_ends_on(date(2026, 4, 2), 90)
    assert ends == date(2026, 7, 1)
    # 11 July 2026 is a Saturday: a hearing may sit then (c.p.c. art. 155 co. 6).
    assert clock.grace_new_hearing_latest(ends) == date(2026, 7, 11)

    def problems(new_hearing_on):
        return clock.grace_problems(
            granted_on=date(2026, 4, 2), days=90, new_hearing_on=new_hearing_on, allowance=allowance
        )

    assert problems(date(2026, 7, 1)) == ["hearing_before_end"]
    assert problems(date(2026, 7, 2)) == []
    assert problems(date(2026, 7, 10)) == []
    assert problems(date(2026, 7, 11)) == []
    assert problems(date(2026, 7, 12)) == ["hearing_too_late"]


def test_art_55_l392_and_155_cpc_new_hearing_limit_on_a_sunday_moves_to_monday():
    # A grace ending Thursday 2 July: ten days later is Sunday 12 July → Monday 13 July.
    term = clock.grace_new_hearing_latest_term(date(2026, 7, 2))
    assert (term.nominal, term.due) == (date(2026, 7, 12), date(2026, 7, 13))
    assert clock.grace_new_hearing_latest_term(date(2026, 7, 1)).due == date(2026, 7, 11)
    assert clock.grace_new_hearing_latest_term(date(2026, 7, 3)).due == date(2026, 7, 13)


def test_art_155_cpc_grace_ending_on_easter_runs_to_the_tuesday():
    # Granted Monday 5 January 2026 for 90 days: nominally Easter Sunday 5 April; Easter
    # Monday is a holiday too, so the household may pay until Tuesday 7 April.
    term = clock.grace_term(date(2026, 1, 5), 90)
    assert (term.nominal, term.due) == (date(2026, 4, 5), date(2026, 4, 7))
    assert str(term.moved_because) == "Pasqua"
    # the day before: Holy Saturday, which stays (paying is no procedural act)
    assert clock.grace_ends_on(date(2026, 1, 4), 90) == date(2026, 4, 4)
    # the day after: Easter Monday, a holiday too
    assert clock.grace_ends_on(date(2026, 1, 6), 90) == date(2026, 4, 7)
    assert clock.grace_ends_on(date(2026, 1, 7), 90) == date(2026, 4, 7)  # the Tuesday itself


def test_art_155_cpc_co5_grace_ending_on_saturday_does_not_move():
    # Paying is not a procedural act done outside a hearing: a Saturday end stays.
    assert clock.grace_ends_on(date(2026, 3, 31), 10) == date(2026, 4, 10)  # Friday
    saturday = clock.grace_term(date(2026, 4, 1), 10)
    assert saturday.nominal == saturday.due == date(2026, 4, 11)
    assert not saturday.moved
    assert clock.grace_ends_on(date(2026, 4, 2), 10) == date(2026, 4, 13)  # Sunday → Monday


# --- L. 392/1978 art. 55: how many sanatorie in four years -----------------------------------


def test_art_55_l392_three_uses_in_four_years():
    two = [date(2024, 6, 1), date(2025, 9, 1)]
    assert clock.grace_allowance(past_uses=two, on=date(2026, 4, 2), exceptional=False).allowed
    three = [date(2023, 1, 10), *two]
    allowance = clock.grace_allowance(past_uses=three, on=date(2026, 4, 2), exceptional=False)
    assert (allowance.uses_in_window, allowance.max_uses) == (3, 3)
    assert not allowance.allowed
    problems = clock.grace_problems(
        granted_on=date(2026, 4, 2), days=30, new_hearing_on=date(2026, 5, 5), allowance=allowance
    )
    assert "exhausted" in problems


def test_art_55_l392_four_years_counted_by_the_calendar():
    # A use on 1 March 2023 still counts on 1 March 2027 (c.p.c. art. 155 co. 2).
    uses = [date(2023, 3, 1)]
    assert clock.sanatoria_uses_counting(uses, date(2027, 2, 28)) == uses
    assert clock.sanatoria_uses_counting(uses, date(2027, 3, 1)) == uses
    assert clock.sanatoria_uses_counting(uses, date(2027, 3, 2)) == []
    # not before it happened
    assert clock.sanatoria_uses_counting(uses, date(2023, 2, 28)) == []
    allowance = clock.grace_allowance(past_uses=uses, on=date(2027, 3, 1), exceptional=False)
    assert (allowance.uses_in_window, allowance.window_start) == (1, date(2023, 3, 1))


def test_art_55_l392_four_years_from_a_29_february():
    # c.c. art. 2963 co. 4: a term ending in a month without the day ends on its last day.
    uses = [date(2096, 2, 29)]
    assert clock.sanatoria_uses_counting(uses, date(2100, 2, 28)) == uses
    assert clock.sanatoria_uses_counting(uses, date(2100, 3, 1)) == []


def test_art_55_l392_co4_four_uses_and_one_hundred_twenty_days():
    uses = [date(2023, 1, 10), date(2024, 6, 1), date(2025, 9, 1)]
    allowance = clock.grace_allowance(past_uses=uses, on=date(2026, 4, 2), exceptional=True)
    assert (allowance.max_uses, allowance.max_days) == (4, 120)
    assert allowance.allowed and allowance.remaining == 1
    for days, too_long in ((119, False), (120, False), (121, True)):
        problems = clock.grace_problems(
            granted_on=date(2026, 4, 2),
            days=days,
            new_hearing_on=date(2026, 8, 5),
            allowance=allowance,
        )
        assert ("too_long" in problems) is too_long, days
    fifth = clock.grace_allowance(
        past_uses=[*uses, date(2026, 1, 5)], on=date(2026, 4, 2), exceptional=True
    )
    assert not fifth.allowed


# --- L. 392/1978 art. 55 co. 4: when the wider grace applies ---------------------------------

SIGNED = date(2024, 1, 10)


def _exceptional(**overrides):
    kwargs = {
        "arrears_months": Decimal("1"),
        "cause": "unemployment",
        "cause_arose_on": date(2025, 5, 1),
        "lease_signed_on": SIGNED,
    }
    kwargs.update(overrides)
    return clock.grace_is_exceptional(**kwargs)


def test_art_55_l392_co4_default_of_no_more_than_two_months():
    assert _exceptional(arrears_months=Decimal("1.99"))
    assert _exceptional(arrears_months=Decimal("2"))
    assert not _exceptional(arrears_months=Decimal("2.01"))
    assert clock.arrears_in_months(Decimal("1400"), Decimal("700")) == Decimal("2.00")
    assert clock.arrears_in_months(Decimal("1401"), Decimal("700")) == Decimal("2.00")
    assert clock.arrears_in_months(Decimal("1404"), Decimal("700")) == Decimal("2.01")
    assert clock.arrears_in_months(Decimal("100"), Decimal("0")) == Decimal("0")


def test_art_55_l392_co4_cause_arisen_after_the_lease_was_signed():
    assert not _exceptional(cause_arose_on=date(2024, 1, 9))
    assert not _exceptional(cause_arose_on=SIGNED)
    assert _exceptional(cause_arose_on=date(2024, 1, 11))
    assert not _exceptional(cause_arose_on=None)


@pytest.mark.parametrize(
    "cause",
    [c for c in GraceCause.values if c != GraceCause.NONE],
)
def test_art_55_l392_co4_unemployment_illness_and_serious_hardship_open_the_wider_grace(cause):
    assert _exceptional(cause=cause)


@pytest.mark.parametrize("cause", ["none", "separation", "other", ""])
def test_art_55_l392_co4_other_causes_do_not(cause):
    assert not _exceptional(cause=cause)


# --- c.p.c. art. 480: the precetto's 10 days -------------------------------------------------


def test_art_480_cpc_precetto_gives_ten_days():
    assert clock.precetto_term_ends(date(2026, 5, 1)) == date(2026, 5, 11)
    assert clock.precetto_term_ends(date(2026, 5, 2)) == date(2026, 5, 12)


def test_art_480_and_155_cpc_precetto_term_ending_on_sunday_moves_to_monday():
    assert clock.precetto_term_ends(date(2026, 3, 3)) == date(2026, 3, 13)  # Friday
    # Saturday: the tenant's compliance is no procedural act, art. 155 co. 5 does not apply.
    assert clock.precetto_term_ends(date(2026, 3, 4)) == date(2026, 3, 14)
    sunday = clock.precetto_term(date(2026, 3, 5))
    assert (sunday.nominal, sunday.due) == (date(2026, 3, 15), date(2026, 3, 16))
    assert clock.precetto_term_ends(date(2026, 3, 6)) == date(2026, 3, 16)


def test_art_480_and_155_cpc_precetto_term_ending_on_25_april_moves():
    # 25 April 2027 is a Sunday and a holiday; 2028's is a Tuesday.
    assert clock.precetto_term_ends(date(2028, 4, 15)) == date(2028, 4, 26)
    assert clock.precetto_term_ends(date(2028, 4, 14)) == date(2028, 4, 24)
    assert clock.precetto_term_ends(date(2028, 4, 16)) == date(2028, 4, 26)


# --- c.p.c. artt. 481 and 608: the precetto lapses; the notice of access ---------------------


def test_art_481_cpc_precetto_lapses_after_ninety_days_without_a_notice_of_access():
    served = date(2026, 5, 1)
    assert clock.precetto_lapses_on(served) == date(2026, 7, 30)
    kwargs = {"served_on": served, "notice_served_on": None}
    assert not clock.precetto_lapsed(**kwargs, today=date(2026, 7, 29))
    assert not clock.precetto_lapsed(**kwargs, today=date(2026, 7, 30))
    assert clock.precetto_lapsed(**kwargs, today=date(2026, 7, 31))
    # a notice within the 90 days keeps it alive, even if the access is later
    assert not clock.precetto_lapsed(
        served_on=served, notice_served_on=date(2026, 7, 30), today=date(2026, 9, 1)
    )
    assert clock.precetto_lapsed(
        served_on=served, notice_served_on=date(2026, 7, 31), today=date(2026, 7, 31)
    )


def test_art_481_and_155_cpc_co5_precetto_lapse_on_saturday_moves_to_monday():
    # The act due within the 90 days, the bailiff's notice, is done outside a hearing.
    assert clock.precetto_lapses_on(date(2026, 2, 28)) == date(2026, 5, 29)  # Friday
    saturday = clock.precetto_lapse_term(date(2026, 3, 1))
    assert (saturday.nominal, saturday.due) == (date(2026, 5, 30), date(2026, 6, 1))
    assert str(saturday.moved_because) == "sabato"
    assert clock.precetto_lapses_on(date(2026, 3, 2)) == date(2026, 6, 1)  # Sunday → Monday
    # Tuesday 2 June is Republic Day: to Wednesday 3 June.
    assert clock.precetto_lapses_on(date(2026, 3, 4)) == date(2026, 6, 3)
    assert not clock.precetto_lapsed(
        served_on=date(2026, 3, 1), notice_served_on=None, today=date(2026, 6, 1)
    )
    assert clock.precetto_lapsed(
        served_on=date(2026, 3, 1), notice_served_on=None, today=date(2026, 6, 2)
    )


def test_art_608_cpc_access_needs_ten_days_notice_and_the_precetto_term():
    precetto = date(2026, 5, 1)
    assert clock.access_earliest(
        notice_served_on=date(2026, 6, 1), precetto_served_on=precetto
    ) == date(2026, 6, 11)
    # a notice served at once after the precetto still waits for the precetto's term
    assert clock.access_earliest(notice_served_on=precetto, precetto_served_on=precetto) == date(
        2026, 5, 12
    )


def test_art_608_and_155_cpc_access_due_on_a_sunday_moves_to_monday():
    precetto = date(2026, 5, 1)

    def earliest(notice):
        return clock.access_earliest_term(notice_served_on=notice, precetto_served_on=precetto)

    # The bailiff works on Saturdays (art. 155 co. 6): Saturday 13 June stays.
    assert earliest(date(2026, 6, 3)).due == date(2026, 6, 13)
    sunday = earliest(date(2026, 6, 4))
    assert (sunday.nominal, sunday.due) == (date(2026, 6, 14), date(2026, 6, 15))
    assert earliest(date(2026, 6, 5)).due == date(2026, 6, 15)


# --- the tasks of a case ---------------------------------------------------------------------


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


def test_art_155_cpc_moved_deadlines_keep_both_dates():
    dates = CaseDates(status="enforcement_scheduled", precetto_served_on=date(2026, 3, 1))
    lapse = {d.kind: d for d in clock.case_deadlines(dates)}["precetto_lapse"]
    assert (lapse.nominal_on, lapse.due_on) == (date(2026, 5, 30), date(2026, 6, 1))
    assert lapse.source == "c.p.c. artt. 481, 155"
    term = {d.kind: d for d in clock.case_deadlines(dates)}["precetto_term"]
    assert term.nominal_on is None and term.due_on == date(2026, 3, 11)


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


def test_dm_30_march_2016_fund_eligibility_hints():
    hints = dict(
        clock.fund_eligibility_hints(
            isee=Decimal("9000"), cause="unemployment", summons_served=True, lease_registered=False
        )
    )
    assert hints == {"isee": True, "cause": True, "summons": True, "registered": False}
    assert dict(
        clock.fund_eligibility_hints(
            isee=Decimal("26000"), cause="death", summons_served=True, lease_registered=True
        )
    )["isee"]
    high = dict(
        clock.fund_eligibility_hints(
            isee=Decimal("26000.01"),
            cause="separation",
            summons_served=False,
            lease_registered=True,
        )
    )
    assert high["isee"] is False and high["cause"] is False


# --- settings cannot break the law -----------------------------------------------------------


def test_the_law_numbers_are_the_defaults():
    for number in clock.LAW_NUMBERS:
        assert getattr(clock.DEFAULT_RULES, number.name) == number.value, number.name
    assert clock.law_breaches(vars(clock.DEFAULT_RULES)) == []


@pytest.mark.parametrize(
    ("name", "below", "at", "above"),
    [
        ("summons_min_days", True, False, True),
        ("grace_max_days", True, False, True),
        ("grace_max_uses", True, False, True),
        ("grace_window_years", True, False, True),
        ("precetto_lapse_days", True, False, True),
        ("fund_isee_max", False, False, True),
        ("fund_max_amount", False, False, True),
    ],
)
def test_law_numbers_fixed_or_ceilings(name, below, at, above):
    law = clock.LAW_BY_NAME[name]
    one = Decimal("0.01") if isinstance(law.value, Decimal) else 1
    for value, broken in ((law.value - one, below), (law.value, at), (law.value + one, above)):
        assert bool(clock.law_breaches({name: value})) is broken, (name, value)
    assert clock.law_breaches({"due_soon_days": 30}) == []
