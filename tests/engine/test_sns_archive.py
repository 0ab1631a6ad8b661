"""SNS FIFO message archiving and replay (docs/fidelity.md, "SNS archive and replay")."""

from __future__ import annotations

import json

import pytest

from studyaws.engine import World
from studyaws.engine.errors import InvalidParameter
from studyaws.engine.sns_archive import ARCHIVE_MAX_DAYS, ARCHIVE_MIN_DAYS


def _topic(world: World, *, days: int | None = 7) -> None:
    world.sns.create_topic("orders.fifo", fifo=True)
    if days is not None:
        world.sns.archives.set_archive_policy("orders.fifo", days)
    for queue in ("billing", "audit"):
        world.sqs.create_queue(queue)
        world.sns.subscribe("orders.fifo", queue)


def _publish(world: World, body: str, **attrs: str) -> str:
    return world.sns.publish(
        "orders.fifo", body, group="shop", dedup_id=body.replace(" ", "-"), attributes=attrs or None
    )


def _messages(world: World, queue: str) -> list[dict]:
    """Receive and delete everything visible in `queue`: the notifications it held."""
    got = world.sqs.receive_message(queue, max_number_of_messages=10)
    for r in got:
        world.sqs.delete_message(queue, r.receipt)
    return [json.loads(r.body) for r in got]


def test_archive_policy_is_for_fifo_topics_with_1_to_365_days() -> None:
    """Archiving "allows topic owners to store messages directly within the topic archive for up
    to 365 days" and is "specifically designed for FIFO (First-In-First-Out) topics"
    (https://docs.aws.amazon.com/sns/latest/dg/fifo-message-archiving-replay.html); the
    retention is 1 to 365 days (fact sns_archive_retention)."""
    world = World()
    world.sns.create_topic("news")
    with pytest.raises(InvalidParameter, match="FIFO"):
        world.sns.archives.set_archive_policy("news", 7)
    world.sns.create_topic("orders.fifo", fifo=True)
    for days in (ARCHIVE_MIN_DAYS - 1, ARCHIVE_MAX_DAYS + 1):
        with pytest.raises(InvalidParameter, match="between 1 and 365"):
            world.sns.archives.set_archive_policy("orders.fifo", days)
    world.sns.archives.set_archive_policy("orders.fifo", ARCHIVE_MAX_DAYS)


def test_replay_redelivers_a_window_to_one_subscription_with_the_same_id_and_timestamp() -> None:
    """ "A replayed message retains the same content, MessageId, and Timestamp as the original.
    The message includes a Replayed attribute to indicate that it is a replayed message."
    (https://docs.aws.amazon.com/sns/latest/dg/message-archiving-and-replay-subscriber.html)
    Only the subscription that starts the replay gets the messages again."""
    world = World()
    _topic(world)
    first = _publish(world, "order 1")
    world.advance(60)
    _publish(world, "order 2")
    world.advance(600)
    _publish(world, "order 3")
    originals = _messages(world, "billing")
    world.advance(600)
    replayed = world.sns.archives.replay("sub1", 0, 120_000)
    assert replayed == 2
    again = _messages(world, "billing")
    assert [m["Message"] for m in again] == ["order 1", "order 2"]
    assert [m["MessageId"] for m in again] == [m["MessageId"] for m in originals[:2]]
    assert again[0]["MessageId"] == first
    assert [m["Timestamp"] for m in again] == [m["Timestamp"] for m in originals[:2]]
    assert all(m["Replayed"] is True for m in again)
    assert "Replayed" not in originals[0]
    # The other subscription got nothing more than the three live copies.
    assert [m["Message"] for m in _messages(world, "audit")] == ["order 1", "order 2", "order 3"]


def test_a_new_subscription_can_replay_what_was_published_before_it_through_its_filter() -> None:
    """ "Messages can be replayed immediately after the subscription is created." "To replay only
    specific messages, apply a filter policy to your subscription." (message-archiving-and-
    replay-subscriber)"""
    world = World()
    _topic(world)
    _publish(world, "order 1", region="eu")
    _publish(world, "order 2", region="us")
    _publish(world, "order 3", region="eu")
    world.sqs.create_queue("analytics")
    sub = world.sns.subscribe("orders.fifo", "analytics", filter_policy='{"region": ["eu"]}')
    world.sns.archives.replay(sub, 0)
    assert [m["Message"] for m in _messages(world, "analytics")] == ["order 1", "order 3"]


def test_messages_published_before_the_archive_policy_are_not_archived() -> None:
    """The archive starts with the policy: a replay can't start before the topic's
    BeginningArchiveTime (fact sns_replay)."""
    world = World()
    _topic(world, days=None)
    _publish(world, "before")
    world.advance(60)
    world.sns.archives.set_archive_policy("orders.fifo", 7)
    _publish(world, "after")
    with pytest.raises(InvalidParameter, match="BeginningArchiveTime"):
        world.sns.archives.replay("sub1", 0)
    assert world.sns.archives.replay("sub1", 60_000) == 1


def test_the_archive_forgets_what_is_older_than_its_retention() -> None:
    """Published messages are kept for the retention period of the archive policy
    (fact sns_archive_retention), then they can no longer be replayed."""
    world = World()
    _topic(world, days=1)
    _publish(world, "old")
    world.advance(86_400 + 60)
    _publish(world, "new")
    assert world.sns.archives.replay("sub1", 0) == 1


def test_a_topic_without_an_archive_has_nothing_to_replay() -> None:
    """Replay needs the topic owner's ArchivePolicy (fact sns_replay)."""
    world = World()
    _topic(world, days=None)
    with pytest.raises(InvalidParameter, match="ArchivePolicy"):
        world.sns.archives.replay("sub1", 0)
