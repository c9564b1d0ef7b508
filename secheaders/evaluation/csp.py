"""CSP findings: the judgement of Google's CSP Evaluator, on the policy a browser enforces.

Checks run on the effective policy of a CSP3 browser (or, with ``level``, of a CSP1 or CSP2
browser): a nonce or hash cancels ``'unsafe-inline'``; ``'strict-dynamic'`` cancels host and
scheme sources, ``'self'`` and ``'unsafe-inline'``; a fetch directive that is absent falls back
along the directive table's chain.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from secheaders.headers import ContentSecurityPolicy, ContentSecurityPolicyReportOnly, parse_csp
from secheaders.headers._base import Diagnostic
from secheaders.headers.csp_directives import BY_NAME, DIRECTIVES
from secheaders.headers.csp_sources import (
    SELF,
    STRICT_DYNAMIC,
    UNSAFE_EVAL,
    UNSAFE_HASHES,
    UNSAFE_INLINE,
    HashSource,
    HostSource,
    Keyword,
    NonceSource,
    SchemeSource,
    Source,
)

from .bypass import object_bypass, script_bypass
from .findings import Finding, Severity

AnyCsp = ContentSecurityPolicy | ContentSecurityPolicyReportOnly


DEPRECATED = frozenset({"reflected-xss", "referrer", "disown-opener", "prefetch-src"})
#: What each restriction finding is about, to tell which policies restrict that family.
_FAMILY = {
    "unsafe-inline": "script",
    "unsafe-eval": "script",
    "unsafe-hashes": "script",
    "allowlist-bypass": "script",
    "allowlist-review": "script",
    "missing-script-src": "script",
    "missing-object-src": "object",
    "object-bypass": "object",
    "object-src-not-none": "object",
    "missing-base-uri": "base",
}
#: A finding's id and family: what tells policies' findings apart across policies.
_Key = tuple[str, str | None]
_PLAIN_SCHEMES = frozenset({"data", "http", "https"})
_BASE64 = re.compile(r"[A-Za-z0-9+/]+={0,2}")
_BASE64URL = re.compile(r"[A-Za-z0-9\-_]+={0,2}")
#: Each directive and its fallbacks, as (wire name, field name): the chain a browser follows.
_CHAINS = {
    spec.name: tuple((name, name.replace("-", "_")) for name in (spec.name, *spec.fallback))
    for spec in DIRECTIVES
}
#: Findings are immutable and the same ones come back policy after policy (the advisories,
#: the same hosts): one object per distinct finding, found again at the cost of a hash.
_finding = lru_cache(maxsize=8192)(Finding)
#: ``Severity.rank``, looked up once: the sort key of every finding.
_RANK = {severity: severity.rank for severity in Severity}


@dataclass(frozen=True, slots=True)
class PolicyAnswers:
    """Plain answers about one policy, as a browser of ``level`` enforces it."""

    inline_scripts_run: bool
    eval_runs: bool
    matches_nothing: tuple[str, ...]


@dataclass
class CspEvaluation:
    """The findings about one CSP header value (one or several policies)."""

    header: str
    policies: list[AnyCsp]
    findings: list[Finding] = field(default_factory=list)
    answers: list[PolicyAnswers] = field(default_factory=list)

    def ids(self) -> list[str]:
        """The finding ids, in order."""
        return [finding.id for finding in self.findings]


def require_level(level: int, argument: str) -> None:
    """Raise ValueError unless ``level`` is a CSP level the checks know (1, 2 or 3)."""
    if level not in (1, 2, 3):
        raise ValueError(f"{argument} is 1, 2 or 3, not {level!r}")


def evaluate_csp(
    value: str | AnyCsp | Sequence[AnyCsp], *, report_only: bool = False, level: int = 3
) -> CspEvaluation:
    """Judge a CSP header value (or parsed policies) as Google's CSP Evaluator does.

    ``level`` 1 or 2 judges what a CSP1 or CSP2 browser enforces. Never raises for a header
    value: what browsers ignore becomes a ``syntax`` finding.
    """
    require_level(level, "level")
    header = "Content-Security-Policy-Report-Only" if report_only else "Content-Security-Policy"
    notes: list[Diagnostic] = []
    if isinstance(value, str):
        try:
            policies: list[AnyCsp] = list(
                parse_csp(value, report_only=True) if report_only else parse_csp(value)
            )
        except ValueError as exc:  # CR/LF or control characters: the header is dropped
            result = CspEvaluation(header, [])
            result.findings.append(
                _finding("invalid-header", Severity.SYNTAX, header, None, None, str(exc))
            )
            return result
    elif isinstance(value, ContentSecurityPolicy | ContentSecurityPolicyReportOnly):
        policies = [value]
        header = value.header_name
    else:
        policies = list(value)
        header = policies[0].header_name if policies else header
    for policy in policies:
        notes.extend(policy.diagnostics)
    result = CspEvaluation(header, policies)
    per_policy: list[list[Finding]] = []
    for policy in policies:
        findings, answers = _check_policy(policy, header, level)
        per_policy.append(findings)
        result.answers.append(answers)
    # A lone policy restricts whatever its own findings are about: each of them stands.
    single = len(policies) == 1
    governing, counts = ({}, {}) if single else _tally(policies, per_policy)
    if not policies:
        result.findings.append(
            _finding(
                "missing-script-src",
                Severity.HIGH,
                header,
                None,
                None,
                "no policy a browser enforces, so nothing is restricted",
            )
        )
    seen: set[Finding] = set()
    for findings in per_policy:
        for finding in findings:
            if single:  # one hash per finding: add, and keep it if the set grew
                size = len(seen)
                seen.add(finding)
                if len(seen) > size:
                    result.findings.append(finding)
                continue
            if finding in seen or not _stands(finding, governing, counts):
                continue
            seen.add(finding)
            result.findings.append(finding)
    result.findings.extend(_syntax(notes, header))
    result.findings.sort(key=lambda finding: _RANK[finding.severity])
    return result


def _family(finding: Finding) -> str | None:
    if finding.id in ("plain-scheme", "plain-wildcard"):
        return {"base-uri": "base", "object-src": "object"}.get(finding.directive or "", "script")
    return _FAMILY.get(finding.id)


def _key(finding: Finding) -> _Key:
    return finding.id, _family(finding)


def _governs(policy: AnyCsp, family: str) -> bool:
    if family == "base":
        return policy.base_uri is not None
    own = policy.script_src if family == "script" else policy.object_src
    return own is not None or policy.default_src is not None


def _tally(
    policies: Sequence[AnyCsp], per_policy: list[list[Finding]]
) -> tuple[dict[str, int], dict[_Key, int]]:
    """How many policies restrict each family, and how many of those found each finding key.

    One pass over the findings, so a header holding many policies costs linear time.
    """
    governing = dict.fromkeys(("script", "object", "base"), 0)
    counts: dict[_Key, int] = {}
    for policy, findings in zip(policies, per_policy, strict=True):
        governs = {family: _governs(policy, family) for family in governing}
        for family, restricted in governs.items():
            governing[family] += restricted
        for key in {_key(finding) for finding in findings}:
            if key[1] is not None and governs[key[1]]:
                counts[key] = counts.get(key, 0) + 1
    return governing, counts


def _stands(finding: Finding, governing: dict[str, int], counts: dict[_Key, int]) -> bool:
    """Browsers enforce every policy: something is allowed only if each policy allows it, and
    a policy that does not restrict a family allows all of it. So a finding stands when every
    policy that restricts its family found it too (``_tally`` counts both)."""
    family = _family(finding)
    if family is None:
        return True
    return counts.get(_key(finding), 0) == governing[family]


def effective_sources(
    policy: AnyCsp, directive: str
) -> tuple[str | None, tuple[Source, ...] | None]:
    """The directive a browser uses for ``directive`` (itself or its fallback) and its list."""
    for name, attr in _CHAINS[directive]:
        value = getattr(policy, attr)
        if value is not None:
            return name, value
    return None, None


def _keywords(sources: Iterable[Source]) -> list[Source]:
    """The keywords among ``sources``: only a Keyword equals a keyword, so ``KEYWORD in
    _keywords(sources)`` is ``KEYWORD in sources`` without an ``==`` call per host."""
    return [source for source in sources if source.__class__ is Keyword]


def honoured_script_sources(sources: tuple[Source, ...], level: int) -> list[Source]:
    """What a browser of ``level`` honours in a script list."""
    has_nonce_or_hash = any(isinstance(s, NonceSource | HashSource) for s in sources)
    strict_dynamic = STRICT_DYNAMIC in _keywords(sources) and level >= 3
    kept: list[Source] = []
    for source in sources:
        if level == 1 and isinstance(source, NonceSource | HashSource):
            continue
        keyword = source.__class__ is Keyword  # only a Keyword can equal one
        if (
            keyword
            and source == UNSAFE_INLINE
            and (strict_dynamic or (level >= 2 and has_nonce_or_hash))
        ):
            continue
        if strict_dynamic and (
            isinstance(source, HostSource | SchemeSource) or (keyword and source == SELF)
        ):
            continue
        kept.append(source)
    return kept


def _check_policy(policy: AnyCsp, header: str, level: int) -> tuple[list[Finding], PolicyAnswers]:
    """The findings about one policy, and the answers about it (from the same reading)."""
    found: list[Finding] = []
    directives = policy.directives()
    script_name, script = effective_sources(policy, "script-src")
    restricted = script is not None
    if script is None or script_name is None:
        found.append(
            _finding(
                "missing-script-src",
                Severity.HIGH,
                header,
                "script-src",
                None,
                "no script-src or default-src: any script runs",
                "add script-src with a nonce and 'strict-dynamic'",
            )
        )
        script_name, script = "script-src", ()
    facts = _script_facts(script, script_name, header, level)
    source_findings, empty = _per_source_checks(directives, header)
    answers = PolicyAnswers(
        facts.inline_runs or not restricted, facts.eval_runs or not restricted, empty
    )
    found.extend(facts.keyword_findings)
    object_name, objects = effective_sources(policy, "object-src")
    found.extend(facts.wide_findings)
    found.extend(_wide_sources(header, "object-src", objects or ()))
    if policy.base_uri is not None:
        found.extend(_wide_sources(header, "base-uri", policy.base_uri))
    found.extend(facts.host_findings)
    if objects is None:
        found.append(
            _finding(
                "missing-object-src",
                Severity.HIGH,
                header,
                "object-src",
                None,
                "no object-src or default-src: plugins that run scripts may be injected",
                "add object-src 'none'",
            )
        )
    elif not _is_none(objects):
        found.append(
            _finding(
                "object-src-not-none",
                Severity.MEDIUM_MAYBE,
                header,
                object_name,
                " ".join(map(str, objects)),
                "plugins are allowed; object-src 'none' is safest",
            )
        )
        for source in objects:
            if isinstance(source, HostSource) and (bypass := object_bypass(source)) is not None:
                found.append(
                    _finding(
                        "object-bypass",
                        Severity.HIGH,
                        header,
                        object_name,
                        str(source),
                        f"{source} serves {bypass.url}, a Flash file that can run scripts",
                    )
                )
    if facts.needs_base_uri and policy.base_uri is None:
        found.append(
            _finding(
                "missing-base-uri",
                Severity.HIGH,
                header,
                "base-uri",
                None,
                "without base-uri an injected <base> can redirect nonced relative scripts",
                "add base-uri 'none' (or 'self')",
            )
        )
    found.extend(source_findings)
    found.extend(facts.advisories)
    if policy.require_trusted_types_for is None:
        found.append(_NO_TRUSTED_TYPES[header])
    if policy.report_uri is None and policy.report_to is None:
        found.append(_NO_REPORTING[header])
    elif policy.report_to is not None and policy.report_uri is None:
        found.append(_REPORT_TO_ONLY[header])
    return found, answers


@dataclass(frozen=True, slots=True)
class _ScriptFacts:
    """What one script source list allows, and the findings about it alone."""

    inline_runs: bool
    eval_runs: bool
    needs_base_uri: bool  # nonces, or hashes with 'strict-dynamic'
    keyword_findings: tuple[Finding, ...]  # unsafe-inline, unsafe-eval, unsafe-hashes
    wide_findings: tuple[Finding, ...]  # plain-scheme, plain-wildcard
    host_findings: tuple[Finding, ...]  # allowlist-bypass, allowlist-review
    advisories: tuple[Finding, ...]  # the strict-CSP advice about the list


class _IdentityMemo:
    """Results computed from an immutable value, kept while the same object comes back.

    Parsed policies share one value per distinct directive text (the parser caches its
    readings), so the headers of a real site meet the same objects again and again. Keys are
    flat tuples that start with ``id(value)``; an entry holds its value, so that id cannot be
    reused while the entry lives.
    """

    __slots__ = ("_entries", "size")

    def __init__(self, size: int) -> None:
        self._entries: dict[tuple[object, ...], tuple[object, Any]] = {}
        self.size = size

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: tuple[object, ...], value: object) -> Any:
        """The result stored under ``key`` (which starts with ``id(value)``), or ``None``."""
        entry = self._entries.get(key)
        if entry is not None and entry[0] is value:
            return entry[1]
        return None

    def clear(self) -> None:
        """Forget every entry."""
        self._entries.clear()

    def put(self, key: tuple[object, ...], value: object, result: Any) -> None:
        """Remember ``result`` for ``value`` under ``key``; start afresh when full."""
        if len(self._entries) >= self.size:
            self._entries.clear()
        self._entries[key] = (value, result)


_SCRIPT_FACTS = _IdentityMemo(1024)


def _script_facts(
    script: tuple[Source, ...], script_name: str, header: str, level: int
) -> _ScriptFacts:
    key = (id(script), script_name, header, level)
    facts: _ScriptFacts | None = _SCRIPT_FACTS.get(key, script)
    if facts is None:
        facts = _read_script(script, script_name, header, level)
        _SCRIPT_FACTS.put(key, script, facts)
    return facts


def _read_script(
    script: tuple[Source, ...], script_name: str, header: str, level: int
) -> _ScriptFacts:
    honoured = honoured_script_sources(script, level)
    keywords = _keywords(honoured)
    inline_runs = UNSAFE_INLINE in keywords
    eval_allowed = UNSAFE_EVAL in keywords
    keyword_findings = []
    if inline_runs:
        keyword_findings.append(
            _finding(
                "unsafe-inline",
                Severity.HIGH,
                header,
                script_name,
                str(UNSAFE_INLINE),
                "'unsafe-inline' lets injected inline scripts and event handlers run",
                "use a nonce or hashes instead",
            )
        )
    if eval_allowed:
        keyword_findings.append(
            _finding(
                "unsafe-eval",
                Severity.MEDIUM_MAYBE,
                header,
                script_name,
                str(UNSAFE_EVAL),
                "'unsafe-eval' lets strings run as code (eval, new Function, setTimeout strings)",
            )
        )
    if UNSAFE_HASHES in keywords:
        keyword_findings.append(
            _finding(
                "unsafe-hashes",
                Severity.MEDIUM_MAYBE,
                header,
                script_name,
                str(UNSAFE_HASHES),
                "'unsafe-hashes' lets matching event handlers and javascript: URLs run",
            )
        )
    host_findings = []
    for source in honoured:
        if isinstance(source, HostSource) and source.host != "*":
            bypass = script_bypass(source, eval_allowed=eval_allowed)
            if bypass is not None:
                host_findings.append(
                    _finding(
                        "allowlist-bypass",
                        Severity.HIGH,
                        header,
                        script_name,
                        str(source),
                        f"{source} serves {bypass.url}, a known {bypass.kind} bypass of the "
                        "allowlist",
                        "use a nonce with 'strict-dynamic' instead of host allowlists",
                    )
                )
                continue
            review = f"no bypass is known on {source}; make sure it serves no JSONP or AngularJS"
        elif source.__class__ is Keyword and source == SELF:
            review = "'self' allows every script of this origin, including uploads and JSONP"
        else:
            continue
        host_findings.append(
            _finding(
                "allowlist-review", Severity.MEDIUM_MAYBE, header, script_name, str(source), review
            )
        )
    kinds = {type(s) for s in script}  # one pass over a long list, then a test per class
    uses_nonce = any(issubclass(kind, NonceSource) for kind in kinds)
    uses_hash = any(issubclass(kind, HashSource) for kind in kinds)
    strict_dynamic = Keyword in kinds and STRICT_DYNAMIC in _keywords(script)
    return _ScriptFacts(
        inline_runs,
        eval_allowed,
        uses_nonce or (uses_hash and strict_dynamic),
        tuple(keyword_findings),
        tuple(_wide_sources(header, script_name, honoured)),
        tuple(host_findings),
        tuple(_advisories(header, script, uses_nonce or uses_hash, strict_dynamic)),
    )


def _is_none(sources: object) -> bool:
    """``sources == (NONE,)`` without a dataclass ``==`` call."""
    return (
        isinstance(sources, tuple)
        and len(sources) == 1
        and sources[0].__class__ is Keyword
        and sources[0].name == "none"
    )


def _wide_sources(header: str, directive: str | None, sources: Iterable[Source]) -> list[Finding]:
    """``plain-scheme`` and ``plain-wildcard``: sources that allow any host."""
    found = []
    hint = "list the hosts you need, or use a nonce with 'strict-dynamic'"
    for source in sources:
        if isinstance(source, SchemeSource) and source.scheme in _PLAIN_SCHEMES:
            message = f"{source} allows content from any host over that scheme"
            found.append(
                _finding(
                    "plain-scheme", Severity.HIGH, header, directive, str(source), message, hint
                )
            )
        elif isinstance(source, HostSource) and source.host == "*":
            message = f"{source} allows content from any host"
            found.append(
                _finding(
                    "plain-wildcard", Severity.HIGH, header, directive, str(source), message, hint
                )
            )
    return found


def _per_source_checks(
    directives: dict[str, Any], header: str
) -> tuple[list[Finding], tuple[str, ...]]:
    """The per-source findings of every directive, and the directives that match nothing."""
    found: list[Finding] = []
    empty: list[str] = []
    for name, value in directives.items():
        key = (id(value), header, name)
        facts: tuple[tuple[Finding, ...], bool] | None = _DIRECTIVE_FACTS.get(key, value)
        if facts is None:
            facts = (tuple(_check_directive(header, name, value)), _is_none(value))
            _DIRECTIVE_FACTS.put(key, value, facts)
        found.extend(facts[0])
        if facts[1]:
            empty.append(name)
    return found, tuple(empty)


#: Per directive value: its findings, and whether it matches nothing.
_DIRECTIVE_FACTS = _IdentityMemo(4096)


def _check_directive(header: str, name: str, value: object) -> list[Finding]:
    found: list[Finding] = []
    if name in DEPRECATED:
        found.append(
            _finding(
                "deprecated-directive",
                Severity.INFO,
                header,
                name,
                None,
                f"{name} was removed from CSP; browsers ignore it",
            )
        )
    if not isinstance(value, tuple):
        return found
    for item in value:
        # One class test per item: most are hosts; keywords, schemes and hashes have nothing
        # to check.
        kind = item.__class__
        if kind is HostSource:
            directive_name, ip = _host_facts(item.host)
            # A directive name reads as a bare host (no scheme, port or path).
            if directive_name and item.scheme is None and item.port is None and item.path is None:
                found.append(_missing_semicolon(header, name, item))
                continue
            if item.scheme == "http":
                found.append(
                    _finding(
                        "insecure-http-source",
                        Severity.MEDIUM,
                        header,
                        name,
                        str(item),
                        f"{item} is loaded over plain HTTP",
                        "use https://",
                    )
                )
            if ip:
                found.append(
                    _finding(
                        "ip-source",
                        Severity.INFO,
                        header,
                        name,
                        str(item),
                        f"{item} is an IP address; browsers may match it unexpectedly",
                    )
                )
        elif kind is NonceSource:
            if len(item.value) < 8:
                found.append(
                    _finding(
                        "nonce-too-short",
                        Severity.MEDIUM,
                        header,
                        name,
                        str(item),
                        "a nonce this short can be guessed; use at least 128 random bits",
                    )
                )
            if not (_BASE64.fullmatch(item.value) or _BASE64URL.fullmatch(item.value)):
                found.append(
                    _finding(
                        "nonce-charset",
                        Severity.INFO,
                        header,
                        name,
                        str(item),
                        "the nonce mixes base64 and base64url characters",
                    )
                )
        elif isinstance(item, str) and item.lower() in BY_NAME:
            found.append(_missing_semicolon(header, name, item))
    return found


def _missing_semicolon(header: str, name: str, item: object) -> Finding:
    return _finding(
        "missing-semicolon",
        Severity.SYNTAX,
        header,
        name,
        str(item),
        f"{item} is a directive name inside {name}; a ';' is probably missing",
    )


@lru_cache(maxsize=8192)
def _host_facts(host: str) -> tuple[bool, bool]:
    """Whether ``host`` is a directive name (any case), and whether it is an IP address.

    Hosts come back policy after policy, and a string keeps its hash: a lookup is cheaper than
    the two tests.
    """
    return host.lower() in BY_NAME, _is_ip(host)


def clear_caches() -> None:
    """Forget every reading and judgement kept for speed, as in a fresh process.

    The answers do not depend on the caches; this is for benchmarks that time the first
    evaluation of a policy, and for tests.
    """
    # Imported here: the readers' caches live in the header modules.
    from secheaders.headers import csp as csp_reader
    from secheaders.headers import csp_directives, csp_sources

    csp_reader._read_segment.cache_clear()
    csp_directives.judge_source.cache_clear()
    csp_sources._classify.cache_clear()
    _finding.cache_clear()
    _host_facts.cache_clear()
    _DIRECTIVE_FACTS.clear()
    _SCRIPT_FACTS.clear()


def _is_ip(host: str) -> bool:
    # An IPv6 address has a colon, an IPv4 one only digits and dots (so it ends with a digit,
    # or with a bracket before the strip): most hosts are neither, and this answers them
    # without the cost of ip_address raising.
    if ":" not in host and not (host[-1:].isdigit() or host[-1:] in "[]"):
        return False
    host = host.strip("[]")
    if ":" not in host and not host.replace(".", "").isdigit():
        return False
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _advisories(
    header: str,
    script: tuple[Source, ...],
    nonce_or_hash: bool,
    strict_dynamic: bool,
) -> list[Finding]:
    """The strict-CSP advice about a script source list."""
    found: list[Finding] = []

    def advise(id_: str, message: str) -> None:
        found.append(_finding(id_, Severity.STRICT_CSP, header, "script-src", None, message))

    has_allowlist = any(
        isinstance(s, HostSource | SchemeSource) or (s.__class__ is Keyword and s == SELF)
        for s in script
    )
    if has_allowlist and not strict_dynamic:
        advise(
            "allowlist-without-strict-dynamic",
            "host allowlists are easy to bypass; use a nonce with 'strict-dynamic'",
        )
    if strict_dynamic and not nonce_or_hash:
        advise(
            "strict-dynamic-without-nonce-or-hash",
            "'strict-dynamic' without a nonce or hash blocks every script in CSP3 browsers",
        )
    if nonce_or_hash and UNSAFE_INLINE not in _keywords(script):
        advise(
            "no-unsafe-inline-fallback",
            "add 'unsafe-inline' as a fallback for CSP1 browsers (newer ones ignore it)",
        )
    if strict_dynamic and not any(
        isinstance(s, SchemeSource) and s.scheme in ("http", "https") for s in script
    ):
        advise(
            "no-allowlist-fallback",
            "add https: as a fallback for CSP2 browsers ('strict-dynamic' browsers ignore it)",
        )
    return found


def _per_header(id_: str, directive: str | None, message: str) -> dict[str, Finding]:
    """One info finding for each CSP header name."""
    return {
        header: Finding(id_, Severity.INFO, header, directive, None, message)
        for header in ("Content-Security-Policy", "Content-Security-Policy-Report-Only")
    }


_NO_TRUSTED_TYPES = _per_header(
    "no-trusted-types",
    "require-trusted-types-for",
    "require-trusted-types-for 'script' would stop DOM XSS at its sinks",
)
_NO_REPORTING = _per_header("no-reporting", None, "violations are not reported anywhere")
_REPORT_TO_ONLY = _per_header(
    "report-to-only",
    "report-to",
    "browsers without report-to support report nothing; add report-uri as well",
)


_SYNTAX_CODES = {
    "unknown-directive": "unknown-directive",
    "ignored-source": "invalid-keyword",
    "suspicious-source": "invalid-keyword",
    "hash-length": "invalid-keyword",
}


def _syntax(notes: Iterable[Diagnostic], header: str) -> list[Finding]:
    found = []
    for note in notes:
        id_ = _SYNTAX_CODES.get(note.code)
        if id_ is not None:
            found.append(
                _finding(id_, Severity.SYNTAX, header, note.directive, note.token, note.message)
            )
    return found
