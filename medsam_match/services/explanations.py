"""Unfilled slots explained in the coordinator's own language.

The solver writes each `unfilled` entry's `reason` in English, beside a `why`
(a code and its params, see `solver.reasons`). A run keeps its entries with
`reason` in the municipality's locale (`nb`, `nn`, `da`, `en`) and the
English sentence as `reason_en`, so a coordinator reads the reason in their
own language and a bug report can still quote the solver's words.
"""

from __future__ import annotations

import logging
from typing import Any

from solver.reasons import render_reason

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
            reason = render_reason(why, locale)
            english = english if english is not None else render_reason(why, "en")
        except ValueError as error:
            log.warning("unfilled slot %s/%s: its why cannot be phrased (%s); kept in English",
                        entry.get("session"), entry.get("role"), error)
    localized = dict(entry)
    if reason is not None:
        localized["reason"] = reason
        localized["reason_en"] = english
    return localized
