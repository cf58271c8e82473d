"""Bank account checks and the money helpers. The bank account cases are the test cases of
Vocalink's "Validating account numbers" specification (section 3.1, numbered as there), run
against the bundled weight and substitution tables, then each exception's rule on its own."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from rent.modulus import (
    account_passes_modulus_check,
    parse_substitutions,
    parse_weight_table,
    substitution_table,
    weight_table,
)
from rent.periods import Period, part_of, pence_from_pounds, periods_between, pounds

SPECIFICATION_CASES = [
    (1, "Pass modulus 10 check", "089999", "66374958", True),
    (2, "Pass modulus 11 check", "107999", "88837491", True),
    (3, "Pass modulus 11 and double alternate checks", "202959", "63748472", True),
    (
        4,
        "Exception 10 & 11 where first check passes and second check fails",
        "871427",
        "46238510",
        True,
    ),
    (
        5,
        "Exception 10 & 11 where first check fails and second check passes",
        "872427",
        "46238510",
        True,
    ),
    (
        6,
        "Exception 10 where in the account number ab=09 and the g=9. The first check passes and second check fails",
        "871427",
        "09123496",
        True,
    ),
    (
        7,
        "Exception 10 where in the account number ab=99 and the g=9. The first check passes and the second check fails",
        "871427",
        "99123496",
        True,
    ),
    (
        8,
        "Exception 3, and the sorting code is the start of a range. As c=6 the second check should be ignored",
        "820000",
        "73688637",
        True,
    ),
    (
        9,
        "Exception 3, and the sorting code is the end of a range. As c=9 the second check should be ignored",
        "827999",
        "73988638",
        True,
    ),
    (10, "Exception 3. As c<>6 or 9 perform both checks pass", "827101", "28748352", True),
    (11, "Exception 4 where the remainder is equal to the checkdigit", "134020", "63849203", True),
    (
        12,
        "Exception 1 - ensures that 27 has been added to the accumulated total and passes double alternate modulus check",
        "118765",
        "64371389",
        True,
    ),
    (
        13,
        "Exception 6 where the account fails standard check but is a foreign currency account",
        "200915",
        "41011166",
        True,
    ),
    (14, "Exception 5 where the check passes", "938611", "07806039", True),
    (15, "Exception 5 where the check passes with substitution", "938600", "42368003", True),
    (
        16,
        "Exception 5 where both checks produce a remainder of 0 and pass",
        "938063",
        "55065200",
        True,
    ),
    (17, "Exception 7 where passes but would fail the standard check", "772798", "99345694", True),
    (18, "Exception 8 where the check passes", "086090", "06774744", True),
    (19, "Exception 2 & 9 where the first check passes", "309070", "02355688", True),
    (
        20,
        "Exception 2 & 9 where the first check fails and second check passes with substitution",
        "309070",
        "12345668",
        True,
    ),
    (21, "Exception 2 & 9 where a<>0 and g<>9 and passes", "309070", "12345677", True),
    (22, "Exception 2 & 9 where a<>0 and g=9 and passes", "309070", "99345694", True),
    (
        23,
        "Exception 5 where the first checkdigit is correct and the second incorrect",
        "938063",
        "15764273",
        False,
    ),
    (
        24,
        "Exception 5 where the first checkdigit is incorrect and the second correct",
        "938063",
        "15764264",
        False,
    ),
    (
        25,
        "Exception 5 where the first checkdigit is incorrect with a remainder of 1",
        "938063",
        "15763217",
        False,
    ),
    (26, "Exception 1 where it fails double alternate check", "118765", "64371388", False),
    (27, "Pass modulus 11 check and fail double alternate check", "203099", "66831036", False),
    (28, "Fail modulus 11 check and pass double alternate check", "203099", "58716970", False),
    (29, "Fail modulus 10 check", "089999", "66374959", False),
    (30, "Fail modulus 11 check", "107999", "88837493", False),
    (
        31,
        "Exception 12/13 where passes modulus 11 check (in this example, modulus 10 check fails, however, there is no need for it to be performed as the first check passed)",
        "074456",
        "12345112",
        True,
    ),
    (
        32,
        "Exception 12/13 where passes the modulus 11 check (in this example, modulus 10 check passes as well, however, there is no need for it to be performed as the first check passed)",
        "070116",
        "34012583",
        True,
    ),
    (
        33,
        "Exception 12/13 where fails the modulus 11 check, but passes the modulus 10 check",
        "074456",
        "11104102",
        True,
    ),
    (
        34,
        "Exception 14 where the first check fails and the second check passes",
        "180002",
        "00000190",
        True,
    ),
]


@pytest.mark.parametrize(
    ("number", "description", "sort_code", "account_number", "valid"),
    SPECIFICATION_CASES,
    ids=[f"case {case[0]}" for case in SPECIFICATION_CASES],
)
def test_the_specifications_test_cases(number, description, sort_code, account_number, valid):
    assert account_passes_modulus_check(sort_code, account_number) is valid, description


def rows(text: str):
    return tuple(parse_weight_table(text))


def without_exceptions(sort_code: str):
    """The bundled rows for ``sort_code`` with their exception numbers taken off."""
    return tuple(
        replace(row, exception=None) for row in weight_table() if row.first <= sort_code <= row.last
    )


def test_one_wrong_digit_fails_the_check():
    # Modulus 10: 42+6+9+49+4+27+35+8 = 180; the last digit one more makes it 181.
    assert account_passes_modulus_check("089999", "66374958")
    assert not account_passes_modulus_check("089999", "66374959")


def test_a_sort_code_without_a_weight_row_cannot_be_checked_and_is_accepted():
    assert not any(row.first <= "000001" <= row.last for row in weight_table())
    assert account_passes_modulus_check("000001", "12345678")


def test_a_pair_that_is_not_six_and_eight_digits_fails():
    assert not account_passes_modulus_check("08999", "66374958")
    assert not account_passes_modulus_check("089999", "6637495x")
    assert not account_passes_modulus_check("", "")


def test_both_rows_for_a_sort_code_must_pass_when_no_exception_says_otherwise():
    table = rows(
        "089000 089999 MOD10 0 0 0 0 0 0 7 1 3 7 1 3 7 1\n"
        "089000 089999 DBLAL 2 1 2 1 2 1 2 1 2 1 2 1 2 1\n"
    )
    # Passes modulus 10 (180) but not double alternate (92).
    assert not account_passes_modulus_check("089999", "66374958", table)


def test_exception_1_adds_27_to_the_double_alternate_total():
    # Digit sums of 00000000000001 x 2121...: 1; with 27, 28: fails. With 3 at h: 3 + 27 = 30.
    table = rows("110000 119999 DBLAL 0 0 2 1 2 1 2 1 2 1 2 1 2 1 1\n")
    assert account_passes_modulus_check("110000", "00000003", table)
    assert not account_passes_modulus_check("118765", "64371389", without_exceptions("118765"))
    assert not account_passes_modulus_check("110000", "00000010", table)


def test_exceptions_2_and_9_accept_a_euro_account_only_by_the_euro_sort_code():
    # Case 20 passes only because the second check uses 309634; with the quoted sort code
    # itself in the second check it would fail.
    assert account_passes_modulus_check("309070", "12345668")
    second_row_with_quoted_code = rows(
        "309001 309633 MOD11 0 0 3 2 9 8 5 7 6 5 4 3 2 1 2\n"
        "309001 309633 MOD11 0 0 3 2 9 8 1 7 6 5 4 3 2 1\n"
    )
    assert not account_passes_modulus_check("309070", "12345668", second_row_with_quoted_code)
    assert not account_passes_modulus_check("309070", "12345667")


def test_exception_3_runs_the_second_check_unless_c_is_6_or_9():
    assert account_passes_modulus_check("820000", "73688637")  # c = 6: not run
    # c = 1, both run: case 10's account with its last digit changed fails.
    assert not account_passes_modulus_check("827101", "28748353")


def test_exception_4_compares_the_remainder_with_gh():
    assert account_passes_modulus_check("134020", "63849203")
    assert not account_passes_modulus_check("134020", "63849203", without_exceptions("134020"))
    assert not account_passes_modulus_check("134020", "63849204")


def test_exception_5_substitutes_the_sort_code_and_checks_g_and_h():
    assert substitution_table()["938600"] == "938611"
    # Case 15 passes with 938611 in place of 938600; without the substitution it fails.
    assert account_passes_modulus_check("938600", "42368003")
    assert not account_passes_modulus_check("938600", "42368003", substitutions={})


def test_exception_6_accepts_a_foreign_currency_account_it_cannot_check():
    # a = 4 and g = h: not checked. The same digits with g <> h are checked and fail.
    assert account_passes_modulus_check("200915", "41011166")
    assert not account_passes_modulus_check("200915", "41011167")


def test_exception_7_zeroes_u_to_b_when_g_is_9():
    assert account_passes_modulus_check("772798", "99345694")
    assert not account_passes_modulus_check("772798", "99345694", without_exceptions("772798"))


def test_exception_8_checks_with_sort_code_090126():
    assert account_passes_modulus_check("086090", "06774744")
    # 086090 and 090126 weigh the same under the bundled row, so a row that tells them apart:
    # 0+9+0+1+2+6 + 4 = 22 is 2 x 11; with 086090 itself, 0+8+6+0+9+0 + 4 = 27 is not.
    row = "086090 086090 MOD11 1 1 1 1 1 1 0 0 0 0 0 0 0 1"
    assert account_passes_modulus_check("086090", "00000004", rows(row + " 8\n"))
    assert not account_passes_modulus_check("086090", "00000004", rows(row + "\n"))
    assert not account_passes_modulus_check("086090", "06774745")


def test_exceptions_10_and_11_pass_if_either_check_passes():
    assert account_passes_modulus_check("871427", "46238510")
    assert account_passes_modulus_check("872427", "46238510")
    assert not account_passes_modulus_check("871427", "46238511")


def test_exceptions_12_and_13_pass_if_either_check_passes():
    assert account_passes_modulus_check("074456", "11104102")
    assert not account_passes_modulus_check("074456", "11104104")


def test_exception_14_checks_again_without_a_last_digit_of_0_1_or_9():
    # The specification's example 1 passes the first check, example 2 only the second.
    assert account_passes_modulus_check("180002", "98093517")
    assert account_passes_modulus_check("180002", "00000190")
    # A last digit other than 0, 1 or 9 is not a Coutts account when the first check fails.
    assert not account_passes_modulus_check("180002", "00000192")


def test_the_bundled_tables_read():
    assert {row.method for row in weight_table()} == {"MOD10", "MOD11", "DBLAL"}
    assert {row.exception for row in weight_table()} - {None} == set(range(1, 15))
    assert len(substitution_table()) >= 20


def test_a_malformed_table_line_is_refused_with_its_number():
    with pytest.raises(ValueError, match="Line 2"):
        parse_weight_table("# comment\n089000 089999 MODXX 1\n")
    with pytest.raises(ValueError, match="Line 1"):
        parse_weight_table("089000 089999 MOD10 0 0 0 0 0 0 7 1 3 7 1 3 7 x\n")
    with pytest.raises(ValueError, match="Line 2"):
        parse_substitutions("938173 938017\n93817 938017\n")


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
