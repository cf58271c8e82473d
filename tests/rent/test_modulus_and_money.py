"""Bank account checks and the money helpers: the figures are the specification's worked
examples, checked by hand in the comments."""

from __future__ import annotations

import datetime as dt

import pytest

from rent.modulus import account_passes_modulus_check, parse_weight_table, weight_table
from rent.periods import Period, part_of, pence_from_pounds, periods_between, pounds


@pytest.mark.parametrize(
    ("sort_code", "account_number"),
    [
        ("089999", "66374958"),  # modulus 10: 42+6+9+49+4+27+35+8 = 180
        ("107999", "88837491"),  # modulus 11: 64+56+48+15+28+12+18+1 = 242 = 22 x 11
        ("202959", "63748472"),  # double alternate: digit sums 60
    ],
)
def test_valid_accounts_pass_their_sort_codes_check(sort_code, account_number):
    assert account_passes_modulus_check(sort_code, account_number)


@pytest.mark.parametrize(
    ("sort_code", "account_number"),
    [("089999", "66374959"), ("107999", "88837492"), ("202959", "63748473")],
)
def test_one_wrong_digit_fails_the_check(sort_code, account_number):
    assert not account_passes_modulus_check(sort_code, account_number)


def test_a_sort_code_without_a_weight_row_cannot_be_checked_and_is_accepted():
    assert account_passes_modulus_check("401234", "12345678")


def test_a_pair_that_is_not_six_and_eight_digits_fails():
    assert not account_passes_modulus_check("08999", "66374958")
    assert not account_passes_modulus_check("089999", "6637495x")


def test_every_row_for_a_sort_code_must_pass():
    rows = tuple(
        parse_weight_table(
            "089000 089999 MOD10 0 0 0 0 0 0 7 1 3 7 1 3 7 1\n"
            "089000 089999 DBLAL 2 1 2 1 2 1 2 1 2 1 2 1 2 1\n"
        )
    )
    # Passes modulus 10 (180) but not double alternate (92).
    assert not account_passes_modulus_check("089999", "66374958", rows)


def test_a_row_with_an_exception_is_not_applied():
    rows = tuple(parse_weight_table("089000 089999 MOD11 0 0 0 0 0 0 8 7 6 5 4 3 2 1 5\n"))
    assert account_passes_modulus_check("089999", "00000001", rows)


def test_the_bundled_table_reads():
    assert {row.method for row in weight_table()} == {"MOD10", "MOD11", "DBLAL"}


def test_a_malformed_table_line_is_refused_with_its_number():
    with pytest.raises(ValueError, match="Line 2"):
        parse_weight_table("# comment\n089000 089999 MODXX 1\n")


@pytest.mark.parametrize(
    ("text", "pence"),
    [("12.50", 1250), ("£1,200", 120000), ("0.01", 1), ("7", 700), ("-3.20", -320)],
)
def test_amounts_in_pounds_become_whole_pence(text, pence):
    assert pence_from_pounds(text) == pence


@pytest.mark.parametrize("text", ["", "12.345", "1.2.3", "ten", "12,50.0x", "1e3"])
def test_what_is_not_an_amount_is_refused(text):
    with pytest.raises(ValueError):
        pence_from_pounds(text)


def test_pounds_reads_as_money():
    assert pounds(123456) == "£1,234.56"
    assert pounds(-5) == "-£0.05"


def test_a_part_week_is_charged_by_the_day_rounded_half_up():
    # 5 days of a £100 week: 10000 x 5 / 7 = 7142.86 -> 7143
    period = Period(
        start=dt.date(2026, 4, 1),
        end=dt.date(2026, 4, 5),
        full_start=dt.date(2026, 3, 30),
        full_end=dt.date(2026, 4, 5),
    )
    assert part_of(10000, period) == 7143


def test_monthly_periods_clip_to_the_tenancy():
    periods = list(
        periods_between(
            frequency="monthly",
            first_day=dt.date(2026, 1, 20),
            last_day=dt.date(2026, 3, 10),
            up_to=dt.date(2026, 12, 31),
        )
    )
    assert [(p.start, p.end) for p in periods] == [
        (dt.date(2026, 1, 20), dt.date(2026, 1, 31)),
        (dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
        (dt.date(2026, 3, 1), dt.date(2026, 3, 10)),
    ]
    # 12 of January's 31 days of £400: 40000 x 12 / 31 = 15483.87 -> 15484
    assert part_of(40000, periods[0]) == 15484
    assert part_of(40000, periods[1]) == 40000
