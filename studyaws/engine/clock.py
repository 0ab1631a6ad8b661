"""The virtual clock: integer milliseconds and a heap of timers (SimPy's `Environment`, trimmed).

Rules of this module:

- Time is an `int` of milliseconds since the world began (`now_ms`); it never goes backwards and
  nothing here reads the wall clock. Wall-clock pacing is the UI's business (`ui/`).
- The heap holds `(at_ms, priority, seq, timer)`. `seq` comes from `itertools.count()`, so no two
  entries compare equal and the timer object itself is never compared.
- **Order at the same instant.** Timers due at the same `at_ms` run by `priority`, then in the order
  they were scheduled (`seq`):

  1. `STATE` (0): a message's own deadlines — a delay ends, a visibility timeout expires, retention
     runs out, a purge or a move task progresses. All state changes of an instant happen first...
  2. `DELIVERY` (1): ...then pending long polls are woken or time out, so a poll sees every message
     that became visible at that instant;
  3. `ACTOR` (2): ...then simulated clients act (part 2: consumers, schedules, retries).

  A timer scheduled *for the current instant* while another runs is still run in this instant, in
  the same order (the heap does not care that it arrived late).
- **Boundary convention** (one for the whole engine): a deadline `d` is reached when `now_ms >= d`.
  A message whose visibility timeout ends at `d` is visible at `d`, not 1 ms later. `run(until_ms)`
  runs every timer with `at_ms <= until_ms`, then sets `now_ms = until_ms`.
- Cancelling is O(1): the timer is flagged and skipped when it comes up. When more than half of the
  heap is cancelled timers, the heap is compacted (asyncio's `BaseEventLoop` does the same), so
  memory follows live timers, not history.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable
from typing import Any, Final

STATE: Final = 0
DELIVERY: Final = 1
ACTOR: Final = 2

_COMPACT_MIN: Final = 1024


class Timer:
    """A scheduled call `action(arg)` at `at_ms`; `cancel()` it through the clock."""

    __slots__ = ("action", "arg", "at_ms", "cancelled")

    def __init__(self, at_ms: int, action: Callable[[Any], None], arg: Any) -> None:
        self.at_ms = at_ms
        self.action = action
        self.arg = arg
        self.cancelled = False


class Clock:
    """A heap of timers on integer milliseconds; `step()` runs the next one."""

    __slots__ = ("_cancelled", "_heap", "_seq", "now_ms")

    def __init__(self) -> None:
        self.now_ms = 0
        self._heap: list[tuple[int, int, int, Timer]] = []
        self._seq = itertools.count()
        self._cancelled = 0

    def schedule(
        self, at_ms: int, priority: int, action: Callable[[Any], None], arg: Any = None
    ) -> Timer:
        """Run `action(arg)` at `at_ms` (never earlier than now)."""
        at = at_ms if at_ms > self.now_ms else self.now_ms
        timer = Timer(at, action, arg)
        heapq.heappush(self._heap, (at, priority, next(self._seq), timer))
        return timer

    def cancel(self, timer: Timer | None) -> None:
        if timer is None or timer.cancelled:
            return
        timer.cancelled = True
        self._cancelled += 1
        if self._cancelled > _COMPACT_MIN and self._cancelled * 2 > len(self._heap):
            self._compact()

    def _compact(self) -> None:
        self._heap = [entry for entry in self._heap if not entry[3].cancelled]
        heapq.heapify(self._heap)
        self._cancelled = 0

    def peek(self) -> int | None:
        """The time of the next live timer, or None when nothing is scheduled."""
        heap = self._heap
        while heap and heap[0][3].cancelled:
            heapq.heappop(heap)
            self._cancelled -= 1
        return heap[0][0] if heap else None

    def step(self) -> bool:
        """Run the next live timer (moving `now_ms` to its time); False when there is none."""
        heap = self._heap
        while heap:
            at, _prio, _seq, timer = heapq.heappop(heap)
            if timer.cancelled:
                self._cancelled -= 1
                continue
            self.now_ms = at
            timer.cancelled = True  # it has run: a later cancel() is a no-op
            timer.action(timer.arg)
            return True
        return False

    def run(self, until_ms: int) -> None:
        """Run every timer due at or before `until_ms`, then stand at `until_ms`."""
        if until_ms < self.now_ms:
            raise ValueError(f"cannot run back in time: {until_ms} < {self.now_ms}")
        while True:
            nxt = self.peek()
            if nxt is None or nxt > until_ms:
                break
            self.step()
        self.now_ms = until_ms

    def settle(self) -> None:
        """Run whatever is due now (cheap when nothing is)."""
        heap = self._heap
        if heap and heap[0][0] <= self.now_ms:
            self.run(self.now_ms)

    def run_while(self, condition: Callable[[], bool]) -> None:
        """Run timers while `condition()` holds and there are timers left."""
        while condition() and self.step():
            pass

    def __len__(self) -> int:
        return len(self._heap) - self._cancelled
