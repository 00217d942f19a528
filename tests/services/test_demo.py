"""The demo network (`medsam-match demo`): deterministic, believable, and
staffable on paper: sessions at places that can hold them, roles that people
of the same centre could fill."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.cli import ScriptInfo
from sqlalchemy import delete, func, select

import solver
from medsam_match.cli import main
from medsam_match.demo import DatabaseNotEmpty, load_demo
from medsam_match.demo.generate import generate
from medsam_match.extensions import db
from medsam_match.models import Activity, ApiToken, Centre, Municipality, Place, Session, Volunteer
from medsam_match.services.planning_scenario import build_scenario
from solver.geo import haversine_km

# A Monday two weeks before summer time starts (2027-03-28): the four weeks
# after it cross the change.
TODAY = date(2027, 3, 15)

# Town centres, looked up independently of the demo's own facts.
TOWNS = {
    "Arendal": (58.46, 8.77),
    "Steinkjer": (64.01, 11.50),
    "Levanger": (63.75, 11.30),
    "Oslo": (59.91, 10.75),
    "Voss": (60.63, 6.42),
    "Aarhus": (56.16, 10.21),
    "Sønderborg": (54.91, 9.79),
}
KNOWN_SKILLS = {"driving_licence", "first_aid", "it_help", "cooking", "music", "teaching", "facilitation"}
KNOWN_FEATURES = {"wheelchair", "kitchen", "projector"}
SECOND_LANGUAGES = ("ar", "ti", "uk", "so", "pl")


def _empty_database() -> None:
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(delete(table))
    db.session.commit()


def _count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def _all(model: type) -> list[Any]:
    return list(db.session.scalars(select(model).order_by(model.id)))


def _digest() -> str:
    """A hash of every demo row, with ids replaced by natural keys (ids differ
    between databases: PostgreSQL sequences are not reset by deleting rows)."""
    municipality = {m.id: m.name for m in _all(Municipality)}
    centre = {c.id: c.name for c in _all(Centre)}
    place = {p.id: (municipality[p.municipality_id], p.name) for p in _all(Place)}
    activity = {a.id: (centre[a.centre_id], a.title) for a in _all(Activity)}
    rows: dict[str, list[Any]] = {
        "municipalities": [(m.name, m.country, m.timezone, m.locale) for m in _all(Municipality)],
        "centres": [(municipality[c.municipality_id], c.name, c.email) for c in _all(Centre)],
        "places": [
            (place[p.id], p.address, p.lat, p.lon, p.capacity, p.parallel, p.features, p.busy)
            for p in _all(Place)
        ],
        "activities": [
            (activity[a.id], a.description, a.interests, a.needs, a.participants, a.roles)
            for a in _all(Activity)
        ],
        "volunteers": [
            (centre[v.centre_id], v.name, v.email, v.phone, v.lat, v.lon, v.max_travel_km, v.skills,
             v.languages, v.interests, v.certificates, v.max_hours_per_week,
             v.max_sessions_per_week, sorted(activity[a] for a in v.preferred_activity_ids),
             v.weekly_availability, v.unavailable, v.active)
            for v in _all(Volunteer)
        ],
        "sessions": [
            (activity[s.activity_id], s.start, s.end, place.get(s.place_id), s.optional, s.status,
             s.window_start, s.window_end,
             [{**o, "place_id": place[o["place_id"]]} for o in s.options or []])
            for s in _all(Session)
        ],
    }
    text = json.dumps(
        {name: sorted(json.dumps(r, sort_keys=True, default=str) for r in table)
         for name, table in rows.items()},
        sort_keys=True,
    )
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.fixture
def demo(app: Flask) -> Any:
    """The demo network loaded for TODAY, inside an application context."""
    with app.app_context():
        summary = load_demo(seed=2026, today=TODAY)
        yield summary


# ---- determinism -----------------------------------------------------------


def test_the_same_seed_gives_the_same_rows_and_another_seed_others(app: Flask) -> None:
    with app.app_context():
        load_demo(seed=2026, today=TODAY)
        first = _digest()
        _empty_database()
        load_demo(seed=2026, today=TODAY)
        assert _digest() == first
        _empty_database()
        load_demo(seed=2027, today=TODAY)
        assert _digest() != first


def _network_hash(seed: int, today: date) -> str:
    return hashlib.sha256(repr(generate(seed, today)).encode()).hexdigest()


def test_another_process_with_another_hash_seed_draws_the_same_network() -> None:
    # String hashing differs between processes: iterating over a set of
    # strings anywhere in the generator would show up here.
    code = (
        "import hashlib; from datetime import date; "
        "from medsam_match.demo.generate import generate; "
        f"network = generate(2026, date({TODAY.year}, {TODAY.month}, {TODAY.day})); "
        "print(hashlib.sha256(repr(network).encode()).hexdigest())"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True,
        cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))),
    )
    assert out.stdout.strip() == _network_hash(2026, TODAY)


# ---- what is in it ---------------------------------------------------------


def test_seven_municipalities_in_two_countries_with_their_zone_and_language(demo: Any) -> None:
    municipalities = {m.name: m for m in _all(Municipality)}
    assert sorted(municipalities) == sorted(TOWNS)
    assert Counter(m.country for m in municipalities.values()) == {"NO": 5, "DK": 2}
    for name in ("Aarhus", "Sønderborg"):
        assert (municipalities[name].timezone, municipalities[name].locale) == ("Europe/Copenhagen", "da")
    for name in ("Arendal", "Steinkjer", "Levanger", "Oslo"):
        assert (municipalities[name].timezone, municipalities[name].locale) == ("Europe/Oslo", "nb")
    assert (municipalities["Voss"].timezone, municipalities["Voss"].locale) == ("Europe/Oslo", "nn")
    assert (demo.municipalities, demo.centres, demo.volunteers) == (7, _count(Centre), _count(Volunteer))
    assert (demo.places, demo.activities, demo.sessions) == (_count(Place), _count(Activity), _count(Session))


def test_one_to_three_centres_each_named_in_the_local_language(demo: Any) -> None:
    centres: dict[str, list[str]] = defaultdict(list)
    for centre in _all(Centre):
        centres[db.session.get(Municipality, centre.municipality_id).name].append(centre.name)
    assert all(1 <= len(names) <= 3 for names in centres.values())
    assert "Arendal frivilligsentral" in centres["Arendal"]
    assert "Frivilligcenter Aarhus" in centres["Aarhus"]
    assert any(name.startswith("Frivilligsentralen i") for name in centres["Oslo"])
    for town in ("Aarhus", "Sønderborg"):
        assert all(name.startswith("Frivilligcenter") for name in centres[town])
    for town in ("Arendal", "Steinkjer", "Levanger", "Oslo", "Voss"):
        assert all("frivilligsentral" in name.lower() for name in centres[town])


def test_danish_centres_run_danish_activities_and_norwegian_ones_norwegian(demo: Any) -> None:
    titles: dict[str, set[str]] = defaultdict(set)
    role_names: dict[str, set[str]] = defaultdict(set)
    for activity in _all(Activity):
        locale = activity.centre.municipality.locale
        titles[locale].add(activity.title)
        role_names[locale].update(role["role"] for role in activity.roles)
    assert {"Sprogcafé", "Lektiehjælp", "Gågruppe"} <= titles["da"]
    assert {"Språkkafé", "Leksehjelp", "Digital hjelp for seniorer"} <= titles["nb"]
    assert "Digital hjelp for seniorar" in titles["nn"]
    assert not titles["da"] & (titles["nb"] | titles["nn"]) - {"Frivilligcenter"}
    assert {"vært", "chauffør", "lektiehjælper"} <= role_names["da"]
    assert {"vert", "sjåfør", "leksehjelper"} <= role_names["nb"]
    assert "leksehjelpar" in role_names["nn"]
    assert not role_names["da"] & {"vert", "hjelper", "sjåfør", "leksehjelper"}
    assert any("park" in title for title in titles["da"])


def test_about_four_hundred_volunteers_with_a_mix_of_languages(demo: Any) -> None:
    volunteers = _all(Volunteer)
    assert 380 <= len(volunteers) <= 420
    per_centre = Counter(v.centre_id for v in volunteers)
    assert len(per_centre) == _count(Centre) and min(per_centre.values()) >= 10
    speakers = Counter(language for v in volunteers for language in v.languages)
    for language in SECOND_LANGUAGES:
        assert speakers[language] >= 5, language
    assert speakers["no"] >= 150 and speakers["da"] >= 60 and speakers["en"] >= 150
    # Danish speakers are in Denmark, Norwegian speakers in Norway.
    for v in volunteers:
        country = v.centre.municipality.country
        assert {"no": "NO", "da": "DK"}.get(v.languages[0], country) == country
    assert len({v.name for v in volunteers}) >= 300
    emails = [v.email for v in volunteers if v.email]
    assert len(emails) == len(set(emails)) and 0 < len(emails) < len(volunteers)


def test_volunteers_have_believable_profiles(demo: Any) -> None:
    volunteers = _all(Volunteer)
    limits = [v.max_travel_km for v in volunteers]
    assert any(limit is None for limit in limits)
    assert all(2 <= limit <= 25 for limit in limits if limit is not None)
    assert {v.max_sessions_per_week for v in volunteers} == {1, 2, 3}
    assert Counter(s for v in volunteers for s in v.skills).keys() == KNOWN_SKILLS
    assert all(2 <= len(v.interests) <= 4 for v in volunteers)
    assert sum(not v.active for v in volunteers) < len(volunteers) * 0.1
    assert sum(bool(v.unavailable) for v in volunteers) >= 40
    patterns = Counter(json.dumps(v.weekly_availability, sort_keys=True) for v in volunteers)
    assert len(patterns) >= 6
    weekend = sum(any(w["weekday"] >= 5 for w in v.weekly_availability) for v in volunteers)
    daytime = sum(any(w["start"] < "12:00" for w in v.weekly_availability) for v in volunteers)
    evening = sum(any(w["end"] >= "20:00" for w in v.weekly_availability) for v in volunteers)
    assert min(weekend, daytime, evening) >= 40
    for v in volunteers:
        for window in v.weekly_availability:
            assert 0 <= window["weekday"] <= 6 and window["start"] < window["end"]
        for away in v.unavailable:
            start, end = datetime.fromisoformat(away["start"]), datetime.fromisoformat(away["end"])
            assert start.utcoffset() == timedelta(0) and start < end


def test_police_certificates_some_valid_some_expired(demo: Any) -> None:
    ends = [
        date.fromisoformat(c["valid_until"])
        for v in _all(Volunteer)
        for c in v.certificates
        if c["kind"] == "police"
    ]
    expired = [d for d in ends if d < TODAY]
    running_out = [d for d in ends if TODAY <= d < TODAY + timedelta(days=28)]
    assert len(ends) >= 100
    assert 10 <= len(expired) <= len(ends) // 3
    assert running_out, "some certificates should run out inside the four weeks"


def test_homes_near_their_town_and_preferences_within_their_centre(demo: Any) -> None:
    activities_of: dict[int, set[int]] = defaultdict(set)
    for activity in _all(Activity):
        activities_of[activity.centre_id].add(activity.id)
    for v in _all(Volunteer):
        town = TOWNS[v.centre.municipality.name]
        assert haversine_km(v.lat, v.lon, *town) < 15, v.name
        assert set(v.preferred_activity_ids) <= activities_of[v.centre_id]
    assert any(v.preferred_activity_ids for v in _all(Volunteer))


def test_every_place_lies_in_its_town_and_some_are_booked_by_others(demo: Any) -> None:
    places = _all(Place)
    for place in places:
        assert haversine_km(place.lat, place.lon, *TOWNS[place.municipality.name]) < 30, place.name
        assert place.capacity > 0 and place.parallel >= 1
        assert set(place.features) <= KNOWN_FEATURES
    assert sum(bool(p.busy) for p in places) >= len(places) // 2
    assert Counter(p.municipality_id for p in places).keys() == {m.id for m in _all(Municipality)}


# ---- sessions --------------------------------------------------------------


def test_roles_are_well_formed_and_someone_in_the_centre_could_fill_them(demo: Any) -> None:
    volunteers_of: dict[int, list[Volunteer]] = defaultdict(list)
    for v in _all(Volunteer):
        volunteers_of[v.centre_id].append(v)
    for activity in _all(Activity):
        roles = activity.roles
        assert roles and any(role["min"] >= 1 for role in roles), activity.title
        assert len({role["role"] for role in roles}) == len(roles)
        for role in roles:
            assert set(role) == {"role", "min", "max", "skills", "languages", "certificate"}
            assert role["role"] and 0 <= role["min"] <= role["max"] and role["max"] >= 1
            assert set(role["skills"]) <= KNOWN_SKILLS
            assert role["certificate"] in (None, "police")
            able = [
                v for v in volunteers_of[activity.centre_id]
                if set(role["skills"]) <= set(v.skills)
                and (not role["languages"] or set(role["languages"]) & set(v.languages))
                and (role["certificate"] is None or any(
                    c["kind"] == role["certificate"] and date.fromisoformat(c["valid_until"]) >= TODAY
                    for c in v.certificates))
            ]
            assert len(able) >= role["min"], (activity.centre.name, activity.title, role["role"])
    homework = [a for a in _all(Activity) if a.title in ("Leksehjelp", "Lektiehjælp")]
    assert homework and all(r["certificate"] == "police" for a in homework for r in a.roles)
    drivers = [r for a in _all(Activity) for r in a.roles if r["role"] in ("sjåfør", "chauffør")]
    assert drivers and all(r["skills"] == ["driving_licence"] for r in drivers)
    digital = [r for a in _all(Activity) if a.title.startswith("Digital") for r in a.roles]
    assert digital and all("it_help" in r["skills"] for r in digital)


def _local_bounds(zone: str) -> tuple[datetime, datetime]:
    tz = ZoneInfo(zone)
    first = datetime.combine(TODAY + timedelta(days=1), time(0), tzinfo=tz)
    after = datetime.combine(TODAY + timedelta(days=29), time(0), tzinfo=tz)
    return first, after


def test_sessions_fall_in_the_next_four_weeks_at_places_of_their_municipality(demo: Any) -> None:
    sessions = _all(Session)
    assert len(sessions) >= 150
    for s in sessions:
        municipality = s.activity.centre.municipality
        first, after = _local_bounds(municipality.timezone)
        assert first <= s.window_start < s.window_end <= after
        spots = [(s.start, s.end, s.place_id)] if s.options is None else [
            (datetime.fromisoformat(o["start"]), datetime.fromisoformat(o["end"]), o["place_id"])
            for o in s.options
        ]
        for start, end, place_id in spots:
            place = db.session.get(Place, place_id)
            assert place.municipality_id == municipality.id
            assert set(s.activity.needs) <= set(place.features), (s.activity.title, place.name)
            assert s.activity.participants <= place.capacity
            local_start = start.astimezone(ZoneInfo(municipality.timezone))
            assert 9 <= local_start.hour <= 20 and end - start <= timedelta(hours=4)
    def week(s: Session) -> int:  # 0 for the 1st to the 7th day after TODAY
        zone = ZoneInfo(s.activity.centre.municipality.timezone)
        return ((s.window_start.astimezone(zone).date() - TODAY).days - 1) // 7

    per_week = Counter(week(s) for s in sessions)
    assert sorted(per_week) == [0, 1, 2, 3] and min(per_week.values()) >= 30


def test_weekly_sessions_keep_their_local_time_across_the_summer_time_change(demo: Any) -> None:
    times: dict[tuple[int, int], set[str]] = defaultdict(set)
    utc_hours: dict[tuple[int, int], set[int]] = defaultdict(set)
    for s in _all(Session):
        if s.start is None:
            continue
        local = s.start.astimezone(ZoneInfo(s.activity.centre.municipality.timezone))
        times[(s.activity_id, local.weekday())].add(local.strftime("%H:%M"))
        utc_hours[(s.activity_id, local.weekday())].add(s.start.hour)
    assert all(len(clock) == 1 for clock in times.values())
    # Both sides of 2027-03-28 are in the window: the UTC hour moves.
    assert any(len(hours) == 2 for hours in utc_hours.values())


def test_each_municipality_has_an_open_park_workshop_with_two_or_three_options(demo: Any) -> None:
    open_sessions = [s for s in _all(Session) if s.options is not None]
    by_municipality = Counter(s.activity.centre.municipality_id for s in open_sessions)
    assert set(by_municipality) == {m.id for m in _all(Municipality)}
    for s in open_sessions:
        assert s.start is None and s.end is None and s.place_id is None
        assert 2 <= len(s.options) <= 3 and "park" in s.activity.title
        assert s.window_start == min(datetime.fromisoformat(o["start"]) for o in s.options)
        assert len({(o["start"], o["place_id"]) for o in s.options}) == len(s.options)
        assert all(o["penalty"] >= 0 for o in s.options)


def test_no_place_is_double_booked_nor_used_while_busy(demo: Any) -> None:
    uses: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    for s in _all(Session):
        if s.options is None:
            uses[s.place_id].append((s.start, s.end))
        else:  # every option must be possible on its own
            for o in s.options:
                uses[o["place_id"]].append(
                    (datetime.fromisoformat(o["start"]), datetime.fromisoformat(o["end"]))
                )
    for place in _all(Place):
        spans = uses[place.id]
        for start, end in spans:
            overlapping = sum(1 for a, b in spans if a < end and start < b)
            assert overlapping <= place.parallel, place.name
            for busy in place.busy:
                b0, b1 = datetime.fromisoformat(busy["start"]), datetime.fromisoformat(busy["end"])
                assert not (b0 < end and start < b1), place.name


def test_no_sessions_on_christmas_eve_christmas_or_new_years_day() -> None:
    network = generate(2026, date(2026, 12, 10))
    zones = [m.timezone for m in network.municipalities]
    centre_zone = [zones[c.municipality] for c in network.centres]
    days = {
        s.window_start.astimezone(ZoneInfo(centre_zone[network.activities[s.activity].centre])).date()
        for s in network.sessions
    }
    assert days and not days & {date(2026, 12, 24), date(2026, 12, 25), date(2026, 12, 26),
                                date(2026, 12, 31), date(2027, 1, 1)}
    assert date(2026, 12, 23) in days or date(2026, 12, 22) in days


# ---- staffable, but not trivially --------------------------------------------


def test_a_plan_staffs_most_but_not_all_slots(demo: Any) -> None:
    # The greedy baseline is a lower bound on what the solver reaches.
    slots = filled = 0
    rates = []
    for centre in _all(Centre):
        doc = build_scenario(centre, *_local_bounds(centre.municipality.timezone))
        plan = solver.greedy(doc)  # raises ScenarioError on data the solver would reject
        assert solver.validate(doc, plan) == [], centre.name
        slots += plan["kpis"]["slots_min"]
        filled += plan["kpis"]["filled_min"]
        rates.append(plan["kpis"]["fill_rate"])
    assert 0.8 <= filled / slots < 1.0
    assert max(rates) == 1.0 and min(rates) < 1.0


def test_the_demo_reads_back_through_the_api(demo: Any, app: Flask, make_token: Any) -> None:
    headers = {"Authorization": f"Bearer {make_token('admin')}"}
    client = app.test_client()
    expected = {"municipalities": demo.municipalities, "centres": demo.centres, "places": demo.places,
                "volunteers": demo.volunteers, "activities": demo.activities, "sessions": demo.sessions}
    for resource, count in expected.items():
        response = client.get(f"/api/v1/{resource}?page_size=500", headers=headers)
        assert response.status_code == 200, (resource, response.get_json())
        assert json.loads(response.headers["X-Pagination"])["total"] == count, resource
    workshops = [s for s in client.get("/api/v1/sessions?page_size=500", headers=headers).get_json()
                 if s.get("options")]
    assert len(workshops) == 7


# The fields the demo fills, by resource (api.md): each must pass the API's own checks.
CONTENT_FIELDS = {
    "places": ("name", "address", "lat", "lon", "capacity", "parallel", "features", "busy"),
    "activities": ("title", "description", "interests", "needs", "participants", "roles"),
    "volunteers": ("name", "email", "phone", "lat", "lon", "max_travel_km", "skills", "languages",
                   "interests", "certificates", "max_hours_per_week", "max_sessions_per_week",
                   "preferred_activity_ids", "weekly_availability", "unavailable", "active"),
}


def test_the_demo_is_valid_input_for_the_api(demo: Any, app: Flask, make_token: Any) -> None:
    # Send what the API shows back as a PATCH: the demo holds nothing a
    # coordinator could not have typed in (every place, every other activity
    # and every tenth volunteer, to keep it quick).
    headers = {"Authorization": f"Bearer {make_token('admin')}"}
    client = app.test_client()
    for resource, fields in CONTENT_FIELDS.items():
        items = client.get(f"/api/v1/{resource}?page_size=500", headers=headers).get_json()
        for item in items[:: {"places": 1, "activities": 2, "volunteers": 10}[resource]]:
            body = {name: item[name] for name in fields}
            response = client.patch(f"/api/v1/{resource}/{item['id']}", json=body, headers=headers)
            assert response.status_code == 200, (resource, item["id"], response.get_json())
            assert {name: response.get_json()[name] for name in fields} == body


# ---- loading into a database that is not empty -----------------------------


def test_load_refuses_a_database_that_has_municipalities_and_writes_nothing(app: Flask) -> None:
    with app.app_context():
        db.session.add(Municipality(name="Bergen", country="NO", timezone="Europe/Oslo", locale="nb"))
        db.session.commit()
        with pytest.raises(DatabaseNotEmpty):
            load_demo(seed=2026, today=TODAY)
        assert (_count(Municipality), _count(Centre), _count(Volunteer)) == (1, 0, 0)


# ---- the command -----------------------------------------------------------


def _run(app: Flask, *args: str) -> Any:
    return app.test_cli_runner().invoke(main, ["demo", *args], obj=ScriptInfo(create_app=lambda: app))


def _printed_tokens(output: str) -> list[str]:
    return [word for word in output.split() if word.startswith("msm_")]


def test_demo_command_loads_once_with_if_empty_and_prints_working_tokens(app: Flask) -> None:
    first = _run(app, "--if-empty", "--today", TODAY.isoformat())
    assert first.exit_code == 0, first.output
    assert "7 municipalities" in first.output and "volunteers" in first.output
    assert "curl -H \"Authorization: Bearer $TOKEN\"" in first.output
    admin, coordinator = sorted(set(_printed_tokens(first.output)), key=first.output.index)

    with app.app_context():
        counts = (_count(Municipality), _count(Volunteer), _count(Session), _count(ApiToken))
        centre = db.session.scalars(select(Centre).order_by(Centre.id)).first()
        own = db.session.scalar(select(func.count()).where(Volunteer.centre_id == centre.id))
        from medsam_match.cli.demo_command import DEMO_COORDINATOR_EMAIL
        from medsam_match.models import User

        staff = db.session.scalars(select(User)).one()  # the demo's coordinator
        assert (staff.email, staff.role, staff.centre_id) == (
            DEMO_COORDINATOR_EMAIL, "coordinator", centre.id)
    assert counts[:2] == (7, 400)
    assert DEMO_COORDINATOR_EMAIL in first.output

    second = _run(app, "--if-empty")
    assert second.exit_code == 0, second.output
    assert "not loaded" in second.output and not _printed_tokens(second.output)
    with app.app_context():
        assert (_count(Municipality), _count(Volunteer), _count(Session), _count(ApiToken)) == counts

    client = app.test_client()
    everyone = client.get("/api/v1/volunteers", headers={"Authorization": f"Bearer {admin}"})
    assert everyone.status_code == 200
    assert json.loads(everyone.headers["X-Pagination"])["total"] == 400
    mine = client.get("/api/v1/volunteers", headers={"Authorization": f"Bearer {coordinator}"})
    assert mine.status_code == 200
    assert json.loads(mine.headers["X-Pagination"])["total"] == own < 400


def test_demo_command_refuses_a_database_with_data(app: Flask) -> None:
    quiet = _run(app, "--seed", "7", "--today", TODAY.isoformat(), "--no-history",
                 "--no-tokens")
    assert quiet.exit_code == 0 and not _printed_tokens(quiet.output)  # as make run asks
    with app.app_context():
        counts = (_count(Municipality), _count(Volunteer), _count(ApiToken))
    again = _run(app)
    assert again.exit_code == 1
    assert "already holds 7 municipalities" in again.output and "--if-empty" in again.output
    with app.app_context():
        assert (_count(Municipality), _count(Volunteer), _count(ApiToken)) == counts


@pytest.mark.parametrize("args", [["--seed", "seven"], ["--today", "2027-13-01"], ["--what"]])
def test_demo_command_rejects_bad_options_and_loads_nothing(app: Flask, args: list[str]) -> None:
    result = _run(app, *args)
    assert result.exit_code == 2
    with app.app_context():
        assert _count(Municipality) == 0
