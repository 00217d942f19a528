"""services.tokens: issuing, listing and revoking tokens, without HTTP."""

from __future__ import annotations

import pytest

from medsam_match.domain_errors import Invalid, NotFound
from medsam_match.services import tokens

from .conftest import race


def test_issue_list_and_revoke(app, world):
    with app.app_context():
        plain = tokens.issue_token("coordinator", centre_id=world.no.centre_id, label="Kari")
        assert plain.startswith("msm_")
        listed = {t.label: t for t in tokens.list_tokens()}
        kari = listed["Kari"]
        assert (kari.role, kari.scope, kari.revoked_at) == (
            "coordinator", f"centre {world.no.centre_id}", None)
        assert tokens.revoke_token(kari.id) is True
        assert tokens.revoke_token(kari.id) is False
        assert "Kari" not in {t.label for t in tokens.list_tokens()}
        assert "Kari" in {t.label for t in tokens.list_tokens(include_revoked=True)}
        with pytest.raises(NotFound):
            tokens.revoke_token(10**6)
        with pytest.raises(Invalid) as wrong:
            tokens.issue_token("coordinator")
        assert wrong.value.errors == {"centre_id": ["coordinator tokens need centre_id"]}


def test_two_revocations_at_once_one_revokes(app, world):
    for _ in range(10):
        with app.app_context():
            tokens.issue_token("admin", label="twice")
            token_id = max(t.id for t in tokens.list_tokens())
        outcomes = race(app, [lambda t=token_id: tokens.revoke_token(t)] * 2)
        assert sorted(o.value for o in outcomes) == [False, True]
