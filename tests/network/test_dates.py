"""A session's dates in Paris time with the day name, right on both sides of a daylight-saving
change (the last Sundays of March and October)."""

import datetime

from network.dates import day_text, moment_text, time_text, when_text

UTC = datetime.UTC


def utc(*args):
    return datetime.datetime(*args, tzinfo=UTC)


def test_the_saturday_before_summer_time_is_utc_plus_one():
    # Saturday 28 March 2026, 17:00 UTC = 18:00 in Paris (winter time, +01:00).
    assert when_text(utc(2026, 3, 28, 17), utc(2026, 3, 28, 19)) == "samedi 28 mars 2026, de 18 h à 20 h"


def test_the_monday_after_summer_time_is_utc_plus_two():
    # Summer time starts on Sunday 29 March 2026: Monday 30 March, 16:00 UTC = 18:00 in Paris.
    assert when_text(utc(2026, 3, 30, 16), utc(2026, 3, 30, 18, 30)) == "lundi 30 mars 2026, de 18 h à 20 h 30"


def test_a_session_across_the_change_in_march():
    # Sunday 29 March 2026: 00:30 UTC is 01:30 (+01:00), 01:30 UTC is 03:30 (+02:00).
    assert when_text(utc(2026, 3, 29, 0, 30), utc(2026, 3, 29, 1, 30)) == "dimanche 29 mars 2026, de 1 h 30 à 3 h 30"


def test_the_saturday_before_winter_time_is_utc_plus_two():
    # Saturday 24 October 2026, 16:00 UTC = 18:00 in Paris (summer time).
    assert day_text(utc(2026, 10, 24, 16)) == "samedi 24 octobre 2026"
    assert time_text(utc(2026, 10, 24, 16)) == "18 h"


def test_the_monday_after_winter_time_is_utc_plus_one():
    # Winter time starts on Sunday 25 October 2026: Monday 26 October, 17:00 UTC = 18:00.
    assert moment_text(utc(2026, 10, 26, 17)) == "lundi 26 octobre 2026 à 18 h"


def test_the_first_of_the_month_and_a_session_over_two_days():
    assert day_text(utc(2026, 11, 1, 9)) == "dimanche 1er novembre 2026"
    assert (
        when_text(utc(2026, 10, 31, 8), utc(2026, 11, 1, 16))
        == "du samedi 31 octobre 2026 à 9 h au dimanche 1er novembre 2026 à 17 h"
    )
