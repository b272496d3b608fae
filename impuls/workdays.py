"""Working days and local moments of MAEX Impuls, in Europe/Amsterdam (docs/decisions/0025).

Pure functions on dates: no database, no settings. A working day is a Monday to Friday that is not a Dutch public
holiday in the sense of the Algemene termijnenwet (the act that governs terms counted in days in Dutch law):
Nieuwjaarsdag, tweede Paasdag, Koningsdag (26 April when the 27th is a Sunday), Bevrijdingsdag (5 May, every
year, not only in lustrum years), Hemelvaartsdag, tweede Pinksterdag, eerste and tweede Kerstdag. Goede Vrijdag is
not a day off here (most employers and banks work). Easter Sunday and Whit Sunday are Sundays anyway. The
``holidays`` package supplies the dates (Easter and the King's Day shift); the choice of which count is ours.
"""

import calendar
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

# The holiday names of ``holidays.Netherlands`` (its English names) that are days off here; 5 May is added below.
_DAYS_OFF = frozenset(
    {
        "New Year's Day",
        "Easter Monday",
        "King's Day",
        "Liberation Day",
        "Ascension Day",
        "Pentecost Monday",
        "Christmas Day",
        "Second Day of Christmas",
    }
)


@cache
def days_off(year: int) -> dict[date, str]:
    """The public holidays of ``year`` that are no working day, with their Dutch names (weekdays and weekends)."""
    dutch = holidays.Netherlands(years=year, language="nl")
    english = holidays.Netherlands(years=year, language="en_US")
    off = {day: dutch[day] for day, name in english.items() if any(n in _DAYS_OFF for n in name.split("; "))}
    off.setdefault(date(year, 5, 5), "Bevrijdingsdag")  # every year (Algemene termijnenwet), not only every 5th
    return dict(sorted(off.items()))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in days_off(day.year)


def add_working_days(start: date, n: int) -> date:
    """The ``n``-th working day after ``start`` (``start`` itself never counts; ``n`` = 0 gives ``start``).
    A decision on Friday with a term of 1 working day is due on Monday (or Tuesday after Easter Monday)."""
    if n < 0:
        raise ValueError("n must be 0 or more")
    day = start
    while n:
        day += timedelta(days=1)
        if is_working_day(day):
            n -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """How many working days lie after ``start`` up to and including ``end`` (0 when ``end`` <= ``start``): the
    inverse of ``add_working_days``, for "paid on time or late" and median payout times."""
    days = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        days += is_working_day(day)
    return days


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months; the 31st (or 29 February) becomes the last day of a shorter
    month: 31 October + 4 months is 28 (or 29) February."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def spend_window_end(paid_on: date, months: int) -> date:
    """The last day to spend (and account for) an Impuls paid out on ``paid_on``: the same day ``months``
    calendar months later."""
    return add_months(paid_on, months)


def local_moment(day: date, at: time) -> datetime:
    """The aware datetime of wall-clock time ``at`` on ``day`` in the Netherlands: 09:00 stays 09:00 on both
    sides of a change to or from summer time (the UTC offset differs, the clock time does not). A time that does
    not exist (02:30 on the last Sunday of March, when the clock jumps from 02:00 to 03:00) comes out as 03:30
    summer time; a time that exists twice (02:30 on the last Sunday of October) as the first, in summer time."""
    return datetime.combine(day, at.replace(tzinfo=None, fold=0), tzinfo=AMSTERDAM)


def local_date(moment: datetime) -> date:
    """The calendar date in the Netherlands of an aware ``moment`` (a decision at 00:30 local time on 1 January
    is on 1 January, though it is still 31 December in UTC)."""
    return moment.astimezone(AMSTERDAM).date()
