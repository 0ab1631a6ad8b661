"""S3 event notifications refuse FIFO destinations (issue 15, item 5): the configuration is an
error, instead of being accepted and every event then dropped."""

from __future__ import annotations

import pytest

from studyaws.engine.errors import InvalidArgument


def test_a_fifo_queue_is_not_an_event_destination(sim) -> None:
    """AWS::S3::Bucket QueueConfiguration, Queue: "FIFO queues are not allowed when enabling an
    SQS queue as the event notification destination."
    (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-s3-bucket-queueconfiguration.html)"""
    sim.queue("events.fifo", fifo=True, content_based_dedup=True)
    sim.world.s3.create_bucket("photos")
    with pytest.raises(InvalidArgument, match="FIFO"):
        sim.world.s3.put_bucket_notification("photos", "events.fifo")
    assert sim.world.snapshot()["buckets"]["photos"]["notifications"] == []


def test_a_fifo_topic_is_not_an_event_destination(sim) -> None:
    """ "Currently, Standard SNS is only allowed as an S3 event notification destination, whereas
    SNS FIFO is not allowed." (S3 user guide, event notification destinations, quoted in
    https://www.repost.aws/questions/QU4Djq4-FdStqR673M0dm3iQ/unable-to-create-s3-notification-to-sns-topic)"""
    sim.world.sns.create_topic("events.fifo", fifo=True)
    sim.world.s3.create_bucket("photos")
    with pytest.raises(InvalidArgument, match="FIFO"):
        sim.world.s3.put_bucket_notification("photos", "sns:events.fifo")


def test_standard_destinations_still_get_the_events(sim) -> None:
    sim.queue("events")
    sim.world.s3.create_bucket("photos")
    sim.world.s3.put_bucket_notification("photos", "events", events="created")
    sim.world.s3.put_object("photos", "a.jpg", size=10)
    assert sim.counts("events") == (2, 0, 0)  # the test event and ObjectCreated:Put
