"""Validation and normalisation of a person's identifiers.

Each ``clean_*`` function returns the normalised identifier or raises
``django.core.exceptions.ValidationError`` with a plain-English message that
says what is wrong, and a ``code`` that forms and tests can match on.

Check digits follow security.md section 5:

- NHS number: the NHS Data Dictionary Modulus 11 rule. ``stdnum.gb.nhs``
  decides validity; the check digit is also computed here, because stdnum
  reports "no check digit is possible" (11 - remainder = 10) and "wrong check
  digit" as the same error, and users need to be told which.
- UPN: the DfE check letter, from ``stdnum.gb.upn.calc_check_digit``.
  ``stdnum.gb.upn.validate`` is not used: it also rejects any local authority
  number missing from its 2011 list, which would turn away genuine UPNs
  issued by authorities created since then.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from stdnum.gb import nhs as stdnum_nhs
from stdnum.gb import upn as stdnum_upn

__all__ = [
    "UPN_LETTERS",
    "clean_la_child_id",
    "clean_nhs_number",
    "clean_police_reference",
    "clean_upn",
    "nhs_number_with_check_digit",
    "upn_with_check_letter",
]

DIGITS = frozenset("0123456789")
# DfE UPN guide, Annex A: the check letter table; I, O and S are never used.
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
_UPN_LETTER_SET = frozenset(UPN_LETTERS)
_ASCII_LETTERS_AND_DIGITS = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
)
_POLICE_REFERENCE_CHARACTERS = _ASCII_LETTERS_AND_DIGITS | frozenset(" /-")

# Spaces and hyphens people type or paste between the digit groups, including
# the dashes word processors substitute for a hyphen.
_NHS_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015]+")

NHS_NUMBER_EXAMPLE = "943 476 5919"
UPN_EXAMPLE = "B801200005001"
LA_CHILD_ID_MAX_LENGTH = 20
POLICE_REFERENCE_MAX_LENGTH = 40

_NHS_FORMAT = f"Enter the NHS number as 10 digits, like {NHS_NUMBER_EXAMPLE}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


_CHARACTER_NAMES = {" ": "a space", "\t": "a tab", "\n": "a line break", "\r": "a line break"}


def _describe_character(character: str) -> str:
    """Name a character for a message: a space, "#", the character U+202E."""
    if character in _CHARACTER_NAMES:
        return _CHARACTER_NAMES[character]
    if character.isspace():
        return "an unusual space character"
    if not character.isprintable():
        return f"the character U+{ord(character):04X}"
    return f'"{character}"'


# NHS number --------------------------------------------------------------


def _nhs_check_digit(first9: str) -> int | None:
    """The Modulus 11 check digit for nine digits, or None when none exists.

    NHS Data Dictionary, "NHS NUMBER": weight digits 1-9 by 10 down to 2, sum,
    take the remainder mod 11; the check digit is 11 - remainder, where 11
    means 0 and 10 means no valid number has these first nine digits.
    """
    total = sum(int(digit) * weight for digit, weight in zip(first9, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def clean_nhs_number(raw: str) -> str:
    """Return the NHS number as 10 digits, or raise ValidationError.

    Spaces and hyphens between the digits are accepted and removed
    ("943 476 5919", "943-476-5919"). Codes: ``required``,
    ``nhs_number_format`` (characters other than digits),
    ``nhs_number_length``, ``nhs_number_invalid`` (no check digit can make
    the first nine digits valid) and ``nhs_number_checksum``.
    """
    value = _NHS_SEPARATORS.sub("", raw or "")
    if not value:
        raise ValidationError(_NHS_FORMAT, code="required")
    if not set(value) <= DIGITS:
        raise ValidationError(
            f"{_NHS_FORMAT}: it can only contain digits, with spaces or hyphens between them",
            code="nhs_number_format",
        )
    if len(value) != 10:
        raise ValidationError(
            f"{_NHS_FORMAT}: this has {_plural(len(value), 'digit')}",
            code="nhs_number_length",
        )
    if _nhs_check_digit(value[:9]) is None:
        raise ValidationError(
            "This is not a valid NHS number: no check digit can make it valid",
            code="nhs_number_invalid",
        )
    if not stdnum_nhs.is_valid(value):
        raise ValidationError(
            "This NHS number's check digit does not match: check it has been copied correctly",
            code="nhs_number_checksum",
        )
    return value


def nhs_number_with_check_digit(first9: str) -> str | None:
    """Complete nine digits into a valid NHS number, or None if none exists.

    Raises ValueError unless ``first9`` is exactly nine digits. For synthetic
    demo data only: a valid checksum does not mean the number was issued.
    """
    if len(first9) != 9 or not set(first9) <= DIGITS:
        raise ValueError(f"expected 9 digits, got {first9!r}")
    check = _nhs_check_digit(first9)
    if check is None:
        return None
    return f"{first9}{check}"


# Unique Pupil Number -----------------------------------------------------


def clean_upn(raw: str) -> str:
    """Return the UPN upper-cased with spaces removed, or raise ValidationError.

    A UPN is 13 characters: a check letter from ``UPN_LETTERS``, 11 digits,
    then a digit, or a letter from the same table in a temporary UPN. Codes:
    ``required``, ``upn_length``, ``upn_letters`` (I, O or S used),
    ``upn_format`` and ``upn_checksum``.
    """
    value = "".join((raw or "").split()).upper()
    if not value:
        raise ValidationError(f"Enter the UPN: 13 characters, like {UPN_EXAMPLE}", code="required")
    if len(value) != 13:
        raise ValidationError(
            f"A UPN has 13 characters, like {UPN_EXAMPLE}: "
            f"this has {_plural(len(value), 'character')}",
            code="upn_length",
        )
    if set(value) & {"I", "O", "S"}:
        raise ValidationError(
            "UPNs never use the letters I, O or S: check whether 1, 0 or 5 was meant",
            code="upn_letters",
        )
    if value[0] not in _UPN_LETTER_SET:
        raise ValidationError(
            f"A UPN starts with its check letter, like the B in {UPN_EXAMPLE}",
            code="upn_format",
        )
    if not set(value[1:12]) <= DIGITS:
        raise ValidationError("Characters 2 to 12 of a UPN are all digits", code="upn_format")
    if value[12] not in DIGITS and value[12] not in _UPN_LETTER_SET:
        raise ValidationError(
            "A UPN ends with a digit, or with a letter if it is a temporary UPN",
            code="upn_format",
        )
    expected = stdnum_upn.calc_check_digit(value[1:])
    if value[0] != expected:
        raise ValidationError(
            f"The UPN's check letter should be {expected}, not {value[0]}: "
            "check it has been copied correctly",
            code="upn_checksum",
        )
    return value


def upn_with_check_letter(body12: str) -> str:
    """Prefix the 12 characters after a UPN's check letter with that letter.

    ``body12`` is 11 digits then a digit or (temporary UPN) a letter from
    ``UPN_LETTERS``; anything else raises ValueError. For synthetic demo data.
    """
    if (
        len(body12) != 12
        or not set(body12[:11]) <= DIGITS
        or (body12[11] not in DIGITS and body12[11] not in _UPN_LETTER_SET)
    ):
        raise ValueError(f"expected 11 digits then a digit or UPN letter, got {body12!r}")
    return stdnum_upn.calc_check_digit(body12) + body12


# Local and police references ---------------------------------------------


def clean_la_child_id(raw: str) -> str:
    """Return the local authority's child id with surrounding spaces removed.

    CIN census LAchildID: 1 to 20 characters, letters and digits only. Case
    is kept. Codes: ``required``, ``la_child_id_length``,
    ``la_child_id_format``.
    """
    value = (raw or "").strip()
    if not value:
        raise ValidationError("Enter the local child ID", code="required")
    if len(value) > LA_CHILD_ID_MAX_LENGTH:
        raise ValidationError(
            f"A local child ID can be at most {LA_CHILD_ID_MAX_LENGTH} characters: "
            f"this has {len(value)}",
            code="la_child_id_length",
        )
    for character in value:
        if character not in _ASCII_LETTERS_AND_DIGITS:
            raise ValidationError(
                "A local child ID can contain only letters and digits: "
                f"this contains {_describe_character(character)}",
                code="la_child_id_format",
            )
    return value


def clean_police_reference(raw: str) -> str:
    """Return the police reference with surrounding spaces removed.

    1 to 40 characters of letters, digits, spaces, "/" and "-". Codes:
    ``required``, ``police_reference_length``, ``police_reference_format``.
    """
    value = (raw or "").strip()
    if not value:
        raise ValidationError("Enter the police reference", code="required")
    if len(value) > POLICE_REFERENCE_MAX_LENGTH:
        raise ValidationError(
            f"A police reference can be at most {POLICE_REFERENCE_MAX_LENGTH} characters: "
            f"this has {len(value)}",
            code="police_reference_length",
        )
    for character in value:
        if character not in _POLICE_REFERENCE_CHARACTERS:
            raise ValidationError(
                'A police reference can contain only letters, digits, spaces, "/" and "-": '
                f"this contains {_describe_character(character)}",
                code="police_reference_format",
            )
    return value
