"""Lambda concurrency and throttling (docs/fidelity.md, LAM-16..18), memory, cost, VPC, versions."""

from __future__ import annotations

import pytest

from studyaws.engine.errors import (
    InvalidParameterValueException,
    TooManyRequestsException,
    ValidationException,
)


def test_lam_16_reserved_concurrency_caps_sync_invokes_with_429(sim) -> None:
    lam = sim.world.lambda_
    lam.create_function("f", reserved_concurrency=1, duration_ms=10_000, timeout_s=15)
    assert lam.invoke("f", "1").status == 200
    sim.at(1)
    with pytest.raises(TooManyRequestsException, match="ReservedFunctionConcurrent"):
        lam.invoke("f", "2")
    sim.at(11)
    assert lam.invoke("f", "3").status == 200
    lam.create_function("zero", reserved_concurrency=0)
    with pytest.raises(TooManyRequestsException):
        lam.invoke("zero", "x")


def test_lam_16_sync_function_error_is_a_200_with_function_error(sim) -> None:
    sim.world.lambda_.create_function("f", fail="always")
    result = sim.world.lambda_.invoke("f", "x")
    assert (result.status, result.function_error) == (200, "Unhandled")


def test_lam_17_throttled_async_events_queue_and_run_one_at_a_time(sim) -> None:
    lam = sim.world.lambda_
    lam.create_function("f", reserved_concurrency=1, duration_ms=2000)
    for i in range(5):
        lam.invoke_async("f", str(i))
    sim.at(600)
    assert all(e.concurrent == 1 for e in sim.events("FunctionInvoked"))
    assert [e.condition for e in sim.events("AsyncEventFinished")] == ["Success"] * 5


def test_lam_18_reserved_pool_keeps_100_unreserved(sim) -> None:
    lam = sim.world.lambda_
    with pytest.raises(InvalidParameterValueException, match=r"minimum value of \[100\]"):
        lam.create_function("big", reserved_concurrency=950)
    assert not sim.world.events()  # rejected: nothing happened
    lam.create_function("a", reserved_concurrency=900)
    with pytest.raises(InvalidParameterValueException):
        lam.create_function("b", reserved_concurrency=1)
    lam.create_function("c")
    assert lam.has_capacity(lam.functions["c"])


def test_memory_scales_duration_and_cost(sim) -> None:
    lam = sim.world.lambda_
    lam.create_function("slow", duration_ms=8000, timeout_s=10)
    lam.create_function("fast", duration_ms=8000, timeout_s=10, memory_mb=1024)
    assert lam.invoke("slow", "x").duration_ms == 8000
    assert lam.invoke("fast", "x").duration_ms == 1000
    sim.at(10)
    stats = lam.get_function_stats("fast")
    assert stats["gb_seconds"] == 1.0
    with pytest.raises(ValidationException, match="at 'memorySize'"):
        lam.create_function("huge", memory_mb=10_241)
    with pytest.raises(InvalidParameterValueException, match="4KB"):
        lam.create_function("env", env={"K": "v" * 4096})


def test_timeout_is_a_function_error(sim) -> None:
    sim.world.lambda_.create_function("f", duration_ms=5000, timeout_s=3)
    result = sim.world.lambda_.invoke("f", "x")
    assert result.function_error == "Unhandled"
    assert result.payload["errorType"] == "Sandbox.Timedout"


def test_vpc_without_nat_times_out_with_its_cause(sim) -> None:
    lam = sim.world.lambda_
    lam.create_function("private", vpc=True, timeout_s=5)
    lam.create_function("natted", vpc=True, nat=True)
    assert lam.invoke("private", "x").payload["errorType"] == "Sandbox.Timedout"
    assert lam.invoke("natted", "x").function_error is None
    sim.at(6)
    assert sim.events("NetworkCallTimedOut")[0].cause == "lambda_vpc_access"


def test_versions_alias_weights_and_canary_with_rollback(sim) -> None:
    lam = sim.world.lambda_
    lam.create_function("f")
    assert lam.publish_version("f") == "1"
    assert lam.publish_version("f") == "1"  # nothing changed
    lam.update_function("f", fail="always")
    assert lam.publish_version("f") == "2"
    lam.create_alias("f", "live", "1", extra=("2", 10))
    versions = [lam.invoke("f:live", "x").version for _ in range(20)]
    assert versions.count("2") == 2
    lam.update_alias("f", "live", "1")
    sim.world.deploy.deploy(
        "f", "live", "2", config="Canary10Percent5Minutes", rollback_on_errors=1
    )
    for _ in range(10):
        lam.invoke("f:live", "x")
    sim.at(5)
    assert sim.events("DeploymentRolledBack")
    assert lam.functions["f"].aliases["live"].version == "1"
    assert lam.functions["f"].aliases["live"].extra_version is None


def test_linear_deployment_reaches_100_percent(sim) -> None:
    lam = sim.world.lambda_
    lam.create_function("f")
    lam.publish_version("f")
    lam.update_function("f", duration_ms=500)
    lam.publish_version("f")
    lam.create_alias("f", "live", "1")
    sim.world.deploy.deploy("f", "live", "2", config="Linear10PercentEvery1Minute")
    sim.at(600)
    percents = [e.percent for e in sim.events("TrafficShifted")]
    assert percents == [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]
    assert sim.events("DeploymentSucceeded")[0].at_ms == 540_000
