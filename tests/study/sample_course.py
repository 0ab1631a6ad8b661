"""A small course built in Python, one question of each type, for the quiz tests.

Importable on its own (`PYTHONPATH=tests/study`), so subprocess tests can run the real CLI against
it without depending on the bundled question bank, which is written separately.
"""

from __future__ import annotations

from studyaws.content.model import (
    Course,
    Fact,
    NumericAnswer,
    Question,
    Section,
    Topic,
)

FACTS = {
    "sqs_visibility_max": Fact(
        id="sqs_visibility_max",
        topic="sqs",
        statement="The longest visibility timeout.",
        value=43200,
        unit="s",
        source="https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/",
        checked="2026-01-01",
    ),
    "sqs_delay_max": Fact(
        id="sqs_delay_max",
        topic="sqs",
        statement="The longest delivery delay.",
        value=900,
        unit="s",
        source="https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/",
        checked="2026-01-01",
    ),
}

VISIBILITY_MAX = Question(
    id="sqs-visibility-max",
    topic="sqs",
    type="single",
    section="visibility",
    concepts=("visibility-timeout",),
    prompt="A consumer needs up to 10 hours per message. What is the longest visibility timeout?",
    choices=(("a", "{fact:sqs_visibility_max}"), ("b", "15 minutes"), ("c", "20 seconds")),
    answer="a",
    fact="sqs_visibility_max",
    why_not=(
        ("b", "15 minutes is the maximum delay (DelaySeconds), not the visibility timeout."),
        ("c", "20 seconds is the longest long-poll wait."),
    ),
    explanation="The visibility timeout ranges from 0 seconds to 12 hours.",
    hint="Think in hours, not minutes.",
)

DLQ_FACTS = Question(
    id="sqs-dlq-multi",
    topic="sqs",
    type="multi",
    section="dlq",
    concepts=("dlq", "redrive"),
    prompt="Which statements about dead-letter queues are true?",
    choices=(
        ("a", "A FIFO queue's DLQ must be a FIFO queue"),
        ("b", "maxReceiveCount decides when a message moves"),
        ("c", "SQS deletes a message after its first failed receive"),
        ("d", "A DLQ must be in another region"),
    ),
    answer=("a", "b"),
    why_not=(
        ("c", "Failed receives make the message visible again until maxReceiveCount."),
        ("d", "The DLQ must be in the same account and region."),
    ),
    explanation="A redrive policy names the DLQ and maxReceiveCount; the DLQ type matches.",
)

DELAY_MAX = Question(
    id="sqs-delay-max",
    topic="sqs",
    type="numeric",
    section="delay",
    concepts=("delay-queue",),
    prompt="What is the longest delivery delay SQS allows?",
    answer=NumericAnswer(900, "s"),
    fact="sqs_delay_max",
    explanation="DelaySeconds goes from 0 to 15 minutes.",
)

VISIBILITY_MAX_NUMERIC = Question(
    id="sqs-visibility-max-numeric",
    topic="sqs",
    type="numeric",
    section="visibility",
    concepts=("visibility-timeout",),
    prompt="How long, at most, can a received message stay invisible?",
    answer=NumericAnswer(43200, "s"),
    fact="sqs_visibility_max",
    explanation="12 hours from the receive.",
)

LIFECYCLE = Question(
    id="sqs-lifecycle-order",
    topic="sqs",
    type="order",
    section="consumers",
    concepts=("message-lifecycle",),
    prompt="Put the life of a message in order.",
    choices=(
        ("send", "SendMessage"),
        ("receive", "ReceiveMessage"),
        ("process", "Process"),
        ("delete", "DeleteMessage"),
    ),
    answer=("send", "receive", "process", "delete"),
    explanation="A consumer deletes a message only after processing it.",
)

SEND_VISIBILITY = Question(
    id="sqs-send-visibility-tf",
    topic="sqs",
    type="truefalse",
    section="visibility",
    concepts=("visibility-timeout",),
    prompt="SendMessage can set a message's visibility timeout.",
    answer=False,
    explanation="It is set on the queue, per ReceiveMessage, or by ChangeMessageVisibility.",
)

PREDICT = Question(
    id="sqs-predict-redrive",
    topic="sqs",
    type="predict",
    section="dlq",
    concepts=("dlq",),
    prompt="What happens next?",
    explanation="The engine knows.",
    scenario="dlq-redrive",
    checkpoint="after-third-receive",
)

FANOUT = Question(
    id="sns-fanout",
    topic="sns",
    type="single",
    section="fanout",
    concepts=("fanout",),
    prompt="One event must reach three SQS queues. What do you use?",
    choices=(("a", "An SNS topic with three SQS subscriptions"), ("b", "Three Lambda functions")),
    answer="a",
    why_not=(("b", "Functions don't fan out by themselves."),),
    explanation="SNS + SQS fan-out: publish once, every subscribed queue gets a copy.",
)

SQS_QUESTIONS = (
    VISIBILITY_MAX,
    DLQ_FACTS,
    DELAY_MAX,
    VISIBILITY_MAX_NUMERIC,
    LIFECYCLE,
    SEND_VISIBILITY,
)


def _topic(topic_id: str, title: str, sections: tuple[str, ...], order: int) -> Topic:
    return Topic(
        id=topic_id,
        title=title,
        summary=f"{title} in brief.",
        order=order,
        sections=tuple(Section(id=s, title=s.title(), body="Notes.") for s in sections),
    )


def sample_course() -> Course:
    return Course(
        topics=(
            _topic("sqs", "Amazon SQS", ("consumers", "visibility", "dlq", "delay"), 1),
            _topic("sns", "Amazon SNS", ("fanout",), 2),
        ),
        facts=dict(FACTS),
        questions=(*SQS_QUESTIONS, PREDICT, FANOUT),
    )
