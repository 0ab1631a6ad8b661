"""The semantics engine: a pure, deterministic discrete-event model of SQS (part 2: SNS, Lambda).

Start with `World(seed)`; the services hang off it (`world.sqs`). See `clock.py` for time and the
order of same-instant events, `events.py` for the log, `errors.py` for the AWS error codes.
"""

from studyaws.engine.errors import AwsError
from studyaws.engine.events import Event
from studyaws.engine.world import CHAOS_ON, Chaos, World

__all__ = ["CHAOS_ON", "AwsError", "Chaos", "Event", "World"]
