"""Referrer-Policy: a token, or a list of tokens where the last one a browser knows wins."""

from __future__ import annotations

from typing import Any, ClassVar, Literal, Self, get_args

from pydantic import Field, field_validator

from ._base import Diagnostic, HeaderModel, HeaderParseError, policy_error, split_list, suggest

REFERRER_POLICY = "Referrer-Policy"

ReferrerPolicyToken = Literal[
    "no-referrer",
    "no-referrer-when-downgrade",
    "same-origin",
    "origin",
    "strict-origin",
    "origin-when-cross-origin",
    "strict-origin-when-cross-origin",
    "unsafe-url",
]
TOKENS: frozenset[str] = frozenset(get_args(ReferrerPolicyToken))


class ReferrerPolicy(HeaderModel):
    """How much of this page's URL is sent as ``Referer``.

    ``policy`` is one token or a fallback list: browsers use the last token they recognise,
    so ``("no-referrer", "strict-origin-when-cross-origin")`` falls back to ``no-referrer`` in
    browsers that do not know the second.
    """

    header_name: ClassVar[str] = REFERRER_POLICY
    plain_field: ClassVar[str | None] = "policy"

    policy: tuple[ReferrerPolicyToken, ...] = Field(min_length=1)

    @field_validator("policy", mode="before")
    @classmethod
    def _check_tokens(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list | tuple):
            return value
        for token in value:
            if isinstance(token, str) and token not in TOKENS:
                raise policy_error(
                    REFERRER_POLICY,
                    "unknown-token",
                    f"{token!r} is not a referrer policy{suggest(token, TOKENS)}",
                    token=token,
                )
        return tuple(value)

    @property
    def effective(self) -> ReferrerPolicyToken:
        """The token a current browser applies (the last one)."""
        return self.policy[-1]

    def to_header(self) -> str:
        """The tokens joined with ``", "``."""
        return ", ".join(self.policy)

    @classmethod
    def _read(cls, text: str) -> Self:
        found: list[Diagnostic] = []
        kept: list[str] = []
        for token in split_list(text):
            if token in TOKENS:
                kept.append(token)
            else:
                found.append(
                    Diagnostic(
                        "unknown-token",
                        REFERRER_POLICY,
                        f"{token!r} is not a referrer policy; browsers skip it"
                        + suggest(token, TOKENS),
                        token=token,
                    )
                )
        if not kept:
            raise HeaderParseError(
                REFERRER_POLICY,
                "no recognised policy; browsers use the default strict-origin-when-cross-origin",
            )
        return cls._build({"policy": kept}, found)
