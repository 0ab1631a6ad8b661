"""An Application Load Balancer with a Lambda target: HTTP request → event JSON → HTTP response.

Rules (alb_lambda_limits, alb_multi_value_headers), cited again above the code:

- The request becomes an event with `httpMethod`, `path`, query string parameters (as sent: the
  ALB does not URL-decode them), headers (names in lower case), `body` (Base64-encoded unless the
  content type is text), `isBase64Encoded` and `requestContext.elb`.
- Multi-value headers (a target-group attribute, off by default): off ⇒ `headers` and
  `queryStringParameters` keep one value (the last); on ⇒ `multiValueHeaders` and
  `multiValueQueryStringParameters` hold lists. Never both. The response must use the same form.
- Request body and response JSON are each limited to 1 MB: a larger request gets 413, a larger
  response 502. A function error or timeout is a 502; a throttle a 503 (AWS's page does not say
  what a throttled function gives the client: docs/fidelity.md).
- The function's response `{statusCode, statusDescription, headers, body, isBase64Encoded}` is the
  HTTP response. The simulated handler echoes the request unless it is told to `respond:JSON`.
"""

from __future__ import annotations

import base64
import json
from typing import TYPE_CHECKING, Any, Final, NamedTuple
from urllib.parse import urlsplit

from studyaws.engine import events as ev
from studyaws.engine.errors import InvalidParameterValue
from studyaws.engine.lambda_.executions import Payload
from studyaws.engine.targets import ACCOUNT, REGION

if TYPE_CHECKING:
    from studyaws.engine.world import World

_TARGET_GROUP: Final = (
    f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:targetgroup/lambda-tg/0123456789abcdef"
)
LIMIT_BYTES: Final = 1024 * 1024  # alb_lambda_limits: 1 MB request body and response JSON
METHODS: Final = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
_REASONS: Final = {
    200: "OK",
    201: "Created",
    400: "Bad Request",
    404: "Not Found",
    413: "Request Entity Too Large",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


class HttpResponse(NamedTuple):
    status: int
    headers: dict[str, Any]
    body: str
    event: dict[str, Any] | None  # what the function received


# "If the content type is one of the following types, the load balancer sends the body to the
# Lambda function as is and sets isBase64Encoded to false: text/*, application/json,
# application/javascript, and application/xml. For all other types, the load balancer Base64
# encodes the body and sets isBase64Encoded to true." (lambda-functions.html, Receive events)
TEXT_CONTENT_TYPES: Final = frozenset(
    {"application/json", "application/javascript", "application/xml"}
)


def _query_pairs(query: str) -> list[tuple[str, str]]:
    """The query string's parameters as the client wrote them: "If the query parameters are
    URL-encoded, the load balancer does not decode them. You must decode them in your Lambda
    function." (lambda-functions.html, Multi-value headers)"""
    pairs = []
    for part in query.split("&"):
        if part:
            key, _sep, value = part.partition("=")
            pairs.append((key, value))
    return pairs


def _body_as_sent(headers: list[tuple[str, str]], body: str) -> tuple[str, bool]:
    """The event's `body` and `isBase64Encoded` (TEXT_CONTENT_TYPES). A request without a body
    sends "" unencoded, as the page's health-check event shows; a body without a content type is
    one of "all other types" (docs/fidelity.md)."""
    if not body:
        return "", False
    content_type = ""
    for key, value in headers:
        if key.lower() == "content-type":
            content_type = value.partition(";")[0].strip().lower()
    if content_type.startswith("text/") or content_type in TEXT_CONTENT_TYPES:
        return body, False
    return base64.b64encode(body.encode()).decode("ascii"), True


def build_event(
    method: str, target: str, headers: list[tuple[str, str]], body: str, *, multi_value: bool
) -> dict[str, Any]:
    parts = urlsplit(target)
    query = _query_pairs(parts.query)
    event: dict[str, Any] = {
        "requestContext": {"elb": {"targetGroupArn": _TARGET_GROUP}},
        "httpMethod": method,
        "path": parts.path or "/",
    }
    if multi_value:
        mq: dict[str, list[str]] = {}
        for k, v in query:
            mq.setdefault(k, []).append(v)
        mh: dict[str, list[str]] = {}
        for k, v in headers:
            mh.setdefault(k.lower(), []).append(v)
        event["multiValueQueryStringParameters"] = mq
        event["multiValueHeaders"] = mh
    else:
        # alb_multi_value_headers: off ⇒ one value per key — the last one sent.
        event["queryStringParameters"] = dict(query)
        event["headers"] = {k.lower(): v for k, v in headers}
    event["body"], event["isBase64Encoded"] = _body_as_sent(headers, body)
    return event


class Alb:
    def __init__(self, world: World) -> None:
        self.world = world

    def request(
        self,
        function: str,
        request: str,
        *,
        headers: list[tuple[str, str]] | None = None,
        body: str = "",
        body_size: int | None = None,
        multi_value: bool = False,
    ) -> HttpResponse:
        """One HTTP request (`"GET /path?q=1"`) through the ALB to a Lambda target."""
        method, _sep, target = request.strip().partition(" ")
        method = method.upper()
        if method not in METHODS or not target.startswith("/"):
            raise InvalidParameterValue(
                f"A request is METHOD /path?query, e.g. 'GET /orders?id=7' (got {request!r})."
            )
        lam = self.world.lambda_
        lam.resolve(function, route=False)
        hdrs = list(headers or [])
        event = build_event(method, target.strip(), hdrs, body, multi_value=multi_value)
        size = len(body.encode()) if body_size is None else body_size
        if size > LIMIT_BYTES:
            return self._respond(
                function, method, event["path"], None, 413, "request body over 1 MB", None
            )
        fn, version, _alias = lam.resolve(function)
        request_id = lam.next_request_id()
        execution = lam.start(
            fn,
            version,
            Payload(json.dumps(event, separators=(",", ":"))),
            invocation_type="RequestResponse",
            request_id=request_id,
        )
        if execution is None:
            lam.throttled(fn, request_id)
            return self._respond(
                function, method, event["path"], request_id, 503, "function throttled", event
            )
        self.world.settle()
        out = execution.outcome
        if out.failed:
            return self._respond(
                function,
                method,
                event["path"],
                request_id,
                502,
                f"function error {out.error_type}",
                event,
            )
        response = out.response
        if response is None:
            echo = {"method": method, "path": event["path"], "body": body}
            if multi_value:
                echo["query"] = event["multiValueQueryStringParameters"]
                echo["headers"] = event["multiValueHeaders"]
                response = {
                    "statusCode": 200,
                    "multiValueHeaders": {"content-type": ["application/json"]},
                    "body": json.dumps(echo),
                }
            else:
                echo["query"] = event["queryStringParameters"]
                echo["headers"] = event["headers"]
                response = {
                    "statusCode": 200,
                    "headers": {"content-type": "application/json"},
                    "body": json.dumps(echo),
                }
        text = json.dumps(response, separators=(",", ":"))
        if len(text.encode()) > LIMIT_BYTES:
            return self._respond(
                function, method, event["path"], request_id, 502, "response over 1 MB", event
            )
        if not isinstance(response, dict) or not isinstance(response.get("statusCode"), int):
            return self._respond(
                function,
                method,
                event["path"],
                request_id,
                502,
                "response without a statusCode",
                event,
            )
        # alb_multi_value_headers: "the response must use the same form" as the request.
        key = "multiValueHeaders" if multi_value else "headers"
        out_headers = response.get(key) or {}
        body_out = response.get("body") or ""
        return self._respond(
            function,
            method,
            event["path"],
            request_id,
            response["statusCode"],
            "function response",
            event,
            out_headers,
            str(body_out),
        )

    def _respond(
        self,
        function: str,
        method: str,
        path: str,
        request_id: str | None,
        status: int,
        reason: str,
        event: dict[str, Any] | None,
        headers: dict[str, Any] | None = None,
        body: str | None = None,
    ) -> HttpResponse:
        name = function.partition(":")[0]
        self.world.emit(
            ev.AlbRequestForwarded,
            "alb_lambda_limits",
            name,
            method=method,
            path=path,
            request_id=request_id,
        )
        self.world.emit(ev.AlbResponded, "alb_lambda_limits", name, status=status, reason=reason)
        if body is None:
            body = f"{status} {_REASONS.get(status, '')}".strip()
        return HttpResponse(status, dict(headers or {}), body, event)
