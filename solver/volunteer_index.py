"""Rules H1-H5 and H9 for all volunteers at once, as numpy masks.

The greedy baseline and the explanations of unfilled slots ask "who may take
this role at this session, held this way?" thousands of times over thousands of
volunteers; checking `eligibility.failed_rules` one volunteer at a time is too
slow for a city. This index answers with one boolean array per rule (True:
the rule lets the volunteer through), in the order of `scenario.volunteers`.
It agrees with `eligibility` exactly: distances close to a travel limit are
rechecked with `eligibility.distance_km`.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import numpy.typing as npt

from . import eligibility as rules
from .geo import EARTH_RADIUS_KM
from .scenario import Option, Role, Scenario, Session

Mask = npt.NDArray[np.bool_]

_TIE_KM = 1e-6  # distances this close to a travel limit are rechecked exactly


class VolunteerIndex:
    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.volunteers = scenario.volunteers
        self.position = {v.id: i for i, v in enumerate(self.volunteers)}
        n = self.size = len(self.volunteers)
        self._lat = np.radians(np.array([v.lat if v.located else np.nan for v in self.volunteers],
                                        dtype=float).reshape(n))
        self._lon = np.radians(np.array([v.lon if v.located else np.nan for v in self.volunteers],
                                        dtype=float).reshape(n))
        self._limit = np.array(
            [np.inf if v.max_travel_km is None else v.max_travel_km for v in self.volunteers],
            dtype=float,
        ).reshape(n)
        self._always = np.array([v.availability is None for v in self.volunteers], dtype=bool)
        owners, starts, ends = [], [], []
        for i, v in enumerate(self.volunteers):
            for iv in v.availability or ():
                owners.append(i)
                starts.append(iv.start)
                ends.append(iv.end)
        order = np.argsort(np.array(starts, dtype=np.int64), kind="stable")
        self._iv_owner = np.array(owners, dtype=np.int64)[order]
        self._iv_start = np.array(starts, dtype=np.int64)[order]
        self._iv_end = np.array(ends, dtype=np.int64)[order]
        self._iv_longest = int((self._iv_end - self._iv_start).max()) if len(order) else 0
        forbidden: defaultdict[str, list[int]] = defaultdict(list)
        for pair in scenario.forbidden:
            forbidden[pair.session].append(self.position[pair.volunteer])
        self._forbidden = dict(forbidden)
        self._skill: dict[str, Mask] = {}
        self._language: dict[str, Mask] = {}
        self._certificate: dict[str, npt.NDArray[np.int64]] = {}
        self._distance: dict[str | None, npt.NDArray[np.float64]] = {}
        self._available_key: tuple[int, int] | None = None
        self._available: Mask = self._always

    # -- one rule each -------------------------------------------------------

    def available(self, option: Option) -> Mask:
        """H1 (the last answer is kept: the roles of a session share it)."""
        key = (option.start, option.end)
        if key != self._available_key:
            lo = np.searchsorted(self._iv_start, option.start - self._iv_longest, side="left")
            hi = np.searchsorted(self._iv_start, option.start, side="right")
            inside = self._iv_end[lo:hi] >= option.end
            mask = self._always.copy()
            mask[self._iv_owner[lo:hi][inside]] = True
            self._available_key, self._available = key, mask
        return self._available

    def _has_skill(self, skill: str) -> Mask:
        if skill not in self._skill:
            self._skill[skill] = np.array([skill in v.skills for v in self.volunteers], dtype=bool)
        return self._skill[skill]

    def _speaks(self, language: str) -> Mask:
        if language not in self._language:
            self._language[language] = np.array(
                [language in v.languages for v in self.volunteers], dtype=bool
            )
        return self._language[language]

    def has_skills(self, role: Role) -> Mask:
        """H2."""
        mask = np.ones(self.size, dtype=bool)
        for skill in role.skills:
            mask &= self._has_skill(skill)
        return mask

    def speaks(self, role: Role) -> Mask:
        """H3."""
        if not role.languages:
            return np.ones(self.size, dtype=bool)
        mask = np.zeros(self.size, dtype=bool)
        for language in role.languages:
            mask |= self._speaks(language)
        return mask

    def certified(self, role: Role, option: Option) -> Mask:
        """H4: valid on the local date of the start."""
        kind = role.certificate
        if kind is None:
            return np.ones(self.size, dtype=bool)
        if kind not in self._certificate:
            self._certificate[kind] = np.array(
                [v.certificates[kind].toordinal() if kind in v.certificates else 0
                 for v in self.volunteers],
                dtype=np.int64,
            ).reshape(self.size)
        return self._certificate[kind] >= option.local_date.toordinal()

    def distances(self, place_id: str | None) -> npt.NDArray[np.float64]:
        """dist(v, place) for every volunteer, 0 where either has no location."""
        if place_id not in self._distance:
            place = self.scenario.place_by_id.get(place_id) if place_id else None
            if place is None or not place.located:
                dist = np.zeros(self.size, dtype=float)
            else:
                assert place.lat is not None and place.lon is not None
                lat2, lon2 = np.radians(place.lat), np.radians(place.lon)
                a = (np.sin((lat2 - self._lat) / 2) ** 2
                     + np.cos(self._lat) * np.cos(lat2) * np.sin((lon2 - self._lon) / 2) ** 2)
                dist = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))
                dist = np.nan_to_num(dist, nan=0.0)
            self._distance[place_id] = dist
        return self._distance[place_id]

    def within_reach(self, place_id: str | None) -> Mask:
        """H5, exact at the limit."""
        dist = self.distances(place_id)
        mask = dist <= self._limit
        place = self.scenario.place_by_id.get(place_id) if place_id else None
        for i in np.flatnonzero(np.abs(dist - self._limit) < _TIE_KM):
            mask[i] = rules.within_reach(self.volunteers[i], place)
        return mask

    def allowed(self, session: Session) -> Mask:
        """H9: not forbidden for this session."""
        mask = np.ones(self.size, dtype=bool)
        mask[self._forbidden.get(session.id, [])] = False
        return mask

    # -- together ------------------------------------------------------------

    def rule_masks(self, session: Session, role: Role, option: Option) -> dict[str, Mask]:
        """For each rule of `eligibility.RULES`, who passes it."""
        return {
            rules.AVAILABILITY: self.available(option),
            rules.SKILLS: self.has_skills(role),
            rules.LANGUAGES: self.speaks(role),
            rules.CERTIFICATE: self.certified(role, option),
            rules.DISTANCE: self.within_reach(option.place),
            rules.FORBIDDEN: self.allowed(session),
        }

    def eligible(self, session: Session, role: Role, option: Option) -> Mask:
        """Who passes H1-H5 and H9 for this role with the session held as `option`."""
        mask = self.available(option).copy()
        mask &= self.has_skills(role)
        mask &= self.speaks(role)
        if role.certificate is not None:
            mask &= self.certified(role, option)
        mask &= self.within_reach(option.place)
        if session.id in self._forbidden:
            mask &= self.allowed(session)
        return mask
