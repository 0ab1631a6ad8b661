"""Execution environments: cold and warm starts, provisioned concurrency and SnapStart.

Rules of the model, each cited again above the code that enforces it (docs/fidelity.md,
"Execution environments"):

- Every execution runs in an execution environment of its function version. An idle one is
  reused (a warm start, straight to the handler); with none idle Lambda creates one, whose Init
  phase (`--init`: the code outside the handler) runs before the handler: a cold start, and the
  request waits for it (lambda_lifecycle_phases).
- An on-demand Init may take at most 10 seconds (`INIT_MAX_MS`, lambda_init_timeout); a longer one
  is stopped and run again inside the first invocation, under the function timeout.
- After an invocation the environment is frozen and kept "for some time" for the next request.
  AWS gives no figure: the engine removes an idle on-demand environment after `IDLE_SHUTDOWN_MS`
  (a choice of the simulation, not an AWS number).
- Provisioned concurrency (a published version or an alias): that many environments are
  initialised when it is configured and never removed; requests beyond them get on-demand
  environments (lambda_provisioned_concurrency).
- SnapStart (published versions only, not with provisioned concurrency): Init runs when the version
  is published and a snapshot is saved; a new environment of that version is restored from the
  snapshot instead of running Init (lambda_snapstart_limits). The restore takes
  `SNAPSTART_RESTORE_MS` (AWS documents "sub-second" starts, not a figure).
- A function without `--init`, SnapStart or provisioned concurrency has an Init of no duration:
  its environments are not tracked and nothing is logged for them (as before this model).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, NamedTuple

from studyaws.engine import events as ev
from studyaws.engine.clock import STATE, Timer
from studyaws.engine.errors import InvalidParameterValueException, ResourceNotFoundException
from studyaws.engine.lambda_.config import ACCOUNT_CONCURRENCY, Function, FunctionConfig
from studyaws.engine.lambda_.versions import LATEST, Versions
from studyaws.engine.targets import arn

if TYPE_CHECKING:
    from studyaws.engine.world import World

INIT_MAX_MS: Final = 10_000  # lambda_init_timeout
# Not AWS numbers (AWS documents neither): how long an idle on-demand environment is kept, and
# how long a SnapStart restore takes.
IDLE_SHUTDOWN_MS: Final = 10 * 60_000
SNAPSTART_RESTORE_MS: Final = 200


class Start(NamedTuple):
    """How an execution starts: the wait before its handler runs, and what Lambda did first.

    `kind` is `warm`, `cold` (Init ran), `restored` (SnapStart) or `untracked` (a function whose
    environments the engine doesn't model). `init_in_invoke_ms` is an Init that timed out and runs
    again inside the invocation (counted in its duration, under the function timeout)."""

    wait_ms: int
    kind: str
    init_ms: int = 0
    init_in_invoke_ms: int = 0


UNTRACKED: Final = Start(0, "untracked")


class Environment:
    __slots__ = ("idle_since_ms", "pool", "provisioned", "timer")

    def __init__(self, pool: Pool, *, provisioned: bool = False) -> None:
        self.pool = pool
        self.provisioned = provisioned
        self.idle_since_ms = 0
        self.timer: Timer | None = None


class Pool:
    """The environments of one function version."""

    __slots__ = ("busy", "function", "idle", "provisioned", "snapshot", "version")

    def __init__(self, function: str, version: str) -> None:
        self.function = function
        self.version = version
        self.idle: list[Environment] = []  # the most recently used last
        self.busy = 0
        self.provisioned = 0
        self.snapshot = False


class Environments:
    """Every tracked execution environment of the world, by function version."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.clock = world.clock
        self.pools: dict[tuple[str, str], Pool] = {}

    def tracked(self, fn: Function, version: str, cfg: FunctionConfig) -> bool:
        return cfg.init_ms > 0 or cfg.snapstart or (fn.name, version) in self.pools

    def _pool(self, fn: Function, version: str) -> Pool:
        key = (fn.name, version)
        pool = self.pools.get(key)
        if pool is None:
            pool = self.pools[key] = Pool(fn.name, version)
        return pool

    def acquire(
        self, fn: Function, version: str, cfg: FunctionConfig, request_id: str
    ) -> tuple[Start, Environment | None]:
        """An environment for one execution: a warm one if one is idle, else a new one."""
        if not self.tracked(fn, version, cfg):
            return UNTRACKED, None
        pool = self._pool(fn, version)
        pool.busy += 1
        if pool.idle:
            # lambda_lifecycle_phases: "After the function and all extensions have completed,
            # Lambda maintains the execution environment for some time in anticipation of another
            # function invocation" (lambda-runtime-environment): a warm start, no Init.
            env = pool.idle.pop()
            self.clock.cancel(env.timer)
            env.timer = None
            return Start(0, "warm"), env
        env = Environment(pool)
        world = self.world
        if pool.snapshot:
            # lambda_snapstart_runtimes: "When you invoke the function version for the first
            # time, and as the invocations scale up, Lambda resumes new execution environments
            # from the cached snapshot instead of initializing them from scratch"
            # (https://docs.aws.amazon.com/lambda/latest/dg/snapstart.html).
            world.emit(
                ev.EnvironmentRestored,
                "lambda_snapstart_runtimes",
                fn.name,
                request_id=request_id,
                version=version,
                restore_duration_ms=SNAPSTART_RESTORE_MS,
            )
            return Start(SNAPSTART_RESTORE_MS, "restored"), env
        if cfg.init_ms > INIT_MAX_MS:
            # lambda_init_timeout (lambda-runtime-environment): Init is limited to 10 seconds;
            # when it doesn't finish in time, Lambda retries it at the first invocation, under
            # the configured function timeout.
            world.emit(
                ev.InitPhaseTimedOut,
                "lambda_init_timeout",
                fn.name,
                request_id=request_id,
                version=version,
            )
            return Start(INIT_MAX_MS, "cold", INIT_MAX_MS, cfg.init_ms), env
        # lambda_lifecycle_phases: "In the Init phase, Lambda performs three tasks" (start the
        # extensions, bootstrap the runtime, run the function's static code) before the first
        # request (lambda-runtime-environment).
        world.emit(
            ev.EnvironmentInitialized,
            "lambda_lifecycle_phases",
            fn.name,
            request_id=request_id,
            version=version,
            init_duration_ms=cfg.init_ms,
            environment="on-demand",
        )
        return Start(cfg.init_ms, "cold", cfg.init_ms), env

    def release(self, env: Environment | None) -> None:
        """The execution ended: its environment is frozen, idle, until reused or shut down."""
        if env is None:
            return
        pool = env.pool
        pool.busy -= 1
        env.idle_since_ms = self.clock.now_ms
        pool.idle.append(env)
        if not env.provisioned:
            env.timer = self.clock.schedule(
                self.clock.now_ms + IDLE_SHUTDOWN_MS, STATE, self._shut_down, env
            )

    def _shut_down(self, env: Environment) -> None:
        pool = env.pool
        env.timer = None
        if env in pool.idle:
            pool.idle.remove(env)
            self.world.emit(
                ev.EnvironmentShutDown,
                "lambda_lifecycle_phases",
                pool.function,
                version=pool.version,
                idle_ms=self.clock.now_ms - env.idle_since_ms,
            )

    def provision(self, fn: Function, version: str, cfg: FunctionConfig, count: int) -> None:
        """Keep `count` environments of the version initialised (the previous setting replaced)."""
        pool = self._pool(fn, version)
        pool.idle = [e for e in pool.idle if not e.provisioned]
        pool.provisioned = count
        ready = [Environment(pool, provisioned=True) for _ in range(count)]
        for env in ready:
            env.idle_since_ms = self.clock.now_ms
        pool.idle[:0] = ready
        self.world.emit(
            ev.ProvisionedConcurrencyConfigured,
            "lambda_provisioned_concurrency",
            fn.name,
            version=version,
            environments=count,
        )
        if count and cfg.init_ms:
            # lambda_provisioned_concurrency: the environments are initialised before any
            # request arrives, so Init is off the request path.
            self.world.emit(
                ev.EnvironmentInitialized,
                "lambda_provisioned_concurrency",
                fn.name,
                request_id=None,
                version=version,
                init_duration_ms=cfg.init_ms,
                environment="provisioned",
            )

    def snapshot_taken(self, fn: Function, version: str, cfg: FunctionConfig) -> None:
        self._pool(fn, version).snapshot = True
        self.world.emit(
            ev.SnapshotCreated,
            "lambda_snapstart_limits",
            fn.name,
            version=version,
            init_duration_ms=cfg.init_ms,
        )

    def provisioned(self, name: str, version: str) -> int:
        pool = self.pools.get((name, version))
        return 0 if pool is None else pool.provisioned


class Lifecycle(Versions):
    """PublishVersion with SnapStart, and PutProvisionedConcurrencyConfig."""

    def __init__(self, world: World, account_concurrency: int = ACCOUNT_CONCURRENCY) -> None:
        super().__init__(world, account_concurrency)
        self.environments = Environments(world)

    def publish_version(self, name: str) -> str:
        fn = self.function(name)
        before = len(fn.versions)
        version = super().publish_version(name)
        cfg = fn.versions[version]
        if len(fn.versions) > before and cfg.snapstart:
            # lambda_snapstart_limits: "Set ApplyOn to PublishedVersions to create a snapshot of
            # the initialized execution environment when you publish a function version."
            # (https://docs.aws.amazon.com/lambda/latest/dg/API_SnapStart.html)
            self.environments.snapshot_taken(fn, version, cfg)
        return version

    def put_provisioned_concurrency_config(self, name: str, qualifier: str, count: int) -> None:
        """PutProvisionedConcurrencyConfig on a published version or an alias."""
        fn = self.function(name)
        if qualifier == LATEST or not qualifier:
            # lambda_provisioned_concurrency: configured on a version or an alias, not $LATEST.
            raise InvalidParameterValueException(
                "Provisioned Concurrency Configs cannot be applied to unpublished function "
                "versions."
            )
        if qualifier in fn.versions:
            version = qualifier
        elif qualifier in fn.aliases:
            version = fn.aliases[qualifier].version
        else:
            raise ResourceNotFoundException(
                f"Function not found: {arn('lambda', name)}:{qualifier}"
            )
        if count < 1:
            raise InvalidParameterValueException(
                "ProvisionedConcurrentExecutions must be at least 1."
            )
        if fn.reserved is not None and count > fn.reserved:
            # lambda_reserved_concurrency: provisioned environments come out of the function's
            # reservation when it has one.
            raise InvalidParameterValueException(
                f"Requested Provisioned Concurrency ({count}) should not be greater than the "
                f"reservedConcurrentExecution ({fn.reserved}) for function {name}."
            )
        cfg = fn.versions[version]
        if cfg.snapstart:
            # lambda_snapstart_limits: SnapStart can't be combined with provisioned concurrency.
            raise InvalidParameterValueException(
                "Provisioned concurrency can't be configured on a version with SnapStart."
            )
        self.environments.provision(fn, version, cfg, count)
