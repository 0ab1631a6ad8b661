"""CodeDeploy for Lambda: shift an alias from one version to another, and roll back on errors.

Rules (codedeploy_lambda_types, codedeploy_lambda_predefined, codedeploy_lambda_hooks):

- `Canary<P>Percent<M>Minutes`: P % to the new version, the rest M minutes later.
- `Linear<P>PercentEvery<M>Minute(s)`: P % more every M minutes until 100 %.
- `AllAtOnce`: everything at once. The `CodeDeployDefault.Lambda` prefix is optional.
- The alias carries the split (AdditionalVersionWeights). A CloudWatch alarm on the new version's
  errors (`rollback_on_errors` = N errors during the deployment) stops the deployment and puts
  the alias back on the old version (automatic rollback).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final, NotRequired, TypedDict

from studyaws.engine import events as ev
from studyaws.engine.clock import ACTOR, Timer
from studyaws.engine.errors import (
    DeploymentAlreadyStartedException,
    DeploymentConfigDoesNotExistException,
    InvalidParameterValueException,
)

if TYPE_CHECKING:
    from studyaws.engine.world import World

_CANARY_RE: Final = re.compile(r"^Canary(\d+)Percent(\d+)Minutes?$")
_LINEAR_RE: Final = re.compile(r"^Linear(\d+)PercentEvery(\d+)Minutes?$")
_PREFIX: Final = "CodeDeployDefault.Lambda"
# codedeploy_lambda_predefined: the predefined deployment configurations for Lambda (custom ones
# need CreateDeploymentConfig, which the simulation does not offer). A name is accepted with or
# without its `CodeDeployDefault.Lambda` prefix.
PREDEFINED_CONFIGS: Final = frozenset(
    {
        "Canary10Percent5Minutes",
        "Canary10Percent10Minutes",
        "Canary10Percent15Minutes",
        "Canary10Percent30Minutes",
        "Linear10PercentEvery1Minute",
        "Linear10PercentEvery2Minutes",
        "Linear10PercentEvery3Minutes",
        "Linear10PercentEvery10Minutes",
        "AllAtOnce",
    }
)


DeploymentSnapshot = TypedDict(
    "DeploymentSnapshot",
    {
        "status": str,
        "function": NotRequired[str],
        "alias": NotRequired[str],
        "from": NotRequired[str],
        "to": NotRequired[str],
    },
)


def plan(config: str) -> list[tuple[int, int]]:
    """The steps of a deployment configuration: (ms after the start, percent on the new version)."""
    name = config.removeprefix(_PREFIX) if config.startswith(_PREFIX) else config
    name = name.removeprefix("Lambda")
    if name not in PREDEFINED_CONFIGS:
        raise DeploymentConfigDoesNotExistException(
            f"The deployment configuration {config} does not exist: use one of the predefined "
            f"Lambda configurations ({', '.join(sorted(PREDEFINED_CONFIGS))}), with or without "
            f"the {_PREFIX} prefix."
        )
    if name == "AllAtOnce":
        return [(0, 100)]
    canary = _CANARY_RE.match(name)
    if canary is not None:
        percent, minutes = int(canary.group(1)), int(canary.group(2))
        if 0 < percent < 100 and minutes > 0:
            return [(0, percent), (minutes * 60_000, 100)]
    linear = _LINEAR_RE.match(name)
    if linear is not None:
        percent, minutes = int(linear.group(1)), int(linear.group(2))
        if 0 < percent < 100 and minutes > 0:
            steps = [(i * minutes * 60_000, percent * (i + 1)) for i in range(-(-100 // percent))]
            return [(at, min(p, 100)) for at, p in steps]
    raise InvalidParameterValueException(
        f"Unknown deployment configuration {config!r}: use Canary10Percent5Minutes, "
        f"Linear10PercentEvery1Minute, AllAtOnce (or another Canary/Linear variant)."
    )


class Deployment:
    __slots__ = (
        "alias",
        "baseline",
        "function",
        "id",
        "new",
        "old",
        "rollback_on",
        "steps",
        "timer",
    )

    def __init__(
        self,
        did: str,
        function: str,
        alias: str,
        old: str,
        new: str,
        steps: list[tuple[int, int]],
        rollback_on: int | None,
        baseline: int,
    ) -> None:
        self.id = did
        self.function = function
        self.alias = alias
        self.old = old
        self.new = new
        self.steps = steps
        self.rollback_on = rollback_on
        self.baseline = baseline
        self.timer: Timer | None = None


class CodeDeploy:
    def __init__(self, world: World) -> None:
        self.world = world
        self.active: dict[tuple[str, str], Deployment] = {}
        self.finished: dict[str, str] = {}
        self._count = 0

    def deploy(
        self,
        function: str,
        alias: str,
        version: str,
        *,
        config: str,
        rollback_on_errors: int | None = None,
    ) -> str:
        lam = self.world.lambda_
        fn = lam.function(function)
        current = fn.aliases.get(alias)
        if current is None:
            raise InvalidParameterValueException(
                f"Alias {alias} of {function} does not exist (create-alias first)."
            )
        steps = plan(config)
        if version not in fn.versions:
            raise InvalidParameterValueException(
                f"Version {version} of {function} does not exist (publish-version first)."
            )
        if version == current.version:
            raise InvalidParameterValueException(
                f"Alias {alias} already points to version {version}."
            )
        if (function, alias) in self.active:
            raise DeploymentAlreadyStartedException(
                f"A deployment of {function}:{alias} is already in progress."
            )
        if rollback_on_errors is not None and rollback_on_errors < 1:
            raise InvalidParameterValueException("--rollback-on-errors needs at least 1 error.")
        self._count += 1
        dep = Deployment(
            f"d{self._count}",
            function,
            alias,
            current.version,
            version,
            steps,
            rollback_on_errors,
            fn.version_errors.get(version, 0),
        )
        self.active[(function, alias)] = dep
        self.world.emit(
            ev.DeploymentStarted,
            "codedeploy_lambda_types",
            function,
            deployment=dep.id,
            alias=alias,
            from_version=dep.old,
            to_version=version,
            config=config,
        )
        self._step(dep, 0)
        return dep.id

    def _step(self, dep: Deployment, index: int) -> None:
        if self.active.get((dep.function, dep.alias)) is not dep:
            return
        lam = self.world.lambda_
        _at, percent = dep.steps[index]
        if percent >= 100:
            lam.update_alias(dep.function, dep.alias, dep.new, cause="codedeploy_lambda_types")
        else:
            lam.update_alias(
                dep.function,
                dep.alias,
                dep.old,
                extra=(dep.new, percent),
                cause="codedeploy_lambda_types",
            )
        self.world.emit(
            ev.TrafficShifted,
            "codedeploy_lambda_predefined",
            dep.function,
            deployment=dep.id,
            alias=dep.alias,
            to_version=dep.new,
            percent=percent,
        )
        if percent >= 100:
            del self.active[(dep.function, dep.alias)]
            self.finished[dep.id] = "Succeeded"
            self.world.emit(
                ev.DeploymentSucceeded, "codedeploy_lambda_types", dep.function, deployment=dep.id
            )
            return
        start = self.world.now_ms - dep.steps[index][0]
        clock = self.world.clock
        dep.timer = clock.schedule(
            start + dep.steps[index + 1][0], ACTOR, lambda _a: self._step(dep, index + 1)
        )

    def invocation_failed(self, function: str, version: str) -> None:
        """Called by Lambda on every failed execution: the rollback alarm's data point."""
        for dep in list(self.active.values()):
            if dep.function != function or dep.new != version or dep.rollback_on is None:
                continue
            fn = self.world.lambda_.functions[function]
            errors = fn.version_errors.get(version, 0) - dep.baseline
            if errors >= dep.rollback_on:
                # codedeploy_lambda_hooks: "a failing hook (or a configured CloudWatch alarm)
                # triggers rollback to the previous version".
                del self.active[(dep.function, dep.alias)]
                self.world.clock.cancel(dep.timer)
                self.finished[dep.id] = "RolledBack"
                self.world.lambda_.update_alias(
                    function, dep.alias, dep.old, cause="codedeploy_lambda_hooks"
                )
                self.world.emit(
                    ev.DeploymentRolledBack,
                    "codedeploy_lambda_hooks",
                    function,
                    deployment=dep.id,
                    errors=errors,
                )

    def snapshot(self) -> dict[str, DeploymentSnapshot]:
        out: dict[str, DeploymentSnapshot] = {d: {"status": s} for d, s in self.finished.items()}
        for dep in self.active.values():
            out[dep.id] = {
                "status": "InProgress",
                "function": dep.function,
                "alias": dep.alias,
                "from": dep.old,
                "to": dep.new,
            }
        return out
