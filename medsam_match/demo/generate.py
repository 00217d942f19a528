"""Draws the demo network from the facts in `data`, without touching the database.

Everything comes from one `random.Random(seed)` and the given `today`, and
nothing iterates over a set, so the same seed and day give the same network in
every process. `load` turns the rows into database rows.
"""

from __future__ import annotations

import random
from datetime import date

from . import data
from .rows import CentreRow, DemoNetwork, MunicipalityRow
from .timetable import Timetable
from .volunteers import draw_volunteer, recruit_for_roles, volunteers_per_centre


def generate(seed: int, today: date) -> DemoNetwork:
    """The whole demo network for `seed`, with sessions on the 28 days after `today`."""
    rng = random.Random(seed)
    net = DemoNetwork()
    share = volunteers_per_centre()
    centre_no = 0
    for m_index, fact in enumerate(data.MUNICIPALITIES):
        net.municipalities.append(MunicipalityRow(fact.name, fact.country, fact.timezone, fact.locale))
        timetable = Timetable(rng, fact, m_index, today, len(net.places))
        for centre_fact in fact.centres:
            c_index = len(net.centres)
            net.centres.append(CentreRow(m_index, centre_fact.name, centre_fact.email))
            first_activity = len(net.activities)
            timetable.plan_centre(net, c_index, centre_fact)
            activities = list(range(first_activity, len(net.activities)))
            volunteers = [
                draw_volunteer(rng, fact, centre_fact, c_index, activities, net, today, len(net.volunteers) + i)
                for i in range(share[centre_no])
            ]
            recruit_for_roles(rng, volunteers, [net.activities[a] for a in activities], today)
            net.volunteers.extend(volunteers)
            centre_no += 1
        net.places.extend(timetable.place_rows())
    return net
