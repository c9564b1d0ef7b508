"""Every model survives render -> parse unchanged, and renders only safe characters."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given

from secheaders import SecurityPolicy
from secheaders.headers import HeaderModel
from secheaders.testing.strategies import MODEL_STRATEGIES, security_policies

_VISIBLE_ASCII = re.compile(r"[\x21-\x7e]+( [\x21-\x7e]+)*")
MODELS = list(MODEL_STRATEGIES)


def _only_extra_directive_notes(model: Any) -> None:
    extra = set(getattr(model, "extra_directives", None) or ())
    for note in model.diagnostics:
        assert note.code == "unknown-directive"
        assert note.directive in extra


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_render_then_parse_gives_the_same_model(model: type[HeaderModel]) -> None:
    @given(MODEL_STRATEGIES[model])
    def check(instance: HeaderModel) -> None:
        rendered = instance.to_header()
        parsed = model.from_header(rendered)
        assert parsed == instance
        assert parsed.to_header() == rendered
        _only_extra_directive_notes(parsed)

    check()


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_rendered_value_is_visible_ascii_and_spaces(model: type[HeaderModel]) -> None:
    @given(MODEL_STRATEGIES[model])
    def check(instance: HeaderModel) -> None:
        rendered = instance.to_header()
        assert _VISIBLE_ASCII.fullmatch(rendered), rendered
        assert not {"\r", "\n", "\x00"} & set(rendered)

    check()


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_plain_form_round_trips(model: type[HeaderModel]) -> None:
    @given(MODEL_STRATEGIES[model])
    def check(instance: HeaderModel) -> None:
        plain = instance.model_dump(by_alias=True, exclude_none=True, mode="json")
        assert model.model_validate(plain) == instance

    check()


@given(MODEL_STRATEGIES[next(m for m in MODELS if m.__name__ == "ContentSecurityPolicy")])
def test_csp_never_has_separators_inside_a_directive(policy: Any) -> None:
    rendered = policy.to_header()
    assert "," not in rendered
    directives = rendered.split("; ")
    assert len(directives) == len(policy.directives())
    for directive in directives:
        assert ";" not in directive
        assert directive == directive.strip()


@given(security_policies())
def test_security_policy_round_trips_through_header_lines(policy: SecurityPolicy) -> None:
    headers = policy.to_headers()
    parsed = SecurityPolicy.from_headers(headers)
    assert parsed == policy
    assert parsed.to_headers() == headers
    assert all(note.code == "unknown-directive" for note in parsed.diagnostics)
    plain = policy.model_dump(by_alias=True, exclude_none=True, mode="json")
    assert SecurityPolicy.model_validate(plain) == policy
