"""SQLite connections enforce foreign keys and use the write-ahead log."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from medsam_match.extensions import db
from medsam_match.models import Centre


def test_foreign_keys_are_enforced_on_every_backend(app):
    with app.app_context():
        db.session.add(Centre(municipality_id=424242, name="Nowhere"))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_sqlite_uses_wal(tmp_path):
    from medsam_match import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'wal.db'}",
                      "MEDSAM_SCHEDULER": "off"}, check_schema=False)
    with app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        db.session.remove()
        db.engine.dispose()
