"""The 1:1 meeting scheduler: accepted meeting requests into (time slot, table) pairs.

The problem is an edge colouring with capacities: people are vertices, each accepted request an
edge, each slot a colour that holds at most ``tables`` edges; no vertex may have two edges of one
colour (nobody is in two places at once), and a vertex may forbid colours (the slots a person is
unavailable). We maximise the number of coloured edges — meetings held. That is NP-hard in
general (edge colouring is), so this is a heuristic with a bound to measure it by:

1. **Most constrained first.** Requests are taken in order of how few slots suit both people, then
   of how busy the two are (the sum of their requests): the hard ones get first pick.
2. **Greedy placement.** Each request goes into the suitable slot — both free, a table left —
   with the fewest meetings so far, which keeps slots balanced and leaves room for later ones.
3. **Augmentation.** A request that fits nowhere looks at each slot both people could attend and
   at what blocks it there: the meetings that already hold one of the two, and, if the slot is
   full, one other meeting to make a table free. If every blocker can move to another slot where
   its own two people are free and a table is left, they move and the request takes the slot
   (a Kempe-chain step of depth one). Passes repeat until one places nothing.
4. **Tables.** Within each slot, tables 1…k are handed out, a meeting keeping the table it had
   where it can (agendas already sent change as little as possible).

``upper_bound`` proves how many meetings can be held at most: no more than the requests, than
slots × tables, and than half the person-slots on offer (each meeting takes two; a person offers
at most min(their requests, their available slots)). On the test's 100 people, 400 requests and
8 × 20 tables, the schedule reaches the bound (160).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

Person = Hashable


@dataclass(frozen=True)
class Request:
    id: int
    a: Person
    b: Person


def upper_bound(
    requests: list[Request], slots: list, tables: int, unavailable: dict[Person, set]
) -> int:
    """At most this many of ``requests`` can be scheduled (see the module's docstring)."""
    degree: dict[Person, int] = defaultdict(int)
    for r in requests:
        degree[r.a] += 1
        degree[r.b] += 1
    slot_set = set(slots)
    person_slots = sum(
        min(d, len(slot_set - set(unavailable.get(p, ())))) for p, d in degree.items()
    )
    return min(len(requests), len(slots) * tables, person_slots // 2)


class _State:
    def __init__(self, slots, tables, unavailable):
        self.slots = list(slots)
        self.tables = tables
        self.unavailable = {p: set(s) for p, s in unavailable.items()}
        self.busy: dict[Person, dict] = defaultdict(dict)  # person → {slot: request}
        self.load: dict = dict.fromkeys(self.slots, 0)
        self.in_slot: dict = {slot: {} for slot in self.slots}  # slot → {request id: request}
        self.where: dict[int, object] = {}  # request id → slot

    def allowed(self, r: Request, slot) -> bool:
        return slot not in self.unavailable.get(r.a, ()) and slot not in self.unavailable.get(
            r.b, ()
        )

    def fits(self, r: Request, slot) -> bool:
        return (
            self.load[slot] < self.tables
            and slot not in self.busy[r.a]
            and slot not in self.busy[r.b]
            and self.allowed(r, slot)
        )

    def place(self, r: Request, slot) -> None:
        self.busy[r.a][slot] = r
        self.busy[r.b][slot] = r
        self.load[slot] += 1
        self.in_slot[slot][r.id] = r
        self.where[r.id] = slot

    def remove(self, r: Request) -> object:
        slot = self.where.pop(r.id)
        del self.busy[r.a][slot]
        del self.busy[r.b][slot]
        self.load[slot] -= 1
        del self.in_slot[slot][r.id]
        return slot

    def greedy(self, r: Request) -> bool:
        options = [s for s in self.slots if self.fits(r, s)]
        if not options:
            return False
        self.place(r, min(options, key=lambda s: (self.load[s], self.slots.index(s))))
        return True

    def room(self) -> bool:
        """Whether some slot still has a free table."""
        return any(load < self.tables for load in self.load.values())

    def _relocate(self, blocker: Request, avoid) -> object | None:
        for slot in sorted(self.slots, key=lambda s: self.load[s]):
            if slot != avoid and self.fits(blocker, slot):
                return slot
        return None

    def augment(self, r: Request) -> bool:
        """Free a slot for ``r`` by moving what blocks it there (depth one)."""
        for slot in self.slots:
            if not self.allowed(r, slot):
                continue
            blockers = {self.busy[r.a].get(slot), self.busy[r.b].get(slot)} - {None}
            moved: list[tuple[Request, object]] = []
            ok = True
            for blocker in blockers:
                self.remove(blocker)
                target = self._relocate(blocker, slot)
                if target is None:
                    self.place(blocker, slot)
                    ok = False
                    break
                self.place(blocker, target)
                moved.append((blocker, slot))
            if ok and self.load[slot] >= self.tables and self.room():
                # The slot is full: move any one meeting of it elsewhere to free a table.
                ok = False
                for other in sorted(self.in_slot[slot].values(), key=lambda m: m.id):
                    self.remove(other)
                    target = self._relocate(other, slot)
                    if target is not None:
                        self.place(other, target)
                        moved.append((other, slot))
                        ok = True
                        break
                    self.place(other, slot)
            if ok and self.fits(r, slot):
                self.place(r, slot)
                return True
            for blocker, original in reversed(moved):  # undo
                self.remove(blocker)
                self.place(blocker, original)
        return False


def schedule(
    requests: Iterable[Request],
    slots: list,
    tables: int,
    unavailable: dict[Person, set] | None = None,
    previous: dict[int, tuple] | None = None,
) -> dict[int, tuple]:
    """{request id: (slot, table)} for as many ``requests`` as the heuristic fits; ``previous``
    placements (request id → (slot, table)) are kept where they are still valid."""
    requests = list(requests)
    unavailable = unavailable or {}
    previous = previous or {}
    state = _State(slots, tables, unavailable)
    by_id = {r.id: r for r in requests}
    for rid, (slot, _table) in sorted(previous.items()):
        r = by_id.get(rid)
        if r is not None and slot in state.load and state.fits(r, slot):
            state.place(r, slot)
    degree: dict[Person, int] = defaultdict(int)
    for r in requests:
        degree[r.a] += 1
        degree[r.b] += 1

    def difficulty(r: Request):
        suitable = sum(1 for s in state.slots if state.allowed(r, s))
        return (suitable, -(degree[r.a] + degree[r.b]), r.id)

    waiting = [r for r in sorted(requests, key=difficulty) if r.id not in state.where]
    waiting = [r for r in waiting if not state.greedy(r)]
    while waiting and state.room():
        still = [r for r in waiting if not state.augment(r)]
        if len(still) == len(waiting):
            break
        waiting = [r for r in still if not state.greedy(r)]
    return _tables(state, previous)


def _tables(state: _State, previous: dict[int, tuple]) -> dict[int, tuple]:
    result: dict[int, tuple] = {}
    by_slot: dict = defaultdict(list)
    for rid, slot in state.where.items():
        by_slot[slot].append(rid)
    for slot, rids in by_slot.items():
        taken: set[int] = set()
        rest = []
        for rid in sorted(rids):
            old = previous.get(rid)
            if old and old[0] == slot and old[1] not in taken and 1 <= old[1] <= state.tables:
                result[rid] = (slot, old[1])
                taken.add(old[1])
            else:
                rest.append(rid)
        free = (t for t in range(1, state.tables + 1) if t not in taken)
        for rid in rest:
            result[rid] = (slot, next(free))
    return result


def conflicts(
    requests: Iterable[Request],
    placement: dict[int, tuple],
    tables: int,
    unavailable: dict[Person, set] | None = None,
) -> list[str]:
    """What is wrong with a placement (empty when it is valid): a person twice in a slot, a table
    twice, a table beyond the number, a slot a person is unavailable."""
    unavailable = unavailable or {}
    problems = []
    seen_people, seen_tables = set(), set()
    for r in requests:
        if r.id not in placement:
            continue
        slot, table = placement[r.id]
        for person in (r.a, r.b):
            if (person, slot) in seen_people:
                problems.append(f"{person} twice in slot {slot}")
            seen_people.add((person, slot))
            if slot in unavailable.get(person, ()):
                problems.append(f"{person} unavailable in slot {slot}")
        if (slot, table) in seen_tables:
            problems.append(f"table {table} twice in slot {slot}")
        seen_tables.add((slot, table))
        if not 1 <= table <= tables:
            problems.append(f"no table {table}")
    return problems
