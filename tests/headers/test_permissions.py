"""Permissions-Policy as an RFC 9651 dictionary."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from secheaders import FeatureAllowlist, HeaderParseError, PermissionsPolicy
from secheaders.headers.permissions import registry


def test_plain_form_render_and_dump() -> None:
    policy = PermissionsPolicy.model_validate(
        {
            "camera": [],
            "geolocation": ["self", "HTTPS://Maps.Example/"],
            "fullscreen": "self",
            "picture-in-picture": ["*"],
            "payment": {"allow": [], "report-to": "pp"},
        }
    )
    assert policy.to_header() == (
        'camera=(), geolocation=(self "https://maps.example"), fullscreen=(self), '
        "picture-in-picture=*, payment=();report-to=pp"
    )
    assert policy.model_dump(by_alias=True, mode="json") == {
        "camera": [],
        "geolocation": ["self", "https://maps.example"],
        "fullscreen": ["self"],
        "picture-in-picture": ["*"],
        "payment": {"allow": [], "report-to": "pp"},
    }
    assert PermissionsPolicy(features={"camera": FeatureAllowlist()}).to_header() == "camera=()"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"geolocaton": []}, "did you mean geolocation"),
        ({"interest-cohort": []}, "retired"),
        ({"window-placement": []}, "renamed window-management"),
        ({"Camera": []}, "not a valid feature name"),
        ({"camera": ["'self'"]}, "write self"),
        ({"camera": ["'none'"]}, "empty list"),
        ({"camera": ["https://a.example/path"]}, "no path"),
        ({"camera": ["*", "self"]}, "already allows every origin"),
        ({"camera": ["https://a.example\r\nX: y"]}, "CR, LF or NUL"),
        ({"camera": {"allow": [], "report-to": "Bad Name"}}, "endpoint name"),
        ({}, "at least 1"),
    ],
)
def test_authoring_errors(data: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        PermissionsPolicy.model_validate(data)


def test_escape_hatch_for_unregistered_names() -> None:
    policy = PermissionsPolicy.model_validate({"new-thing": {"allow": [], "unregistered": True}})
    assert policy.to_header() == "new-thing=()"
    assert policy.model_dump(by_alias=True, mode="json") == {
        "new-thing": {"allow": [], "unregistered": True}
    }


def test_registry_and_client_hints() -> None:
    names = registry()
    assert names["camera"] == "standardized"
    assert names["document-domain"] == "retired"
    assert PermissionsPolicy.model_validate({"ch-dpr": ["self"]}).to_header() == "ch-dpr=(self)"


def test_reading_keeps_unknown_features_and_drops_bad_items() -> None:
    policy = PermissionsPolicy.from_header(
        'camera=(self "https://a.example" https://b.example "nope" 1), foo=*, '
        "geolocation=self;report-to=geo, usb=?1"
    )
    assert policy.features["camera"].allow == ("self", "https://a.example")
    assert policy.features["foo"].unregistered
    assert policy.features["geolocation"].report_to == "geo"
    assert policy.features["usb"].allow == ()
    assert [n.code for n in policy.diagnostics] == [
        "ignored-item",
        "ignored-item",
        "ignored-item",
        "unknown-feature",
        "ignored-item",
    ]


@pytest.mark.parametrize(
    "value",
    ["Camera=()", "camera=('self')", "camera=(), ", "camera=(self", "geolocation 'none'", ""],
)
def test_one_error_voids_the_whole_field(value: str) -> None:
    with pytest.raises(HeaderParseError):
        PermissionsPolicy.from_header(value)


def test_duplicate_key_last_wins() -> None:
    assert PermissionsPolicy.from_header("camera=*, camera=()").features["camera"].allow == ()
