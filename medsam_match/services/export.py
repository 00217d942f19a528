"""Everything the service holds about one volunteer, as one JSON document
(GDPR art. 15 and 20: the right of access and to data portability).

The document is made from the tables themselves, not from a list kept by
hand: the volunteer's own row (every column), and every row of every table
that points at the volunteer (a foreign key to volunteer.id), with every
column, found through the models' metadata; so a column or a table added
later is exported without anyone remembering to. Rows pointing at those
rows that carry more about the person (the reason a coordinator gave when
assigning them by hand) come with the assignment they belong to. The
volunteer's own entry in each stored planning scenario is added too.

Left out, and only these: the hashes of sign-in secrets (`SECRET_COLUMNS`),
which are no information about the person and would help nobody but an
attacker. Nothing about anyone else is included: sessions appear as their
title, time and place, never with the other people in them; messages are
those sent to the volunteer, not the coordinators' messages about them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, select

from ..auth import Principal
from ..extensions import db
from ..models import Activity, MatchRun, Session, Volunteer
from ..models.types import utcnow
from .volunteers import get_volunteer

FORMAT = "medsam-personal-data/1"
#: (table, column) pairs never exported: hashes of secrets.
SECRET_COLUMNS = frozenset({
    ("api_token", "token_hash"),
    ("volunteer_session", "nonce_hash"),
    ("calendar_feed_secret", "secret"),
    ("volunteer_invite", "code_hash"),
})
#: The section each table pointing at the volunteer goes to (others: the table's name).
SECTIONS = {
    "assignment": "assignments",
    "hours_entry": "hours",
    "outbox_message": "messages",
    "api_token": "tokens",
    "volunteer_session": "signins",
    "calendar_feed_secret": "calendar_feed",
    "volunteer_invite": "invites",
}
#: Tables that hang off an assignment and say more about the person.
ASSIGNMENT_DETAILS = ("assignment_override",)


def _json(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _row(table: Table, row: Any) -> dict[str, Any]:
    mapping = row._mapping
    return {column.name: _json(mapping[column])
            for column in table.columns if (table.name, column.name) not in SECRET_COLUMNS}


def tables_about_volunteers() -> list[tuple[Table, Any]]:
    """Every (table, column) whose column is a foreign key to volunteer.id."""
    volunteer_id = Volunteer.__table__.c.id
    found = []
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if any(fk.column is volunteer_id for fk in column.foreign_keys):
                found.append((table, column))
    return found


def _assignment_details(assignment_ids: list[int]) -> dict[int, dict[str, Any]]:
    details: dict[int, dict[str, Any]] = {}
    if not assignment_ids:
        return details
    for name in ASSIGNMENT_DETAILS:
        table = db.metadata.tables[name]
        for row in db.session.execute(
                select(table).where(table.c.assignment_id.in_(assignment_ids))):
            entry = _row(table, row)
            details.setdefault(entry["assignment_id"], {})[name] = entry
    return details


def _sessions(session_ids: set[int]) -> dict[int, dict[str, Any]]:
    if not session_ids:
        return {}
    rows = db.session.scalars(select(Session).where(Session.id.in_(session_ids)))
    return {s.id: {"activity": s.activity.title, "start": _json(s.start), "end": _json(s.end),
                   "place": s.place.name if s.place is not None else None,
                   "status": s.status} for s in rows}


def _planning_snapshots(volunteer: Volunteer) -> list[dict[str, Any]]:
    """The volunteer's own entry in each planning scenario stored with a run
    (what the planner was told about them), by run."""
    key = str(volunteer.id)
    snapshots = []
    for run_id, created_at, scenario in db.session.execute(
        select(MatchRun.id, MatchRun.created_at, MatchRun.scenario)
        .where(MatchRun.centre_id == volunteer.centre_id, MatchRun.scenario.is_not(None))
        .order_by(MatchRun.id)
    ):
        for entry in (scenario or {}).get("volunteers") or []:
            if isinstance(entry, dict) and entry.get("id") == key:
                snapshots.append({"match_run_id": run_id, "created_at": _json(created_at),
                                  "volunteer": entry})
    return snapshots


def export_volunteer(principal: Principal, volunteer_id: int,
                     now: datetime | None = None) -> dict[str, Any]:
    """The volunteer's personal data (404 outside the caller's scope: a
    volunteer only itself; coordinators their centre's volunteers)."""
    volunteer = get_volunteer(principal, volunteer_id)
    table = Volunteer.__table__
    own = db.session.execute(select(table).where(table.c.id == volunteer.id)).one()
    document: dict[str, Any] = {
        "format": FORMAT,
        "exported_at": _json(now or utcnow()),
        "volunteer": _row(table, own),
        "centre": volunteer.centre.name,
    }
    for other, column in tables_about_volunteers():
        section = SECTIONS.get(other.name, other.name)
        order = [other.c[c] for c in ("created_at", "id") if c in other.c]
        rows = [_row(other, r) for r in db.session.execute(
            select(other).where(column == volunteer.id).order_by(*order))]
        document.setdefault(section, []).extend(rows)
    assignments = document.get("assignments", [])
    details = _assignment_details([a["id"] for a in assignments])
    sessions = _sessions({a["session_id"] for a in assignments})
    for entry in assignments:
        entry["session"] = sessions.get(entry["session_id"])
        entry.update(details.get(entry["id"], {}))
    hours = document.get("hours", [])
    activity_ids = {e["activity_id"] for e in hours if e.get("activity_id") is not None}
    titles = dict(db.session.execute(
        select(Activity.id, Activity.title).where(Activity.id.in_(activity_ids))).all()
    ) if activity_ids else {}
    for entry in hours:
        entry["activity"] = titles.get(entry.get("activity_id"))
    document["planning_snapshots"] = _planning_snapshots(volunteer)
    return document


__all__ = ["FORMAT", "SECRET_COLUMNS", "export_volunteer", "tables_about_volunteers"]
