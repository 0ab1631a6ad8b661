"""An ALB in front of a Lambda function (issue 15, item 3): what the function receives.

Source: Lambda functions as targets, https://docs.aws.amazon.com/elasticloadbalancing/latest/application/lambda-functions.html
"""

from __future__ import annotations

import base64

import pytest


@pytest.fixture
def alb(sim):
    sim.world.lambda_.create_function("api", duration_ms=100)
    return sim.world.alb


def test_url_encoded_query_parameters_arrive_encoded(alb) -> None:
    """ "If the query parameters are URL-encoded, the load balancer does not decode them. You must
    decode them in your Lambda function." `?q=a%20b&tag=x%2By+z` reaches the function as sent."""
    event = alb.request("api", "GET /search?q=a%20b&tag=x%2By+z").event
    assert event["queryStringParameters"] == {"q": "a%20b", "tag": "x%2By+z"}


def test_url_encoded_multi_value_parameters_arrive_encoded(alb) -> None:
    """The same with multi-value headers on: each value as the client sent it."""
    event = alb.request("api", "GET /s?k=%41&k=b%2Fc", multi_value=True).event
    assert event["multiValueQueryStringParameters"] == {"k": ["%41", "b%2Fc"]}


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "text/csv; charset=utf-8",
        "application/json",
        "application/javascript",
        "application/xml",
    ],
)
def test_text_bodies_arrive_as_they_are(alb, content_type: str) -> None:
    """ "If the content type is one of the following types, the load balancer sends the body to the
    Lambda function as is and sets isBase64Encoded to false: text/*, application/json,
    application/javascript, and application/xml.\""""
    event = alb.request(
        "api", "POST /in", headers=[("Content-Type", content_type)], body="héllo"
    ).event
    assert (event["body"], event["isBase64Encoded"]) == ("héllo", False)


@pytest.mark.parametrize("content_type", ["image/png", "application/octet-stream", None])
def test_other_bodies_arrive_base64_encoded(alb, content_type: str | None) -> None:
    """ "For all other types, the load balancer Base64 encodes the body and sets isBase64Encoded
    to true." (A body sent without a content type is one of "all other types".)"""
    headers = [] if content_type is None else [("Content-Type", content_type)]
    event = alb.request("api", "POST /in", headers=headers, body="\x89PNG").event
    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]).decode() == "\x89PNG"


def test_an_empty_body_is_not_encoded(alb) -> None:
    """A request without a body has "body": "" and isBase64Encoded false, as the page's health
    check event shows."""
    event = alb.request("api", "GET /").event
    assert (event["body"], event["isBase64Encoded"]) == ("", False)
