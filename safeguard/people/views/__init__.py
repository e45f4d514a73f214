"""Pages about people. Each view: parse input, get the record through the access function,
call one service or selector, render.

One module per feature; every view is here, for ``urls.py``:

- ``search``: finding a person;
- ``person``: creating a record, the person page, identity and other names;
- ``links``: addresses, relationships, involvements;
- ``sealing``: the restricted page and the seal page;
- ``break_glass``: break-glass and its review;
- ``family``: alert flags on adults, the genogram and household view.
"""

from safeguard.people.views.break_glass import break_glass, break_glass_review, break_glass_reviews
from safeguard.people.views.family import alert_add, alert_end, family
from safeguard.people.views.links import address_add, involvement_add, relationship_add
from safeguard.people.views.person import name_add, person_create, person_detail, person_edit
from safeguard.people.views.sealing import restricted, seal
from safeguard.people.views.search import search

__all__ = [
    "address_add",
    "alert_add",
    "alert_end",
    "family",
    "break_glass",
    "break_glass_review",
    "break_glass_reviews",
    "involvement_add",
    "name_add",
    "person_create",
    "person_detail",
    "person_edit",
    "relationship_add",
    "restricted",
    "search",
    "seal",
]
