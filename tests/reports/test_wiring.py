"""Pointing a policy's reporting at one endpoint."""

from __future__ import annotations

from typing import Any

import pytest

from secheaders import SecurityPolicy
from secheaders.presets import load_preset
from secheaders.reports.wiring import ReportingSetup, endpoints_value, with_reporting

PATH = "/_secheaders/reports"


def headers(policy: SecurityPolicy) -> dict[str, str]:
    return dict(policy.to_headers())


def test_every_csp_policy_reports_to_the_endpoint() -> None:
    policy = SecurityPolicy.model_validate(
        {
            "content-security-policy": [{"default-src": ["'self'"]}, {"img-src": ["'self'"]}],
            "content-security-policy-report-only": {"script-src": ["'self'"]},
        }
    )
    wired = with_reporting(policy, ReportingSetup(PATH), report_to=True).to_headers()
    assert wired == [
        ("Content-Security-Policy", f"default-src 'self'; report-uri {PATH}; report-to secheaders"),
        ("Content-Security-Policy", f"img-src 'self'; report-uri {PATH}; report-to secheaders"),
        (
            "Content-Security-Policy-Report-Only",
            f"script-src 'self'; report-uri {PATH}; report-to secheaders",
        ),
    ]  # no Reporting-Endpoints: a path is named per request  # a path is named per request


def test_without_report_to_only_report_uri_is_sent() -> None:
    wired = with_reporting(load_preset("strict"), ReportingSetup(PATH), report_to=False)
    csp = headers(wired)["Content-Security-Policy"]
    assert csp.endswith(f"report-uri {PATH}")
    assert "report-to" not in csp
    assert headers(wired)["Cross-Origin-Opener-Policy"] == "same-origin"


def test_existing_report_uris_are_kept() -> None:
    policy = SecurityPolicy.model_validate(
        {"content-security-policy": {"default-src": ["'self'"], "report-uri": ["/old"]}}
    )
    wired = headers(with_reporting(policy, ReportingSetup(PATH), report_to=True))
    assert f"report-uri /old {PATH}; report-to secheaders" in wired["Content-Security-Policy"]


def test_cross_origin_and_permissions_policy_report_to_when_asked() -> None:
    policy = SecurityPolicy.model_validate(
        {
            "cross-origin-opener-policy": "same-origin",
            "cross-origin-embedder-policy": "require-corp",
            "cross-origin-opener-policy-report-only": "same-origin",
            "permissions-policy": {"camera": [], "geolocation": ["self"]},
        }
    )
    every = frozenset({"csp", "coop", "coep", "permissions-policy"})
    wired = headers(with_reporting(policy, ReportingSetup(PATH, "r", every), report_to=True))
    assert wired["Cross-Origin-Opener-Policy"] == 'same-origin;report-to="r"'
    assert wired["Cross-Origin-Opener-Policy-Report-Only"] == 'same-origin;report-to="r"'
    assert wired["Cross-Origin-Embedder-Policy"] == 'require-corp;report-to="r"'
    assert wired["Permissions-Policy"] == "camera=();report-to=r, geolocation=(self);report-to=r"
    only_csp = headers(
        with_reporting(policy, ReportingSetup(PATH, "r", frozenset({"csp"})), report_to=True)
    )
    assert only_csp["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "report-to" not in only_csp["Permissions-Policy"]


def test_an_absolute_endpoint_is_written_into_the_policy() -> None:
    setup = ReportingSetup("https://reports.example/csp", headers=frozenset({"csp", "default"}))
    wired = headers(with_reporting(load_preset("basic"), setup, report_to=True))
    assert wired["Reporting-Endpoints"] == (
        'secheaders="https://reports.example/csp", default="https://reports.example/csp"'
    )
    assert (
        "report-uri https://reports.example/csp; report-to secheaders"
        in (wired["Content-Security-Policy"])
    )


def test_a_policy_reporting_elsewhere_is_refused() -> None:
    policy = SecurityPolicy.model_validate(
        {"content-security-policy": {"default-src": ["'self'"], "report-to": "mine"}}
    )
    with pytest.raises(ValueError, match=r"already reports to 'mine'.*report_group='mine'"):
        with_reporting(policy, ReportingSetup(PATH), report_to=True)
    same = with_reporting(policy, ReportingSetup(PATH, group="mine"), report_to=True)
    assert "report-to mine" in headers(same)["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"endpoint": ""}, "must be a path"),
        ({"endpoint": "reports"}, "absolute URL"),
        ({"endpoint": "http://reports.example/"}, "not potentially trustworthy"),
        ({"endpoint": "/r\r\nSet-Cookie: a=b"}, "report_endpoint"),
        ({"endpoint": "/r; script-src *"}, "report_endpoint"),
        ({"endpoint": '/r"x'}, "report_endpoint"),
        ({"endpoint": "/r,x"}, "report_endpoint"),
        ({"endpoint": PATH, "group": "Bad Name"}, "report_group"),
        ({"endpoint": PATH, "headers": frozenset({"csp", "xfo"})}, "unknown xfo"),
        ({"endpoint": PATH, "sample_rate": 1.5}, "from 0 to 1"),
        ({"endpoint": PATH, "sample_rate": True}, "from 0 to 1"),
    ],
)
def test_setup_errors(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ReportingSetup(**kwargs)


@pytest.mark.parametrize(
    ("host", "url"),
    [
        ("app.example", "https://app.example/r"),
        ("app.example:8443", "https://app.example:8443/r"),
        ("[::1]:5000", "https://[::1]:5000/r"),
        ('evil"host', "/r"),
        ("évil.example", "/r"),
        ("a b", "/r"),
        ("", "/r"),
    ],
)
def test_endpoints_value_names_the_request_host_when_it_is_a_plain_host(
    host: str, url: str
) -> None:
    assert endpoints_value("https", host, "/r", ("g",)) == f'g="{url}"'
