"""Lambda versions, aliases and the routing of a function reference.

- Versions are immutable snapshots of `$LATEST` (lambda_versions).
- An alias points at one version and may send a whole-percent share to a second one
  (lambda_alias_routing). The split is deterministic (smooth weighted round robin), not random:
  10 % is exactly every tenth invocation.
- A reference is `f`, `f:$LATEST`, `f:3` or `f:alias`; `resolve` is the one place that reads it.
"""

from __future__ import annotations

import re
from typing import Final, NamedTuple

from studyaws.engine import events as ev
from studyaws.engine.errors import (
    InvalidParameterValueException,
    ResourceConflictException,
    ResourceNotFoundException,
)
from studyaws.engine.lambda_.config import Function, FunctionConfig, Functions
from studyaws.engine.targets import arn

LATEST: Final = "$LATEST"
_ALIAS_RE: Final = re.compile(r"^(?!^[0-9]+$)[A-Za-z0-9_-]{1,128}$")


class Alias:
    __slots__ = ("credit", "extra_version", "extra_weight", "name", "version")

    def __init__(self, name: str, version: str, extra: tuple[str, int] | None) -> None:
        self.name = name
        self.version = version
        self.extra_version = extra[0] if extra else None
        self.extra_weight = extra[1] if extra else 0  # percent
        self.credit = 0

    def route(self) -> str:
        # Smooth weighted round robin: exactly `extra_weight` in every 100 invocations.
        if self.extra_version is None or self.extra_weight <= 0:
            return self.version
        self.credit += self.extra_weight
        if self.credit >= 100:
            self.credit -= 100
            return self.extra_version
        return self.version


class Resolved(NamedTuple):
    """What a function reference names: the function, the version that runs, and the alias."""

    function: Function
    version: str
    alias: str | None


class Versions(Functions):
    """The second layer of the Lambda API: PublishVersion, CreateAlias/UpdateAlias, routing."""

    def publish_version(self, name: str) -> str:
        """PublishVersion: an immutable snapshot of `$LATEST` (lambda_versions); publishing
        again with nothing changed returns the existing latest version."""
        fn = self.function(name)
        if fn.versions and fn.last_published == fn.latest:
            return next(reversed(fn.versions))
        version = str(len(fn.versions) + 1)
        fn.versions[version] = fn.latest
        fn.last_published = fn.latest
        self.world.emit(ev.VersionPublished, "lambda_versions", name, version=version)
        return version

    def create_alias(
        self, name: str, alias: str, version: str, *, extra: tuple[str, int] | None = None
    ) -> None:
        """CreateAlias, optionally with AdditionalVersionWeights (one extra version)."""
        fn = self.function(name)
        if not _ALIAS_RE.match(alias) or alias == LATEST:
            raise InvalidParameterValueException(f"Alias name {alias!r} is not valid.")
        if alias in fn.aliases:
            raise ResourceConflictException(f"Alias already exists: {arn('lambda', name)}:{alias}")
        self._check_alias_target(fn, version, extra)
        fn.aliases[alias] = Alias(alias, version, extra)
        self._emit_alias(fn, fn.aliases[alias], "CreateAlias")

    def update_alias(
        self,
        name: str,
        alias: str,
        version: str,
        *,
        extra: tuple[str, int] | None = None,
        cause: str = "UpdateAlias",
    ) -> None:
        fn = self.function(name)
        current = fn.aliases.get(alias)
        if current is None:
            raise ResourceNotFoundException(f"Alias not found: {arn('lambda', name)}:{alias}")
        self._check_alias_target(fn, version, extra)
        current.version = version
        current.extra_version = extra[0] if extra else None
        current.extra_weight = extra[1] if extra else 0
        current.credit = 0
        self._emit_alias(fn, current, cause)

    @staticmethod
    def _check_alias_target(fn: Function, version: str, extra: tuple[str, int] | None) -> None:
        # lambda_alias_routing: an alias points to a version (not another alias); weighted
        # routing splits between two versions, weight 0.0-1.0 (here whole percent).
        for v in (version, *(extra[:1] if extra else ())):
            if v != LATEST and v not in fn.versions:
                raise ResourceNotFoundException(f"Function not found: {arn('lambda', fn.name)}:{v}")
        if extra is not None:
            if extra[0] == version or extra[0] == LATEST or version == LATEST:
                raise InvalidParameterValueException(
                    "Alias routing needs two different published versions."
                )
            if not 0 <= extra[1] <= 100:
                raise InvalidParameterValueException("Additional version weight must be 0-100 %.")

    def _emit_alias(self, fn: Function, alias: Alias, cause: str) -> None:
        self.world.emit(
            ev.AliasChanged,
            cause,
            fn.name,
            alias=alias.name,
            version=alias.version,
            additional_version=alias.extra_version,
            additional_weight=alias.extra_weight,
        )

    def resolve(self, ref: str, *, route: bool = True) -> Resolved:
        """`f`, `f:3`, `f:$LATEST` or `f:alias` → the function, its version and alias, or
        ResourceNotFoundException. `route=True` routes one request (an alias with a weighted
        second version may pick it); `route=False` only looks (an alias gives its main
        version), for configuration checks."""
        name, _sep, qualifier = ref.partition(":")
        fn = self.function(name)
        if not qualifier or qualifier == LATEST:
            return Resolved(fn, LATEST, None)
        if qualifier in fn.versions:
            return Resolved(fn, qualifier, None)
        alias = fn.aliases.get(qualifier)
        if alias is None:
            raise ResourceNotFoundException(
                f"Function not found: {arn('lambda', name)}:{qualifier}"
            )
        return Resolved(fn, alias.route() if route else alias.version, alias.name)

    @staticmethod
    def config_of(fn: Function, version: str) -> FunctionConfig:
        return fn.latest if version == LATEST else fn.versions[version]
