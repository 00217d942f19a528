"""The messages' texts (the `mail` gettext domain) exist in nb, nn and da
for every text of the template, with the same %(fields)s as the English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parents[2] / "medsam_match" / "translations"
FIELDS = re.compile(r"%\((\w+)\)s")


def _catalog(path: Path):  # type: ignore[no-untyped-def]
    with path.open("rb") as handle:
        return read_po(handle)


@pytest.mark.parametrize("language", ["nb", "nn", "da"])
def test_every_message_text_is_translated_with_the_same_fields(language: str) -> None:
    template = _catalog(TRANSLATIONS / "mail.pot")
    catalog = _catalog(TRANSLATIONS / language / "LC_MESSAGES" / "mail.po")
    for message in template:
        if not message.id:
            continue
        translated = catalog.get(message.id)
        assert translated is not None and translated.string, f"{language}: {message.id!r}"
        assert sorted(FIELDS.findall(translated.string)) == sorted(FIELDS.findall(message.id)), \
            f"{language}: {message.id!r}"
