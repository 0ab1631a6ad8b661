"""Names for what a real endpoint hands out: message ids `m1, m2…`, receipts `m1#1…`, `sub1…`.

A real endpoint answers with UUIDs and opaque receipt handles; the sandbox language names messages
`m1, m2…` and receipts `<message>#<n>` (the n-th delivery of that message), and scripts use those
names (`delete q m1#2`). The rules, pure and deterministic:

- A real id keeps the first label it gets.
- When the model answered the same command, the real message takes the model's label for the
  message in the same place (the same send, or the receive's message with the same body), unless
  that label already names another real message. So a script's `m2#1` means the same message on
  both sides, even when SNS fan-out copies are numbered at publish time by the model and seen only
  at receive time on the real endpoint.
- Otherwise the next label after every label the model uses: `m1, m2…` in order of appearance
  when there is no model, and never a label the model gives to another message.
- A receipt is `<label>#<n>` where n counts the deliveries of that message seen so far; the
  receipt's label maps back to the real handle, so old handles can be used on purpose.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

_LABEL_RE: Final = re.compile(r"^m(\d+)$")


@dataclass
class Names:
    """One family of labels (`m` for messages, `sub` for subscriptions)."""

    stem: str
    reserved: set[str] = field(default_factory=set)  # labels the model uses
    by_real: dict[str, str] = field(default_factory=dict)
    by_label: dict[str, str] = field(default_factory=dict)
    _next: int = 0

    def __post_init__(self) -> None:
        pattern = re.compile(rf"^{re.escape(self.stem)}(\d+)$")
        numbers = [int(m.group(1)) for r in self.reserved if (m := pattern.match(r))]
        self._next = max(numbers, default=0)

    def label(self, real: str, hint: str | None = None) -> str:
        known = self.by_real.get(real)
        if known is not None:
            return known
        if hint is not None and hint not in self.by_label and self._is_own(hint):
            chosen = hint
        else:
            chosen = self._fresh()
        self.by_real[real] = chosen
        self.by_label[chosen] = real
        return chosen

    def real(self, label: str) -> str | None:
        return self.by_label.get(label)

    def _is_own(self, hint: str) -> bool:
        return hint.startswith(self.stem) and hint[len(self.stem) :].isdigit()

    def _fresh(self) -> str:
        while True:
            self._next += 1
            candidate = f"{self.stem}{self._next}"
            if candidate not in self.by_label and candidate not in self.reserved:
                return candidate


class Labels:
    """The labels of one run: messages, receipts and subscriptions."""

    def __init__(self, model_messages: set[str] | None = None, model_subs: set[str] | None = None):
        self.messages = Names("m", set(model_messages or ()))
        self.subscriptions = Names("sub", set(model_subs or ()))
        self._deliveries: dict[str, int] = {}
        self._handles: dict[str, str] = {}  # receipt label → real receipt handle

    def message(self, real_id: str, hint: str | None = None) -> str:
        return self.messages.label(real_id, hint)

    def subscription(self, real_arn: str, hint: str | None = None) -> str:
        return self.subscriptions.label(real_arn, hint)

    def receipt(self, label: str, real_handle: str) -> str:
        """The receipt label of the next delivery of message `label`."""
        n = self._deliveries.get(label, 0) + 1
        self._deliveries[label] = n
        receipt = f"{label}#{n}"
        self._handles[receipt] = real_handle
        return receipt

    def handle(self, receipt: str) -> str | None:
        """The real handle a script's receipt stands for; None when it was never handed out."""
        return self._handles.get(receipt)

    def real_ids(self) -> dict[str, str]:
        """Real id → label, for rewriting ids inside bodies (an SNS envelope's MessageId)."""
        return dict(self.messages.by_real)


def model_labels(results: Iterable[Mapping[str, Any]]) -> tuple[set[str], set[str]]:
    """Every message and subscription label the model's results mention."""
    messages: set[str] = set()
    subs: set[str] = set()
    for result in results:
        if isinstance(result.get("message_id"), str):
            messages.add(result["message_id"])
        if isinstance(result.get("subscription"), str):
            subs.add(result["subscription"])
        for message in result.get("messages") or ():
            if isinstance(message, dict) and isinstance(message.get("message_id"), str):
                messages.add(message["message_id"])
    return messages, subs


def is_message_label(text: str) -> bool:
    return _LABEL_RE.match(text) is not None
