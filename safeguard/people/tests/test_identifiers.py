"""Validation and normalisation of NHS numbers, UPNs and local references."""

import random

import pytest
from django.core.exceptions import ValidationError
from stdnum.gb import nhs as stdnum_nhs

from safeguard.people.identifiers import (
    UPN_LETTERS,
    clean_la_child_id,
    clean_nhs_number,
    clean_police_reference,
    clean_upn,
    nhs_number_with_check_digit,
    upn_with_check_letter,
)

NHS_FORMAT = "Enter the NHS number as 10 digits, like 943 476 5919"
NHS_CHECKSUM = "This NHS number's check digit does not match: check it has been copied correctly"
NHS_IMPOSSIBLE = "This is not a valid NHS number: no check digit can make it valid"
UPN_LETTERS_MESSAGE = "UPNs never use the letters I, O or S: check whether 1, 0 or 5 was meant"


def raises(func, raw):
    """Call ``func(raw)``, expecting a ValidationError, and return (message, code)."""
    with pytest.raises(ValidationError) as caught:
        func(raw)
    error = caught.value
    assert error.messages == [error.message]
    return error.message, error.code


def reference_upn_letter(body12: str) -> str:
    """Check letter by the DfE rule: sum of position x value for positions 2-13, mod 23."""
    total = 0
    for position, character in enumerate(body12, start=2):
        value = int(character) if character.isdigit() else UPN_LETTERS.index(character)
        total += position * value
    return UPN_LETTERS[total % 23]


class TestCleanNhsNumber:
    @pytest.mark.parametrize(
        "raw",
        [
            "9434765919",
            "943 476 5919",
            "943-476-5919",
            "  943 476 5919  ",
            "943  476  5919",
            "943 - 476 - 5919",
            "943\u00a0476\u00a05919",
            "943\u2013476\u20135919",
        ],
    )
    def test_accepts_separators_and_returns_ten_digits(self, raw):
        """Spaces and hyphens between digit groups are removed."""
        assert clean_nhs_number(raw) == "9434765919"

    @pytest.mark.parametrize("raw", ["4010232137", "1111111111", "4857773457", "0000000000"])
    def test_other_valid_numbers(self, raw):
        """Numbers whose Modulus 11 check digit matches are accepted."""
        assert clean_nhs_number(raw) == raw

    def test_wrong_check_digit(self):
        """9434765918 has check digit 8 where the rule gives 9."""
        assert raises(clean_nhs_number, "9434765918") == (NHS_CHECKSUM, "nhs_number_checksum")
        assert raises(clean_nhs_number, "943 476 5910") == (NHS_CHECKSUM, "nhs_number_checksum")

    @pytest.mark.parametrize("last", list("0123456789"))
    def test_no_check_digit_possible(self, last):
        """999 000 000x: the first nine digits sum to 243, remainder 1, so 11 - 1 = 10."""
        assert raises(clean_nhs_number, f"999000000{last}") == (
            NHS_IMPOSSIBLE,
            "nhs_number_invalid",
        )

    @pytest.mark.parametrize(
        ("raw", "detail"),
        [
            ("943476591", "9 digits"),
            ("94347659190", "11 digits"),
            ("943 476 591", "9 digits"),
            ("1", "1 digit"),
        ],
    )
    def test_wrong_length(self, raw, detail):
        """The message gives the number of digits entered."""
        assert raises(clean_nhs_number, raw) == (
            f"{NHS_FORMAT}: this has {detail}",
            "nhs_number_length",
        )

    @pytest.mark.parametrize(
        "raw",
        ["943476591A", "NHS9434765919", "943.476.5919", "943/476/5919", "\u0669434765919"],
    )
    def test_letters_and_symbols(self, raw):
        """Anything but digits, spaces and hyphens is a format error."""
        assert raises(clean_nhs_number, raw) == (
            f"{NHS_FORMAT}: it can only contain digits, with spaces or hyphens between them",
            "nhs_number_format",
        )

    @pytest.mark.parametrize("raw", ["", "   ", " - "])
    def test_empty(self, raw):
        """An empty entry asks for the number."""
        assert raises(clean_nhs_number, raw) == (NHS_FORMAT, "required")

    def test_agrees_with_stdnum_and_the_data_dictionary_rule(self):
        """Random ten-digit strings: accepted exactly when the Modulus 11 rule passes."""
        rng = random.Random(11)
        accepted = 0
        for _ in range(3000):
            number = "".join(rng.choice("0123456789") for _ in range(10))
            total = sum(int(d) * w for d, w in zip(number[:9], range(10, 1, -1), strict=True))
            check = 11 - total % 11
            rule_passes = check != 10 and check % 11 == int(number[9])
            try:
                clean_nhs_number(number)
            except ValidationError as error:
                assert not rule_passes
                assert error.code == (
                    "nhs_number_invalid" if check == 10 else "nhs_number_checksum"
                )
            else:
                accepted += 1
                assert rule_passes
            assert stdnum_nhs.is_valid(number) is rule_passes
        # About one in eleven random numbers is valid.
        assert 200 < accepted < 350


class TestNhsNumberWithCheckDigit:
    @pytest.mark.parametrize(
        ("first9", "expected"),
        [
            ("943476591", "9434765919"),
            ("401023213", "4010232137"),
            ("000000000", "0000000000"),
            ("111111111", "1111111111"),
        ],
    )
    def test_appends_check_digit(self, first9, expected):
        """The tenth digit is 11 minus the weighted sum mod 11, with 11 meaning 0."""
        assert nhs_number_with_check_digit(first9) == expected

    @pytest.mark.parametrize("first9", ["999000000", "123456789"])
    def test_none_when_no_check_digit_exists(self, first9):
        """When 11 - remainder is 10 there is no valid number."""
        assert nhs_number_with_check_digit(first9) is None

    @pytest.mark.parametrize("first9", ["94347659", "9434765919", "94347659A", ""])
    def test_rejects_anything_but_nine_digits(self, first9):
        """The helper is for generated data, so bad input is a programming error."""
        with pytest.raises(ValueError, match="expected 9 digits"):
            nhs_number_with_check_digit(first9)

    def test_generated_numbers_validate(self):
        """Every generated number passes clean_nhs_number; about 1 in 11 prefixes fail."""
        rng = random.Random(2025)
        generated = none = 0
        for _ in range(2000):
            first9 = f"{rng.randrange(10**9):09d}"
            number = nhs_number_with_check_digit(first9)
            if number is None:
                none += 1
                assert raises(clean_nhs_number, first9 + "0")[1] == "nhs_number_invalid"
                continue
            generated += 1
            assert number[:9] == first9
            assert clean_nhs_number(number) == number
        assert generated + none == 2000
        assert 120 < none < 250


class TestCleanUpn:
    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("B801200005001", "B801200005001"),
            ("P207000016049", "P207000016049"),
            ("b801200005001", "B801200005001"),
            (" B801 2000 05001 ", "B801200005001"),
            ("p 207 0000 16 049", "P207000016049"),
            ("N940123456789", "N940123456789"),
            ("K839250001001", "K839250001001"),
        ],
    )
    def test_valid_upns_are_normalised(self, raw, expected):
        """Spaces are removed and letters upper-cased."""
        assert clean_upn(raw) == expected

    @pytest.mark.parametrize(
        ("raw", "expected"),
        [("A80120000501A", "A80120000501A"), ("y93112345601z", "Y93112345601Z")],
    )
    def test_temporary_upn_ending_in_a_letter(self, raw, expected):
        """A temporary UPN ends in a letter, which counts by its place in the table."""
        assert clean_upn(raw) == expected

    def test_wrong_check_letter_names_the_expected_letter(self):
        """A801200005001 should start with B."""
        assert raises(clean_upn, "A801200005001") == (
            "The UPN's check letter should be B, not A: check it has been copied correctly",
            "upn_checksum",
        )

    def test_pupilasset_example_is_p_not_q(self):
        """Q207000016049 is rejected: the rule gives P."""
        assert raises(clean_upn, "Q207000016049") == (
            "The UPN's check letter should be P, not Q: check it has been copied correctly",
            "upn_checksum",
        )

    def test_temporary_upn_with_wrong_letter(self):
        """The final letter of a temporary UPN takes part in the check."""
        assert raises(clean_upn, "A80120000501B")[1] == "upn_checksum"

    @pytest.mark.parametrize(
        "raw",
        ["I801200005001", "B8O1200005001", "S801200005001", "B80120000500I", "b80120000500o"],
    )
    def test_letters_i_o_s(self, raw):
        """I, O and S never appear in a UPN."""
        assert raises(clean_upn, raw) == (UPN_LETTERS_MESSAGE, "upn_letters")

    @pytest.mark.parametrize(
        ("raw", "message"),
        [
            ("B80120000500", "A UPN has 13 characters, like B801200005001: this has 12 characters"),
            (
                "B8012000050012",
                "A UPN has 13 characters, like B801200005001: this has 14 characters",
            ),
            ("B", "A UPN has 13 characters, like B801200005001: this has 1 character"),
        ],
    )
    def test_wrong_length(self, raw, message):
        """The message gives the number of characters entered."""
        assert raises(clean_upn, raw) == (message, "upn_length")

    @pytest.mark.parametrize(
        ("raw", "message"),
        [
            ("1801200005001", "A UPN starts with its check letter, like the B in B801200005001"),
            ("#801200005001", "A UPN starts with its check letter, like the B in B801200005001"),
            ("B8012000A5001", "Characters 2 to 12 of a UPN are all digits"),
            ("B80120000-001", "Characters 2 to 12 of a UPN are all digits"),
            ("B80120000500#", "A UPN ends with a digit, or with a letter if it is a temporary UPN"),
        ],
    )
    def test_bad_format(self, raw, message):
        """Each part of the layout has its own message."""
        assert raises(clean_upn, raw) == (message, "upn_format")

    @pytest.mark.parametrize("raw", ["", "   "])
    def test_empty(self, raw):
        """An empty entry asks for the UPN."""
        assert raises(clean_upn, raw) == (
            "Enter the UPN: 13 characters, like B801200005001",
            "required",
        )


class TestUpnWithCheckLetter:
    @pytest.mark.parametrize(
        ("body12", "expected"),
        [
            ("801200005001", "B801200005001"),
            ("207000016049", "P207000016049"),
            ("80120000501A", "A80120000501A"),
            ("380202400123", "Z380202400123"),
        ],
    )
    def test_prefixes_the_check_letter(self, body12, expected):
        """The check letter is the weighted sum of positions 2-13, mod 23, from the table."""
        assert upn_with_check_letter(body12) == expected

    @pytest.mark.parametrize(
        "body12",
        ["80120000500", "8012000050011", "8012000A5001", "80120000500I", "80120000500a"],
    )
    def test_rejects_a_malformed_body(self, body12):
        """Bad input to the generator is a programming error."""
        with pytest.raises(ValueError, match="expected 11 digits"):
            upn_with_check_letter(body12)

    def test_generated_upns_validate(self):
        """Generated UPNs, permanent and temporary, pass clean_upn and the DfE rule."""
        rng = random.Random(23)
        letters_seen = set()
        for index in range(1500):
            last = rng.choice(UPN_LETTERS) if index % 3 == 0 else str(rng.randrange(10))
            body12 = f"{rng.randrange(10**11):011d}{last}"
            upn = upn_with_check_letter(body12)
            letters_seen.add(upn[0])
            assert upn[1:] == body12
            assert upn[0] == reference_upn_letter(body12)
            assert clean_upn(upn) == upn
            assert clean_upn(upn.lower()) == upn
        assert letters_seen == set(UPN_LETTERS)


class TestCleanLaChildId:
    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("CHILD001", "CHILD001"),
            ("  abc123  ", "abc123"),
            ("7", "7"),
            ("A" * 20, "A" * 20),
        ],
    )
    def test_valid_ids(self, raw, expected):
        """Letters and digits, 1 to 20 of them, with surrounding spaces removed."""
        assert clean_la_child_id(raw) == expected

    def test_too_long(self):
        """21 characters is one too many."""
        assert raises(clean_la_child_id, "A" * 21) == (
            "A local child ID can be at most 20 characters: this has 21",
            "la_child_id_length",
        )

    @pytest.mark.parametrize(
        ("raw", "what"),
        [
            ("AB 123", "a space"),
            ("AB-123", '"-"'),
            ("AB/123", '"/"'),
            ("AB\t123", "a tab"),
            ("AB\u00e9123", '"\u00e9"'),
            ("AB\x00123", "the character U+0000"),
            ("AB\u202e123", "the character U+202E"),
        ],
    )
    def test_only_letters_and_digits(self, raw, what):
        """The message names the first character that is not allowed."""
        assert raises(clean_la_child_id, raw) == (
            f"A local child ID can contain only letters and digits: this contains {what}",
            "la_child_id_format",
        )

    @pytest.mark.parametrize("raw", ["", "   "])
    def test_empty(self, raw):
        """An empty entry asks for the id."""
        assert raises(clean_la_child_id, raw) == ("Enter the local child ID", "required")


class TestCleanPoliceReference:
    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("  CRIME/12345/25 ", "CRIME/12345/25"),
            ("01-123456-2025", "01-123456-2025"),
            ("MPS 2025 0042", "MPS 2025 0042"),
            ("x", "x"),
            ("A" * 40, "A" * 40),
        ],
    )
    def test_valid_references(self, raw, expected):
        """Letters, digits, spaces, slashes and hyphens, trimmed, up to 40 characters."""
        assert clean_police_reference(raw) == expected

    def test_too_long(self):
        """41 characters is one too many."""
        assert raises(clean_police_reference, "A" * 41) == (
            "A police reference can be at most 40 characters: this has 41",
            "police_reference_length",
        )

    @pytest.mark.parametrize(
        ("raw", "what"),
        [
            ("CRIME#123", '"#"'),
            ("' OR 1=1--", '"\'"'),
            ("<script>", '"<"'),
            ("REF\n123", "a line break"),
            ("REF\u00a0123", "an unusual space character"),
        ],
    )
    def test_other_characters(self, raw, what):
        """The message names the first character that is not allowed."""
        assert raises(clean_police_reference, raw) == (
            'A police reference can contain only letters, digits, spaces, "/" and "-": '
            f"this contains {what}",
            "police_reference_format",
        )

    @pytest.mark.parametrize("raw", ["", "  \t "])
    def test_empty(self, raw):
        """An empty entry asks for the reference."""
        assert raises(clean_police_reference, raw) == ("Enter the police reference", "required")
