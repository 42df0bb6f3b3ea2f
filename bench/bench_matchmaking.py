"""The 1:1 meeting scheduler (partnerships.scheduling) on a large AlpCafé: 500 participants and
3,000 accepted requests (a fifth of the people unavailable in one slot), in 12 slots of 100
tables and in 8 slots of 200 tables. Pure Python, no database: the time is the algorithm's.

Prints, one a line: the time to schedule, the meetings scheduled, the proven upper bound, their
ratio, and the conflicts found by an independent check (must be 0).

    python bench/bench_matchmaking.py [--quick]

--quick: 100 participants and 400 requests on 8 × 20 (the test's size), for CI's smoke run.
"""

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness
from partnerships.scheduling import Request, conflicts, schedule, upper_bound


def requests_between(people: int, count: int, seed: int) -> list[Request]:
    rng = random.Random(seed)
    seen, found = set(), []
    while len(found) < count:
        a, b = rng.sample(range(people), 2)
        if frozenset((a, b)) in seen:
            continue
        seen.add(frozenset((a, b)))
        found.append(Request(len(found) + 1, a, b))
    return found


def run(people: int, count: int, slots: int, tables: int, label: str, repeat: int) -> None:
    requests = requests_between(people, count, seed=14)
    rng = random.Random(2014)
    unavailable = {p: {rng.randrange(slots)} for p in range(0, people, 5)}
    slot_ids = list(range(slots))
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        placement = schedule(requests, slot_ids, tables, unavailable)
        best = min(best, time.perf_counter() - started)
    bound = upper_bound(requests, slot_ids, tables, unavailable)
    harness.figure(f"{label} schedule time", best * 1000, "ms")
    harness.figure(f"{label} meetings scheduled", len(placement), "meetings")
    harness.figure(f"{label} upper bound", bound, "meetings")
    harness.figure(f"{label} scheduled / bound", len(placement) / bound, "ratio")
    harness.figure(
        f"{label} conflicts", len(conflicts(requests, placement, tables, unavailable)), "conflicts"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the test's size, for a smoke run")
    args = parser.parse_args()
    if args.quick:
        run(100, 400, 8, 20, "100x400 on 8x20", repeat=1)
        return
    run(500, 3000, 12, 100, "500x3000 on 12x100", repeat=3)
    run(500, 3000, 8, 200, "500x3000 on 8x200", repeat=3)


if __name__ == "__main__":
    main()
