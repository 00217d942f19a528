"""Phone numbers: checked and stored in E.164 (+4791234567) with the
`phonenumbers` library; a number without a country code is read in the
municipality's country."""

from __future__ import annotations

import phonenumbers


class BadPhone(ValueError):
    """Not a phone number that can receive SMS; the message says why."""


def to_e164(text: str, region: str | None) -> str:
    """'912 34 567' (region NO) -> '+4791234567'. Raises BadPhone."""
    text = (text or "").strip()
    if not text:
        raise BadPhone("must not be empty")
    try:
        number = phonenumbers.parse(text, (region or "").upper() or None)
    except phonenumbers.NumberParseException:
        raise BadPhone("is not a phone number (give it as +47 912 34 567)") from None
    if not phonenumbers.is_valid_number(number):
        raise BadPhone("is not a valid phone number (give it as +47 912 34 567)")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
