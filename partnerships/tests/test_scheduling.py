import random

from partnerships.scheduling import Request, conflicts, schedule, upper_bound


def _requests(people: int, count: int, seed: int = 14) -> list[Request]:
    rng = random.Random(seed)
    seen, found = set(), []
    while len(found) < count:
        a, b = rng.sample(range(people), 2)
        if frozenset((a, b)) in seen:
            continue
        seen.add(frozenset((a, b)))
        found.append(Request(len(found) + 1, a, b))
    return found


def test_100_people_400_requests_8_slots_20_tables_all_that_fit_without_conflict():
    requests = _requests(100, 400)
    slots = list(range(8))
    rng = random.Random(7)
    unavailable = {p: {rng.randrange(8)} for p in range(0, 100, 4)}  # a quarter miss a slot
    placement = schedule(requests, slots, 20, unavailable)
    bound = upper_bound(requests, slots, 20, unavailable)
    assert bound == 160  # 8 slots × 20 tables: no schedule can hold more
    assert len(placement) == bound
    assert conflicts(requests, placement, 20, unavailable) == []


def test_every_request_fits_when_there_is_room():
    requests = _requests(30, 60, seed=3)
    placement = schedule(requests, list(range(10)), 30)
    assert len(placement) == 60
    assert conflicts(requests, placement, 30) == []


def test_a_person_unavailable_everywhere_but_one_slot_meets_there_once():
    requests = [Request(1, "ana", "bo"), Request(2, "ana", "cy"), Request(3, "bo", "cy")]
    unavailable = {"ana": {"s2", "s3"}}
    placement = schedule(requests, ["s1", "s2", "s3"], 5, unavailable)
    ana = [placement[r.id][0] for r in requests if "ana" in (r.a, r.b) and r.id in placement]
    assert ana == ["s1"]  # one of her two requests, in her one slot
    assert len(placement) == 2 and upper_bound(requests, ["s1", "s2", "s3"], 5, unavailable) == 2
    assert conflicts(requests, placement, 5, unavailable) == []


def test_augmentation_moves_a_meeting_to_make_room():
    """Greedy alone would put (a, b) in s1 and leave (a, c) nowhere, c being free only in s1."""
    requests = [Request(1, "a", "b"), Request(2, "a", "c")]
    placement = schedule(requests, ["s1", "s2"], 1, {"c": {"s2"}}, previous={1: ("s1", 1)})
    assert placement == {1: ("s2", 1), 2: ("s1", 1)}


def test_earlier_places_are_kept_where_still_valid():
    requests = _requests(20, 30, seed=5)
    first = schedule(requests, list(range(6)), 10)
    again = schedule(requests, list(range(6)), 10, previous=first)
    assert again == first


def test_conflicts_finds_what_is_wrong():
    requests = [Request(1, "a", "b"), Request(2, "a", "c"), Request(3, "d", "e")]
    bad = {1: ("s1", 1), 2: ("s1", 2), 3: ("s1", 1)}
    problems = conflicts(requests, bad, 2, {"e": {"s1"}})
    assert "a twice in slot s1" in problems
    assert "table 1 twice in slot s1" in problems
    assert "e unavailable in slot s1" in problems
