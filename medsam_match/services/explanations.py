"""Unfilled slots explained in the coordinator's own language.

The solver writes each `unfilled` entry's `reason` in English, beside a `why`
(a code and its params, see `solver.reasons`). A run keeps its entries with
`reason` in the municipality's locale (`nb`, `nn`, `da`, `en`) and the
English sentence as `reason_en`, so a coordinator reads the reason in their
own language and a bug report can still quote the solver's words.

The solver knows languages only as ISO 639-1 codes ("Nobody speaks ar");
the localized `reason` names them in its own language ("Ingen snakker
arabisk", "Nobody speaks Arabic"), from Babel's locale data.
"""

from __future__ import annotations

import logging
from typing import Any

from solver.reasons import render_reason, supported_locale

from .languages import language_name

log = logging.getLogger(__name__)


def localize_unfilled(unfilled: list[dict[str, Any]], locale: str) -> list[dict[str, Any]]:
    """Copies of the entries with `reason` in `locale` and `reason_en` in
    English. The entries given are not changed; localizing an already
    localized list again (say in another locale) starts from `reason_en`.
    An entry without a `why` it can phrase (a result from before `why`
    existed, or a damaged one) keeps its English reason."""
    return [_localize(entry, locale) if isinstance(entry, dict) else entry for entry in unfilled]


def _localize(entry: dict[str, Any], locale: str) -> dict[str, Any]:
    english = entry.get("reason_en", entry.get("reason"))
    reason = english
    why = entry.get("why")
    if why is not None:
        try:
            reason = render_reason(_with_language_names(why, locale), locale)
            english = english if english is not None else render_reason(why, "en")
        except ValueError as error:
            log.warning("unfilled slot %s/%s: its why cannot be phrased (%s); kept in English",
                        entry.get("session"), entry.get("role"), error)
    localized = dict(entry)
    if reason is not None:
        localized["reason"] = reason
        localized["reason_en"] = english
    return localized


def _with_language_names(why: Any, locale: str) -> Any:
    """`why` with the codes in `params.languages` replaced by their names in `locale`."""
    if not isinstance(why, dict) or not isinstance(why.get("params"), dict):
        return why
    codes = why["params"].get("languages")
    if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
        return why
    names = [language_name(code, supported_locale(locale)) for code in codes]
    return {**why, "params": {**why["params"], "languages": names}}
