"""The court calendar (tenancies/legal_calendar.py): Easter, the national holidays, and how a
term is counted (c.p.c. art. 155, c.c. art. 2963). Property tests check every deadline the
legal clock computes lands on a day it may end on."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tenancies import legal_calendar as cal
from tenancies import legal_clock as clock


def gauss_easter(year: int) -> date:
    """Gauss's Easter algorithm (Gregorian), with its two exceptions: independent of the
    anonymous algorithm the module uses."""
    a, b, c = year % 19, year % 4, year % 7
    k = year // 100
    p = (13 + 8 * k) // 25
    q = k // 4
    m = (15 - p + k - q) % 30
    n = (4 + k - q) % 7
    d = (19 * a + m) % 30
    e = (2 * b + 4 * c + 6 * d + n) % 7
    if d == 29 and e == 6:
        return date(year, 4, 19)
    if d == 28 and e == 6 and (11 * m + 11) % 30 < 19:
        return date(year, 4, 18)
    if 22 + d + e <= 31:
        return date(year, 3, 22 + d + e)
    return date(year, 4, d + e - 9)


# Easter Sundays known from the published calendars.
KNOWN_EASTERS = [
    date(1954, 4, 18),  # one of Gauss's exceptions (d = 28, e = 6)
    date(1981, 4, 19),  # the other (d = 29, e = 6)
    date(2000, 4, 23),
    date(2001, 4, 15),
    date(2002, 3, 31),
    date(2008, 3, 23),
    date(2011, 4, 24),
    date(2016, 3, 27),
    date(2019, 4, 21),
    date(2020, 4, 12),
    date(2023, 4, 9),
    date(2024, 3, 31),
    date(2025, 4, 20),
    date(2026, 4, 5),
    date(2027, 3, 28),
    date(2038, 4, 25),
    date(2049, 4, 18),
]


@pytest.mark.parametrize("easter", KNOWN_EASTERS, ids=str)
def test_easter_matches_the_published_dates(easter):
    assert cal.easter_sunday(easter.year) == easter
    assert gauss_easter(easter.year) == easter


def test_easter_agrees_with_gauss_for_2000_to_2100():
    for year in range(2000, 2101):
        easter = cal.easter_sunday(year)
        assert easter == gauss_easter(year), year
        assert easter.weekday() == cal.SUNDAY
        assert date(year, 3, 22) <= easter <= date(year, 4, 25)


def test_easter_agrees_with_dateutil_when_installed():
    easter = pytest.importorskip("dateutil.easter")
    for year in range(2000, 2101):
        assert cal.easter_sunday(year) == easter.easter(year), year


@given(st.integers(min_value=1583, max_value=4099))
def test_two_easter_algorithms_agree(year):
    assert cal.easter_sunday(year) == gauss_easter(year)


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 1, 1),
        date(2026, 1, 6),
        date(2026, 4, 5),  # Easter Sunday
        date(2026, 4, 6),  # Easter Monday
        date(2026, 4, 25),
        date(2026, 5, 1),
        date(2026, 6, 2),
        date(2026, 8, 15),
        date(2026, 11, 1),
        date(2026, 12, 8),
        date(2026, 12, 25),
        date(2026, 12, 26),
    ],
    ids=str,
)
def test_l260_1949_national_holidays(day):
    assert cal.holiday_name(day) is not None
    assert cal.is_public_holiday(day)
    assert not cal.is_working_day(day)
    # the days either side are ordinary (none of these holidays are next to each other but
    # Easter's and Christmas's pairs)
    for other in (day - timedelta(days=1), day + timedelta(days=1)):
        if other.weekday() < 5 and other not in (
            date(2026, 4, 5),
            date(2026, 4, 6),
            date(2026, 12, 25),
            date(2026, 12, 26),
        ):
            assert cal.is_working_day(other), other


def test_art_155_cpc_co1_term_in_days_excludes_its_first_day():
    # Served Monday 2 March 2026: day 1 of ten is the 3rd, the tenth the 12th.
    assert cal.term_in_days(date(2026, 3, 2), 10, saturday_off=False).due == date(2026, 3, 12)
    assert cal.term_in_days(date(2026, 3, 2), 1, saturday_off=False).due == date(2026, 3, 3)


def test_art_155_cpc_term_ending_on_sunday_moves_to_monday():
    def term(start):
        return cal.term_in_days(start, 10, saturday_off=False)

    assert term(date(2026, 3, 4)).due == date(2026, 3, 14)  # Saturday: stays
    sunday = term(date(2026, 3, 5))
    assert (sunday.nominal, sunday.due, sunday.moved) == (
        date(2026, 3, 15),
        date(2026, 3, 16),
        True,
    )
    assert term(date(2026, 3, 6)).due == date(2026, 3, 16)  # Monday
    assert not term(date(2026, 3, 6)).moved
    assert term(date(2026, 3, 6)).moved_because == ""


def test_art_155_cpc_co5_saturday_moves_for_acts_outside_a_hearing():
    def term(start):
        return cal.term_in_days(start, 10, saturday_off=True)

    assert term(date(2026, 3, 3)).due == date(2026, 3, 13)  # Friday
    saturday = term(date(2026, 3, 4))
    assert (saturday.nominal, saturday.due) == (date(2026, 3, 14), date(2026, 3, 16))
    assert term(date(2026, 3, 5)).due == date(2026, 3, 16)  # Sunday
    assert term(date(2026, 3, 6)).due == date(2026, 3, 16)  # Monday


def test_art_155_cpc_co4_holidays_in_a_row_move_past_them_all():
    # Friday 25 December 2026, Saturday St Stephen's, Sunday: Monday 28.
    term = cal.term_in_days(date(2026, 12, 15), 10, saturday_off=False)
    assert (term.nominal, term.due) == (date(2026, 12, 25), date(2026, 12, 28))
    assert str(term.moved_because) == "Natale"
    assert cal.term_in_days(date(2026, 12, 14), 10, saturday_off=False).due == date(2026, 12, 24)
    assert cal.term_in_days(date(2026, 12, 16), 10, saturday_off=False).due == date(2026, 12, 28)


def test_art_155_cpc_co2_term_in_months_ends_on_the_same_day_number():
    assert cal.add_months(date(2026, 3, 14), 1) == date(2026, 4, 14)
    assert cal.add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert cal.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)  # c.c. art. 2963 co. 4
    assert cal.add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert cal.add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)
    # 14 March 2027 is a Sunday
    term = cal.term_in_months(date(2026, 12, 14), 3, saturday_off=False)
    assert (term.nominal, term.due) == (date(2027, 3, 14), date(2027, 3, 15))


def test_art_2963_cc_term_in_years_ends_on_the_same_calendar_day():
    assert cal.add_years(date(2023, 3, 1), 4) == date(2027, 3, 1)
    assert cal.add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert cal.add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)
    # 1 March 2026 is a Sunday
    term = cal.term_in_years(date(2025, 3, 1), 1, saturday_off=False)
    assert (term.nominal, term.due) == (date(2026, 3, 1), date(2026, 3, 2))


# --- properties ------------------------------------------------------------------------------

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))


@given(days, st.booleans())
def test_next_working_day_is_the_first_working_day_on_or_after(day, saturday_off):
    due = cal.next_working_day(day, saturday_off=saturday_off)
    assert cal.is_working_day(due, saturday_off=saturday_off)
    assert day <= due <= day + timedelta(days=4)  # the longest run: Sat, Easter, Monday
    probe = day
    while probe < due:
        assert not cal.is_working_day(probe, saturday_off=saturday_off)
        probe += timedelta(days=1)
    assert due.weekday() != cal.SUNDAY and cal.holiday_name(due) is None


@given(days, st.integers(min_value=0, max_value=400), st.booleans())
def test_a_term_ends_on_a_working_day_no_earlier_than_its_count(start, count, saturday_off):
    term = cal.term_in_days(start, count, saturday_off=saturday_off)
    assert term.nominal == start + timedelta(days=count)
    assert term.due >= term.nominal
    assert cal.is_working_day(term.due, saturday_off=saturday_off)
    assert term.moved == bool(term.moved_because)


@given(days, st.integers(min_value=-60, max_value=60))
def test_add_months_keeps_the_day_or_ends_the_month(day, months):
    result = cal.add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    if result.day != day.day:
        assert result.day < day.day
        assert (result + timedelta(days=1)).day == 1  # the last day of its month


@given(days, st.integers(min_value=1, max_value=120))
def test_every_deadline_of_the_legal_clock_is_a_working_day(served, days_granted):
    precetto = clock.precetto_term(served)
    assert cal.is_working_day(precetto.due)
    assert cal.is_working_day(clock.precetto_lapse_term(served).due, saturday_off=True)
    grace = clock.grace_term(served, days_granted)
    assert cal.is_working_day(grace.due)
    assert cal.is_working_day(clock.grace_new_hearing_latest_term(grace.due).due)
    assert cal.is_working_day(clock.summons_earliest_hearing_term(served).due)
    access = clock.access_earliest_term(notice_served_on=served, precetto_served_on=served)
    assert cal.is_working_day(access.due)
    for deadline in clock.case_deadlines(
        clock.CaseDates(status="enforcement_scheduled", precetto_served_on=served)
    ):
        assert cal.is_working_day(deadline.due_on)


@given(st.lists(days, max_size=6), days, st.integers(min_value=1, max_value=6))
def test_sanatoria_window_is_the_calendar_years_up_to_the_day(uses, on, years):
    rules = clock.ClockRules(grace_window_years=years)
    counting = clock.sanatoria_uses_counting(uses, on, rules)
    start = clock.years_before(on, years)
    assert counting == sorted(u for u in uses if start <= u <= on)
