"""A real moto server on a loopback port, fake credentials, and the CLI run in-process.

No test here reaches AWS: the server listens on 127.0.0.1, every run is pointed at it with
`--against http://127.0.0.1:PORT`, the credentials are fake, and `no_other_host` records every
socket the test process connects and fails the test on anything but loopback.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

FAKE_AWS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
}
PREFIX = "studyaws-verify-"


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    """A moto server (SQS, SNS, STS) on a free loopback port, for the whole session."""
    pytest.importorskip("moto.server")
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(autouse=True)
def _fake_aws(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    for key, value in FAKE_AWS.items():
        monkeypatch.setenv(key, value)
    for key in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(key, raising=False)
    # no shared config or credentials file of the machine's user
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "aws-credentials"))


@pytest.fixture
def no_other_host(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every address the process connects to; anything but loopback fails the test at once."""
    seen: list[Any] = []
    original = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> Any:
        seen.append(address)
        host = address[0] if isinstance(address, tuple) else str(address)
        assert host in ("127.0.0.1", "::1", "localhost"), f"a test tried to reach {address}"
        return original(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    return seen


@pytest.fixture
def moto(moto_url: str) -> Any:
    """boto3 clients on the moto server, to look at what a run left behind."""
    import boto3

    session = boto3.session.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
    )
    return Clients(
        session.client("sqs", endpoint_url=moto_url), session.client("sns", endpoint_url=moto_url)
    )


@dataclass
class Clients:
    sqs: Any
    sns: Any

    def leftovers(self) -> list[str]:
        """Every queue and topic on the server named studyaws-verify-…"""
        queues = self.sqs.list_queues(QueueNamePrefix=PREFIX).get("QueueUrls", [])
        topics = [t["TopicArn"] for t in self.sns.list_topics().get("Topics", [])]
        return [u.rsplit("/", 1)[-1] for u in queues] + [
            a.rsplit(":", 1)[-1] for a in topics if a.rsplit(":", 1)[-1].startswith(PREFIX)
        ]


@pytest.fixture
def cli(cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    """The shared `cli` (tests/conftest.py) with room for verify's wide comparison tables."""
    monkeypatch.setenv("COLUMNS", "160")
    return cli


def subprocess_env(home: Any) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(FAKE_AWS)
    env["STUDYAWS_HOME"] = str(home)
    env["AWS_CONFIG_FILE"] = str(home / "aws-config")
    env["AWS_SHARED_CREDENTIALS_FILE"] = str(home / "aws-credentials")
    env["COLUMNS"] = "160"
    for name in ("NO_COLOR", "FORCE_COLOR"):
        env.pop(name, None)
    return env
