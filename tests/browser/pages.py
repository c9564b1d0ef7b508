"""The site the browser tests visit, served by a real HTTP server on two loopback ports.

Each preset gets its own Flask app with ``Secure(app, preset=name)``, mounted at ``/<preset>``.
Every page of that app exists twice: ``/<preset>/<page>`` under the preset (with the page's own
``@secure.override`` / ``@secure.extend`` change, if any) and ``/<preset>/exempt/<page>`` under
``@secure.exempt``, the control that shows the page itself works when no policy is in force.

The root app has no secheaders at all: it plays the other sites (a page that frames, a page that
opens a popup, a form target, an image host).

Origins (the same server answers for all of them):

- ``app``: ``http://127.0.0.1:A``, the app under test;
- ``other``: ``http://127.0.0.1:B``, another origin;
- ``third``: ``http://localhost:B``, a third origin;
- ``app_named`` / ``other_named``: ``http://app.test:A`` / ``http://other.test:B``, names that are
  not loopback for the app or for Chromium (the browser maps ``*.test`` to 127.0.0.1);
- ``secure``: ``https://127.0.0.1:C``, the same site over TLS with a throwaway self-signed
  certificate (made with the ``openssl`` command; the browser context accepts it).
"""

from __future__ import annotations

import json
import shutil
import ssl
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlencode, urlsplit

from flask import Flask, Response, render_template_string, request
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from secheaders import Secure, load_preset, presets
from secheaders.compiled import CompiledPolicy
from secheaders.policy import SecurityPolicy
from secheaders.reports import Violation

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

PRESETS = tuple(presets())
GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)
ChangeKind = Literal["override", "extend"]


@dataclass(frozen=True)
class Origins:
    """The origins the site answers on (see the module docstring)."""

    app: str
    other: str
    third: str
    app_named: str
    other_named: str
    secure: str


@dataclass(frozen=True)
class Page:
    """One page of a preset app; ``change`` is the view's decorator and its arguments."""

    name: str
    template: str
    change: tuple[ChangeKind, dict[str, Any]] | None = None


# --- templates ----------------------------------------------------------------------------
# Pages push what ran into ``marks``; the probe script each test context installs defines it,
# along with ``violations`` (every securitypolicyviolation event of the document).

SCRIPTS = """<!doctype html>
<html><head><title>scripts</title>
<script nonce="{{ csp_nonce() }}">
  marks.push("inline-nonce");
  try { eval("marks.push('eval')"); } catch (error) { marks.push("eval-threw:" + error.name); }
  const loaded = document.createElement("script");
  loaded.src = "{{ url_for('script_js', tag='dynamic') }}";
  loaded.onload = loaded.onerror = () => marks.push("dynamic-settled");
  document.head.append(loaded);
  document.addEventListener("DOMContentLoaded", () => {
    document.getElementById("handler").addEventListener("click", () => marks.push("listener"));
  });
</script>
<script>marks.push("inline-no-nonce");</script>
<script src="{{ url_for('script_js', tag='parser-no-nonce') }}"></script>
<script nonce="{{ csp_nonce() }}" src="{{ url_for('script_js', tag='parser-nonce') }}"></script>
</head>
<body><button id="handler" onclick="marks.push('onclick')">click</button></body></html>
"""

NO_NONCE = """<!doctype html>
<html><head><title>no nonce</title>
<script>marks.push("inline");</script>
<script src="{{ url_for('script_js', tag='parser') }}"></script>
</head><body></body></html>
"""

BASE = """<!doctype html>
<html><head><base href="{{ request.args['href'] }}"><title>base</title></head>
<body><a id="link" href="page">a relative link</a></body></html>
"""

FRAME_TARGET = """<!doctype html>
<html><head><title>frame target</title></head><body><p id="framed">framed</p></body></html>
"""

OBJECT = """<!doctype html>
<html><head><title>object</title></head>
<body><object id="object" data="/object-target" type="text/html"></object></body></html>
"""

FORM = """<!doctype html>
<html><head><title>form</title></head>
<body><form method="post" action="{{ request.args['action'] }}">
<input type="hidden" name="field" value="value"><button id="submit">send</button>
</form></body></html>
"""

PLAIN = """<!doctype html>
<html><head><title>{{ request.endpoint }}</title></head><body><p>plain</p></body></html>
"""

IMAGES = """<!doctype html>
<html><head><title>images</title></head>
<body>{% for src in request.args.getlist('src') %}<img src="{{ src }}">{% endfor %}</body></html>
"""


def preset_pages(origins: Origins) -> dict[str, Page]:
    """The pages of every preset app, by name."""
    pages = [
        Page("scripts", SCRIPTS),
        # The same page with eval allowed: proves the eval probe can see eval run.
        Page("scripts-eval", SCRIPTS, ("extend", {"csp": {"script-src": ["'unsafe-eval'"]}})),
        Page("no-nonce", NO_NONCE),
        Page("base", BASE),
        Page("frame-target", FRAME_TARGET),
        Page(
            "embeddable",
            FRAME_TARGET,
            ("override", {"csp": {"frame-ancestors": [origins.other]}, "x_frame_options": None}),
        ),
        Page("object", OBJECT),
        Page("form", FORM),
        Page("permissions", PLAIN),
        Page(
            "permissions-geolocation",
            PLAIN,
            ("override", {"permissions_policy": {"geolocation": ["self"]}}),
        ),
        Page("coop", PLAIN),
        Page(
            "images",
            IMAGES,
            ("extend", {"csp": {"img-src": [origins.other, "http://other.test:*"]}}),
        ),
    ]
    return {page.name: page for page in pages}


def view_policy(preset: str, page: Page) -> SecurityPolicy:
    """The policy a page's view is compiled with: the preset, then the view's change."""
    policy = load_preset(preset)
    if page.change is None:
        return policy
    kind, changes = page.change
    return policy.replace(**changes) if kind == "override" else policy.extend(**changes)


def expected_policy(preset: str, page: Page, url: str, nonce: str | None) -> SecurityPolicy:
    """The policy a plain-HTTP response of ``page`` at ``url`` carries, as a browser reads it.

    The project renders it (no HSTS over plain HTTP; no upgrade-insecure-requests for a
    loopback host; the nonce where the page asked for one); the browser tests then check that
    the browser does what this policy says.
    """
    host = urlsplit(url).netloc
    compiled = CompiledPolicy.compile(view_policy(preset, page))
    return SecurityPolicy.from_headers(compiled.for_request(False, host).render(nonce, host))


def _preset_app(preset: str, pages: dict[str, Page]) -> Flask:
    app = Flask(f"browser_{preset.replace('-', '_')}")
    secure = Secure(app, preset=preset)

    def render(page: Page) -> Callable[[], str]:
        def view() -> str:
            return render_template_string(page.template)

        return view

    for page in pages.values():
        view = render(page)
        if page.change is not None:
            # @secure.override(**changes) or @secure.extend(**changes), as an app writes them,
            # e.g. @secure.override(csp={"frame-ancestors": [...]}, x_frame_options=None)
            kind, changes = page.change
            decorator = secure.override if kind == "override" else secure.extend
            view = decorator(**changes)(view)
        app.add_url_rule(f"/{page.name}", page.name, view)
        app.add_url_rule(f"/exempt/{page.name}", f"exempt_{page.name}", secure.exempt(render(page)))

    @app.route("/script.js")
    def script_js() -> Response:
        return Response(
            f"marks.push({json.dumps(request.args['tag'])});", mimetype="text/javascript"
        )

    return app


@dataclass
class Hit:
    """A request that reached the image host (``/pixel.gif``)."""

    scheme: str
    host: str
    token: str


@dataclass(repr=False)
class Site:
    """The running site: its origins, its pages, the image requests it received and the
    reports the ``/reporting`` app's receiver delivered."""

    origins: Origins
    pages: dict[str, Page]
    hits: list[Hit] = field(default_factory=list)
    reports: list[Violation] = field(default_factory=list)

    def __repr__(self) -> str:
        return f"<site at {self.origins.app} and {self.origins.other}>"

    def url(
        self,
        preset: str,
        page: str,
        *,
        exempt: bool = False,
        origin: str | None = None,
        **query: str | list[str],
    ) -> str:
        """The URL of a preset page (on the app's origin unless ``origin`` is given)."""
        if page not in self.pages:
            raise KeyError(page)
        path = f"/{preset}/exempt/{page}" if exempt else f"/{preset}/{page}"
        return _with_query(f"{origin or self.origins.app}{path}", query)

    def script(self, preset: str, tag: str) -> str:
        """The URL of the app's script that records ``tag`` when it runs."""
        return f"{self.origins.app}/{preset}/script.js?tag={tag}"

    def harness(self, origin: str, path: str, **query: str | list[str]) -> str:
        """The URL of a page of the other sites (the root app), on ``origin``."""
        return _with_query(f"{origin}{path}", query)


def _with_query(url: str, query: dict[str, str | list[str]]) -> str:
    return f"{url}?{urlencode(query, doseq=True)}" if query else url


REPORTING = """<!doctype html>
<html><head><title>reporting</title>
<script nonce="{{ csp_nonce() }}">marks.push("nonced");</script>
<script>marks.push("inline");</script>
<script src="{{ url_for('script_js', tag='self') }}"></script>
</head><body></body></html>
"""
#: The ``/reporting`` app: a staged roll-out, ``basic`` enforced and a nonce-based script
#: policy in report-only, both reporting to the app's own receiver.
REPORTING_POLICY = load_preset("basic").replace(
    csp_report_only={"script-src": ["'nonce'", "'strict-dynamic'"], "object-src": []}
)
REPORT_PATH = "/_secheaders/reports"


def _reporting_app(site: Site) -> Flask:
    app = Flask("browser_reporting")
    secure = Secure(
        app, policy=REPORTING_POLICY, report_endpoint=REPORT_PATH, report_dedupe_window=0
    )
    secure.on_report(site.reports.append)

    @app.route("/page")
    def page() -> str:
        return render_template_string(REPORTING)

    @app.route("/script.js")
    def script_js() -> Response:
        return Response(
            f"marks.push({json.dumps(request.args['tag'])});", mimetype="text/javascript"
        )

    return app


def _harness_app(site: Site) -> Flask:
    app = Flask("browser_harness")

    @app.route("/frame-parent")
    def frame_parent() -> str:
        return render_template_string(
            '<!doctype html><title>parent</title><iframe id="frame" src="{{ src }}" '
            "onload=\"marks.push('frame-load')\"></iframe>",
            src=request.args["src"],
        )

    @app.route("/blank")
    def blank() -> str:
        return "<!doctype html><title>blank</title><p>an opener</p>"

    @app.route("/object-target")
    def object_target() -> str:
        return (
            '<!doctype html><title>object</title><script>parent.marks.push("object-loaded")'
            "</script>"
        )

    @app.route("/sink", methods=["GET", "POST"])
    def sink() -> str:
        return "<!doctype html><title>sink</title><p>received</p>"

    @app.route("/pixel.gif")
    def pixel() -> Response:
        site.hits.append(Hit(request.scheme, request.host, request.args.get("token", "")))
        return Response(GIF, mimetype="image/gif")

    return app


class _QuietHandler(WSGIRequestHandler):
    """No access log lines; errors are still logged."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return


class _Late:
    """A WSGI app set after the servers are bound (the apps need the ports)."""

    app: WSGIApplication | None = None

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        assert self.app is not None
        return self.app(environ, start_response)


def _tls_context() -> ssl.SSLContext:
    """A server TLS context with a fresh self-signed certificate for 127.0.0.1."""
    openssl = shutil.which("openssl")
    if openssl is None:
        raise RuntimeError("the browser tests need the openssl command (Debian: openssl)")
    with tempfile.TemporaryDirectory() as folder:
        key, cert = Path(folder, "key.pem"), Path(folder, "cert.pem")
        subprocess.run(
            [
                openssl,
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-keyout",
                str(key),
                "-out",
                str(cert),
                "-subj",
                "/CN=127.0.0.1",
                "-addext",
                "subjectAltName=IP:127.0.0.1,DNS:localhost",
            ],
            check=True,
            capture_output=True,
        )
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
    return context


@contextmanager
def serve() -> Iterator[Site]:
    """Run the site on two loopback ports until the block ends."""
    late = _Late()
    servers: list[BaseWSGIServer] = [
        make_server("127.0.0.1", 0, late, threaded=True, request_handler=_QuietHandler)
        for _ in range(2)
    ]
    servers.append(
        make_server(
            "127.0.0.1",
            0,
            late,
            threaded=True,
            request_handler=_QuietHandler,
            ssl_context=_tls_context(),
        )
    )
    port_a, port_b, port_c = (server.server_port for server in servers)
    origins = Origins(
        app=f"http://127.0.0.1:{port_a}",
        other=f"http://127.0.0.1:{port_b}",
        third=f"http://localhost:{port_b}",
        app_named=f"http://app.test:{port_a}",
        other_named=f"http://other.test:{port_b}",
        secure=f"https://127.0.0.1:{port_c}",
    )
    site = Site(origins, preset_pages(origins))
    mounts: dict[str, WSGIApplication] = {
        f"/{preset}": _preset_app(preset, site.pages) for preset in PRESETS
    }
    mounts["/reporting"] = _reporting_app(site)
    late.app = DispatcherMiddleware(_harness_app(site), mounts)
    threads = [threading.Thread(target=server.serve_forever, daemon=True) for server in servers]
    for thread in threads:
        thread.start()
    try:
        yield site
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
        for thread in threads:
            thread.join(timeout=5)
