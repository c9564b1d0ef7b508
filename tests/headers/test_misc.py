"""The small headers, Clear-Site-Data and Cache-Control."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from secheaders import (
    ClearSiteData,
    HeaderParseError,
    OriginAgentCluster,
    XContentTypeOptions,
    XDNSPrefetchControl,
    XPermittedCrossDomainPolicies,
    XXSSProtection,
)


def test_defaults_render_the_safe_value() -> None:
    assert XContentTypeOptions().to_header() == "nosniff"
    assert OriginAgentCluster().to_header() == "?1"
    assert XPermittedCrossDomainPolicies().to_header() == "none"
    assert XDNSPrefetchControl().to_header() == "off"
    assert XXSSProtection().to_header() == "0"
    assert XContentTypeOptions.model_validate(True) == XContentTypeOptions()


def test_nosniff_reads_only_the_first_value() -> None:
    assert XContentTypeOptions.from_header("NoSniff").value == "nosniff"
    assert [n.code for n in XContentTypeOptions.from_header("nosniff, x").diagnostics] == [
        "extra-values"
    ]
    for value in ("x, nosniff", "", "no-sniff"):
        with pytest.raises(HeaderParseError):
            XContentTypeOptions.from_header(value)


def test_origin_agent_cluster() -> None:
    assert OriginAgentCluster.from_header("?0").value is False
    assert OriginAgentCluster(value=False).model_dump() == {"value": False}
    for value in ("1", "?1, ?1", "true"):
        with pytest.raises(HeaderParseError):
            OriginAgentCluster.from_header(value)


def test_case_insensitive_keywords() -> None:
    assert XDNSPrefetchControl.from_header("OFF").value == "off"
    assert XPermittedCrossDomainPolicies.from_header("Master-Only").value == "master-only"
    with pytest.raises(HeaderParseError):
        XDNSPrefetchControl.from_header("maybe")
    with pytest.raises(ValidationError):
        XPermittedCrossDomainPolicies.model_validate("everything")


def test_xss_protection_is_zero_only() -> None:
    for value in ("1", "1; mode=block", 1):
        with pytest.raises(ValidationError, match="only '0' is allowed"):
            XXSSProtection.model_validate(value)
    legacy = XXSSProtection.from_header("1;mode=block")
    assert legacy.to_header() == "1; mode=block"
    assert [n.code for n in legacy.diagnostics] == ["filter-enabled"]
    with pytest.raises(HeaderParseError):
        XXSSProtection.from_header("2")
    zero = XXSSProtection.from_header("0; mode=block")
    assert [n.code for n in zero.diagnostics] == ["ignored-parameter"]


def test_clear_site_data() -> None:
    assert ClearSiteData.model_validate(["cache", "cookies"]).to_header() == '"cache", "cookies"'
    with pytest.raises(ValidationError, match="without quotes"):
        ClearSiteData.model_validate(['"cache"'])
    with pytest.raises(ValidationError, match="did you mean executionContexts"):
        ClearSiteData.model_validate(["executioncontexts"])
    with pytest.raises(ValidationError, match="already clears every type"):
        ClearSiteData.model_validate(["*", "cache"])
    read = ClearSiteData.from_header('"cache", cookies, "Storage", "storage"')
    assert read.types == ("cache", "storage")
    assert [n.code for n in read.diagnostics] == ["ignored-type", "ignored-type"]
