"""The demo network: seven municipalities of the MEDSAM project with their
volunteer centres, meeting places, about 400 volunteers and four weeks of
activities.

`data` holds the fixed facts; `generate` draws the network from a seed
(`timetable` for activities, sessions and places, `volunteers` for people)
as the plain values of `rows`; `load` writes them into an empty database.
"""

from .load import DEFAULT_SEED, DatabaseNotEmpty, DemoSummary, load_demo

__all__ = ["DEFAULT_SEED", "DatabaseNotEmpty", "DemoSummary", "load_demo"]
