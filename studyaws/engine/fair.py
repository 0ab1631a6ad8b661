"""SQS fair queues: `MessageGroupId` on a standard queue names the tenant of a message.

Rules of the model, each cited again above the code that enforces it (docs/fidelity.md,
"Fair queues"):

- A standard queue becomes fair when a producer sets `MessageGroupId`; there is no queue setting
  (sqs_fair_queues). A message without one is a tenant of its own.
- At each receive SQS looks at the in-flight messages per tenant: a tenant with more than
  `NOISY_SHARE_PERCENT` % of them, and at least `NOISY_MIN_IN_FLIGHT` of its own, is a noisy
  neighbour (sqs_fair_queue_noisy_share). While a tenant is noisy, a receive returns the quiet
  tenants' visible messages first; the noisy tenants' messages come after them, the noisy tenant
  with the fewest in-flight messages first. Nothing is dropped or throttled.
- A noisy tenant is quiet again when it has no message waiting (its backlog drained) or has sent
  nothing for `QUIET_AFTER_MS` (sqs_fair_queue_quiet_again). The engine decides at each receive
  from the queue as it is then (no memory of earlier receives).
- Not modelled: the second measure AWS uses (a tenant's share of recent consumer processing time),
  which needs the consumers' own timing, and fairness when the chaos switches are on.
- Order within the quiet tenants, and within one noisy tenant, is the queue's usual send order;
  messages of one group are not held back while another of the group is in flight (unlike FIFO).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from studyaws.engine.sqs import Message, Queue, Received, Sqs

NOISY_SHARE_PERCENT: Final = 10  # sqs_fair_queue_noisy_share
NOISY_MIN_IN_FLIGHT: Final = 30  # sqs_fair_queue_noisy_share (statement)
QUIET_AFTER_MS: Final = 300_000  # sqs_fair_queue_quiet_again


def tenant(msg: Message) -> str:
    # sqs_fair_queues: "Each message without a MessageGroupId is treated as belonging to its own
    # distinct tenant." (sqs-fair-queues-detailed)
    return msg.group if msg.group is not None else f"#{msg.id}"


class FairQueues:
    """Which standard queues are fair, and when each of their tenants last sent."""

    def __init__(self, sqs: Sqs) -> None:
        self.sqs = sqs
        self.last_send: dict[str, dict[str, int]] = {}  # queue → tenant → last send (ms)

    def note_send(self, queue: str, group: str, now_ms: int) -> None:
        """A standard send with a MessageGroupId: the queue is a fair queue from now on."""
        self.last_send.setdefault(queue, {})[group] = now_ms

    def is_fair(self, queue: Queue) -> bool:
        return queue.name in self.last_send

    def collect(self, queue: Queue, max_n: int, vt_ms: int) -> list[Received]:
        """A receive of up to `max_n` messages, quiet tenants first."""
        from studyaws.engine.sqs import IN_FLIGHT  # sqs.py imports this module

        sqs = self.sqs
        in_flight: dict[str, int] = {}
        waiting: set[str] = set()
        for msg in queue.messages.values():
            if msg.state == IN_FLIGHT:
                t = tenant(msg)
                in_flight[t] = in_flight.get(t, 0) + 1
            else:
                waiting.add(tenant(msg))
        noisy = self._noisy(queue.name, in_flight, waiting)
        visible = list(sqs._visible_in_order(queue))
        if noisy:
            # sqs_fair_queues: "When fair queues detect that one tenant is using a
            # disproportionate share of the queue's consumer capacity, they prioritize delivery
            # of messages from quiet tenants" — noisy ones after, fewest in flight first
            # (sqs-fair-queues-detailed). A stable sort keeps send order within each rank.
            visible.sort(
                key=lambda m: (1, in_flight.get(tenant(m), 0)) if tenant(m) in noisy else (0, 0)
            )
        out = [sqs._deliver(queue, msg, vt_ms) for msg in visible[:max_n]]
        sqs._push_back(queue, visible[max_n:])
        return out

    def _noisy(self, queue: str, in_flight: dict[str, int], waiting: set[str]) -> set[str]:
        now = self.sqs.clock.now_ms
        total = sum(in_flight.values())
        sends = self.last_send.get(queue, {})
        return {
            t
            for t, n in in_flight.items()
            # sqs_fair_queue_noisy_share: more than 10 % of the queue's in-flight messages and
            # at least 30 of its own in flight ("these thresholds are approximate")...
            if n * 100 > total * NOISY_SHARE_PERCENT
            and n >= NOISY_MIN_IN_FLIGHT
            # ...sqs_fair_queue_quiet_again: and quiet again once its backlog is drained, or
            # after 5 minutes without sending.
            and t in waiting
            and now - sends.get(t, now) < QUIET_AFTER_MS
        }
