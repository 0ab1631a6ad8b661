"""Execution environments: cold and warm starts, the Init limit, provisioned concurrency and
SnapStart (docs/fidelity.md, "Execution environments")."""

from __future__ import annotations

import pytest

from studyaws.engine import World
from studyaws.engine.errors import InvalidParameterValueException
from studyaws.engine.lambda_.environments import IDLE_SHUTDOWN_MS, INIT_MAX_MS


def _api(world: World, **settings) -> None:
    world.lambda_.create_function(
        "api", duration_ms=200, timeout_s=30, **{"init_ms": 2000, **settings}
    )


def _kinds(world: World) -> list[str]:
    return [e.kind for e in world.events() if e.kind.startswith("Environment")]


def test_a_new_environment_runs_init_before_the_handler() -> None:
    """ "In the Init phase, Lambda performs three tasks" (start the extensions, bootstrap the
    runtime, run the function's static code); the request that needs a new environment waits
    for it (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html)."""
    world = World()
    _api(world)
    result = world.lambda_.invoke("api", "{}")
    assert (result.start, result.init_ms, result.duration_ms) == ("cold", 2000, 200)
    [init] = [e for e in world.events() if e.kind == "EnvironmentInitialized"]
    assert (init.init_duration_ms, init.environment, init.request_id) == (2000, "on-demand", "r1")
    world.advance(5)
    [ended] = [e for e in world.events() if e.kind == "FunctionSucceeded"]
    assert ended.at_ms == 2200  # Init, then the 200 ms handler


def test_an_idle_environment_is_reused_without_init() -> None:
    """ "After the function and all extensions have completed, Lambda maintains the execution
    environment for some time in anticipation of another function invocation."
    (lambda-runtime-environment, as quoted on repost.aws/questions/QUUveUH1fGR6SHB9ZvrBsTUA)
    The next request is a warm start."""
    world = World()
    _api(world)
    world.lambda_.invoke("api", "{}")
    world.advance(5)
    warm = world.lambda_.invoke("api", "{}")
    assert (warm.start, warm.init_ms) == ("warm", 0)
    assert _kinds(world) == ["EnvironmentInitialized"]


def test_a_request_while_every_environment_is_busy_gets_a_new_one() -> None:
    """Each environment handles one request at a time: a second request while the first still
    runs needs a second environment, and waits for its Init (lambda_lifecycle_phases)."""
    world = World()
    _api(world)
    world.lambda_.invoke("api", "{}")
    world.advance(1)  # the first request runs until 2.2 s
    assert world.lambda_.invoke("api", "{}").start == "cold"
    assert _kinds(world) == ["EnvironmentInitialized", "EnvironmentInitialized"]


def test_an_idle_environment_is_shut_down_after_a_while() -> None:
    """Lambda "maintains the execution environment for some time" and "You should not assume
    that the execution environment will persist indefinitely" (lambda-runtime-environment). AWS
    gives no figure; the engine shuts an idle one down after IDLE_SHUTDOWN_MS."""
    world = World()
    _api(world)
    world.lambda_.invoke("api", "{}")
    world.advance(2.2 + IDLE_SHUTDOWN_MS / 1000 - 1)
    assert world.lambda_.invoke("api", "{}").start == "warm"
    world.advance(1 + IDLE_SHUTDOWN_MS / 1000)
    assert "EnvironmentShutDown" in _kinds(world)
    assert world.lambda_.invoke("api", "{}").start == "cold"


def test_an_init_over_10_seconds_runs_again_inside_the_invocation() -> None:
    """Fact lambda_init_timeout (lambda-runtime-environment): an on-demand Init is limited to 10
    seconds; when it doesn't finish, Lambda retries it at the first invocation, under the
    configured function timeout."""
    world = World()
    world.lambda_.create_function("slow", duration_ms=1000, timeout_s=30, init_ms=12_000)
    result = world.lambda_.invoke("slow", "{}")
    assert result.init_ms == INIT_MAX_MS
    assert result.duration_ms == 13_000  # the second Init counts in the invocation
    assert [e.kind for e in world.events()][-2:] == ["InitPhaseTimedOut", "FunctionInvoked"]


def test_an_init_retried_in_the_invocation_is_held_to_the_function_timeout() -> None:
    """The retried Init runs under the configured function timeout (fact lambda_init_timeout):
    with Init and handler over it, the invocation times out."""
    world = World()
    world.lambda_.create_function("slow", duration_ms=1000, timeout_s=12, init_ms=12_000)
    result = world.lambda_.invoke("slow", "{}")
    assert result.function_error == "Unhandled"
    assert result.payload["errorType"] == "Sandbox.Timedout"


def test_provisioned_environments_take_init_off_the_request_path() -> None:
    """Provisioned concurrency initialises environments before requests arrive; requests
    beyond them get on-demand environments (fact lambda_provisioned_concurrency)."""
    world = World()
    _api(world)
    world.lambda_.publish_version("api")
    world.lambda_.create_alias("api", "live", "1")
    world.lambda_.put_provisioned_concurrency_config("api", "live", 2)
    world.advance(60)
    starts = [world.lambda_.invoke("api:live", "{}").start for _ in range(3)]
    assert starts == ["warm", "warm", "cold"]
    # Provisioned environments are never shut down for being idle.
    world.advance(5 * IDLE_SHUTDOWN_MS / 1000)
    assert [world.lambda_.invoke("api:live", "{}").start for _ in range(2)] == ["warm", "warm"]


@pytest.mark.parametrize("qualifier", ["$LATEST", ""])
def test_provisioned_concurrency_needs_a_version_or_alias(qualifier: str) -> None:
    """Provisioned concurrency is configured on a published version or an alias, not on
    $LATEST (fact lambda_provisioned_concurrency)."""
    world = World()
    _api(world)
    with pytest.raises(InvalidParameterValueException, match="unpublished"):
        world.lambda_.put_provisioned_concurrency_config("api", qualifier, 1)


def test_provisioned_concurrency_fits_in_the_reservation() -> None:
    """With reserved concurrency, provisioned environments come out of it: more than the
    reservation is refused (fact lambda_reserved_concurrency)."""
    world = World()
    _api(world, reserved_concurrency=2)
    world.lambda_.publish_version("api")
    with pytest.raises(InvalidParameterValueException, match="reservedConcurrentExecution"):
        world.lambda_.put_provisioned_concurrency_config("api", "1", 3)


def test_snapstart_runs_init_at_publish_and_restores_new_environments() -> None:
    """ "With SnapStart, Lambda initializes your function when you publish a function version."
    "When you invoke the function version for the first time, and as the invocations scale up,
    Lambda resumes new execution environments from the cached snapshot instead of initializing
    them from scratch" (https://docs.aws.amazon.com/lambda/latest/dg/snapstart.html); "Lambda
    SnapStart can provide as low as sub-second startup performance"."""
    world = World()
    _api(world, init_ms=6000, snapstart=True)
    world.lambda_.publish_version("api")
    [snapshot] = [e for e in world.events() if e.kind == "SnapshotCreated"]
    assert (snapshot.version, snapshot.init_duration_ms) == ("1", 6000)
    result = world.lambda_.invoke("api:1", "{}")
    assert result.start == "restored"
    assert result.init_ms < 1000  # sub-second, not the 6 s Init
    assert "EnvironmentInitialized" not in _kinds(world)


def test_snapstart_applies_to_published_versions_only() -> None:
    """SnapStart "applies to published versions (and aliases that point to them), never to
    $LATEST" (fact lambda_snapstart_limits): $LATEST still runs Init."""
    world = World()
    _api(world, init_ms=6000, snapstart=True)
    world.lambda_.publish_version("api")
    assert world.lambda_.invoke("api", "{}").start == "cold"


def test_snapstart_and_provisioned_concurrency_exclude_each_other() -> None:
    """SnapStart "can't be combined with provisioned concurrency" (fact lambda_snapstart_limits)."""
    world = World()
    _api(world, snapstart=True)
    world.lambda_.publish_version("api")
    with pytest.raises(InvalidParameterValueException, match="SnapStart"):
        world.lambda_.put_provisioned_concurrency_config("api", "1", 1)


def test_a_function_without_init_logs_no_environment() -> None:
    """A function with an Init of no duration keeps the engine's log as it was: its environments
    are not tracked."""
    world = World()
    world.lambda_.create_function("plain", duration_ms=200)
    assert world.lambda_.invoke("plain", "{}").start == "untracked"
    assert _kinds(world) == []


def test_the_mapping_waits_for_a_cold_start_too() -> None:
    """An event source mapping's invocation also runs in an execution environment: the first
    batch waits for Init before its handler (lambda_lifecycle_phases)."""
    world = World()
    world.sqs.create_queue("q", visibility_timeout_s=60)
    _api(world)
    world.esm.create_event_source_mapping("q", "api", batch_size=1)
    world.sqs.send_message("q", "a")
    world.advance(10)
    deleted = [e for e in world.events() if e.kind == "BatchDeleted"]
    assert [e.at_ms for e in deleted] == [2200]
