"""Drawing a sample of case files, reproducibly from a seed (no database: plain values).

``draw(candidates, size=, seed=)`` takes ``(case id, stratum key)`` pairs. With no strata
(every key None or a random sample) it returns ``size`` of them; stratified, ``size`` from
each stratum (all of a stratum smaller than that). The candidates are put in a fixed order
first, so the same candidates and seed always give the same sample, whatever order the
database returned them in.
"""

import random
from collections import defaultdict


def draw(candidates, *, size: int, seed: int, stratified: bool = False) -> list:
    ordered = sorted(candidates, key=lambda pair: (str(pair[1] or ""), str(pair[0])))
    rng = random.Random(seed)
    if not stratified:
        return rng.sample(ordered, min(size, len(ordered)))
    strata = defaultdict(list)
    for pair in ordered:
        strata[str(pair[1] or "")].append(pair)
    chosen = []
    for key in sorted(strata):
        group = strata[key]
        chosen.extend(rng.sample(group, min(size, len(group))))
    return chosen
