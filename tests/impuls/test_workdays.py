"""Working days, spend windows and local moments of MAEX Impuls (docs/decisions/0025): Dutch public holidays,
weekends and the change to and from summer time, in Europe/Amsterdam."""

from datetime import UTC, date, datetime, time, timedelta

from impuls.workdays import (
    AMSTERDAM,
    add_months,
    add_working_days,
    days_off,
    is_working_day,
    local_date,
    local_moment,
    spend_window_end,
    working_days_between,
)


def test_kings_day_on_a_monday_is_skipped():
    # Given Friday 24 April 2026; Monday 27 April 2026 is King's Day
    # When one working day is added
    # Then the term ends on Tuesday 28 April
    assert add_working_days(date(2026, 4, 24), 1) == date(2026, 4, 28)


def test_kings_day_moves_to_the_26th_when_the_27th_is_a_sunday():
    # Given 2025, when 27 April is a Sunday
    off = days_off(2025)
    # Then Koningsdag is Saturday 26 April, and Monday 28 April is an ordinary working day
    assert off[date(2025, 4, 26)] == "Koningsdag"
    assert date(2025, 4, 27) not in off
    assert is_working_day(date(2025, 4, 28))
    assert add_working_days(date(2025, 4, 25), 1) == date(2025, 4, 28)


def test_christmas_and_boxing_day_on_weekdays_are_skipped():
    # Given Wednesday 24 December 2025; 25 and 26 December are Thursday and Friday
    # Then the next working day is Monday 29 December
    assert add_working_days(date(2025, 12, 24), 1) == date(2025, 12, 29)
    # And in 2026 (Friday and Saturday) the Monday after
    assert add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 28)


def test_new_years_day_is_skipped():
    # Given Wednesday 31 December 2025; 1 January 2026 is a Thursday
    assert add_working_days(date(2025, 12, 31), 1) == date(2026, 1, 2)


def test_easter_monday_is_off_but_good_friday_is_a_working_day():
    # Given Easter 2026: Good Friday 3 April, Easter Monday 6 April
    assert is_working_day(date(2026, 4, 3))
    assert not is_working_day(date(2026, 4, 6))
    # When a term of one working day starts on Good Friday
    # Then it ends on Tuesday after Easter
    assert add_working_days(date(2026, 4, 3), 1) == date(2026, 4, 7)


def test_liberation_day_is_off_every_year_not_only_in_lustrum_years():
    # Given 5 May 2026 (a Tuesday, not a lustrum year) and 5 May 2025 (a Monday, a lustrum year)
    assert not is_working_day(date(2026, 5, 5))
    assert not is_working_day(date(2025, 5, 5))
    assert add_working_days(date(2026, 5, 4), 1) == date(2026, 5, 6)


def test_ascension_and_whit_monday_are_off():
    assert days_off(2026)[date(2026, 5, 14)] == "Hemelvaartsdag"
    assert days_off(2026)[date(2026, 5, 25)] == "Tweede pinksterdag"
    assert add_working_days(date(2026, 5, 13), 1) == date(2026, 5, 15)


def test_the_payout_term_of_ten_working_days_around_kings_day_and_liberation_day():
    # Given a decision on Monday 20 April 2026 and a term of 10 working days
    due = add_working_days(date(2026, 4, 20), 10)
    # Then King's Day (27 April), the weekends and Liberation Day (5 May) do not count
    assert due == date(2026, 5, 6)
    assert working_days_between(date(2026, 4, 20), due) == 10
    # And the same number of calendar days would have been far earlier
    assert date(2026, 4, 20) + timedelta(days=10) < due


def test_a_decision_in_the_weekend_counts_from_monday():
    # Given Saturday 7 March 2026
    assert add_working_days(date(2026, 3, 7), 1) == date(2026, 3, 9)
    assert add_working_days(date(2026, 3, 7), 0) == date(2026, 3, 7)


def test_days_between_is_zero_backwards():
    assert working_days_between(date(2026, 3, 9), date(2026, 3, 2)) == 0


def test_spend_window_is_calendar_months_with_the_end_of_a_short_month():
    assert spend_window_end(date(2026, 1, 15), 4) == date(2026, 5, 15)
    assert spend_window_end(date(2025, 10, 31), 4) == date(2026, 2, 28)
    assert spend_window_end(date(2027, 10, 31), 4) == date(2028, 2, 29)
    assert add_months(date(2028, 2, 29), -12) == date(2027, 2, 28)
    assert add_months(date(2026, 1, 31), -1) == date(2025, 12, 31)


def test_an_opening_moment_keeps_its_wall_clock_time_across_the_change_to_summer_time():
    # Given a round opening at 09:00 on Saturday 28 March 2026 and one on Monday 30 March (summer time since the 29th)
    before = local_moment(date(2026, 3, 28), time(9, 0))
    after = local_moment(date(2026, 3, 30), time(9, 0))
    # Then both are 09:00 in the Netherlands, with different offsets
    assert before.astimezone(AMSTERDAM).time() == after.astimezone(AMSTERDAM).time() == time(9, 0)
    assert before.utcoffset() == timedelta(hours=1)
    assert after.utcoffset() == timedelta(hours=2)
    # And in UTC they lie two days less one hour apart (Python subtracts aware datetimes of one zone as wall time)
    assert after.astimezone(UTC) - before.astimezone(UTC) == timedelta(days=2, hours=-1)
    assert after.astimezone(UTC) == datetime(2026, 3, 30, 7, 0, tzinfo=UTC)


def test_a_closing_moment_keeps_its_wall_clock_time_across_the_change_to_winter_time():
    # Given a round closing at 17:00 on Saturday 24 October and one on Monday 26 October 2026 (winter time on the 25th)
    before = local_moment(date(2026, 10, 24), time(17, 0))
    after = local_moment(date(2026, 10, 26), time(17, 0))
    assert before.astimezone(UTC) == datetime(2026, 10, 24, 15, 0, tzinfo=UTC)
    assert after.astimezone(UTC) == datetime(2026, 10, 26, 16, 0, tzinfo=UTC)
    assert after.astimezone(UTC) - before.astimezone(UTC) == timedelta(days=2, hours=1)


def test_times_that_do_not_exist_or_exist_twice_on_the_change_days():
    # 02:30 on 29 March 2026 does not exist: the clock jumps from 02:00 to 03:00
    assert local_moment(date(2026, 3, 29), time(2, 30)).astimezone(UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    # 02:30 on 25 October 2026 exists twice: the first (summer time) is taken
    assert local_moment(date(2026, 10, 25), time(2, 30)).astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_local_date_of_a_moment_just_after_midnight():
    # Given 23:30 UTC on 31 December 2025, which is 00:30 on 1 January in the Netherlands
    assert local_date(datetime(2025, 12, 31, 23, 30, tzinfo=UTC)) == date(2026, 1, 1)
    # And in summer: 22:30 UTC on 30 June is 00:30 on 1 July
    assert local_date(datetime(2026, 6, 30, 22, 30, tzinfo=UTC)) == date(2026, 7, 1)
