"""A small Flask app showing secheaders at work (``make demo`` runs it on 127.0.0.1).

- ``/``: nonced inline and external scripts under the ``strict`` preset;
- ``/widget``: a view that partner.example may frame (a per-view override);
- ``/api/status``: JSON under the ``api`` preset (a blueprint policy);
- ``/admin/``: a page under the ``legacy-compatible`` preset (another blueprint policy).

Every policy reports to ``/_secheaders/reports``; the reports the browser sends (the injected
script on ``/`` is one) are logged to the console.
"""

from __future__ import annotations

import logging
import os

from flask import Blueprint, Flask, jsonify, render_template
from flask.typing import ResponseReturnValue

from secheaders import Secure

secure = Secure(preset="strict", report_endpoint="/_secheaders/reports")
api = Blueprint("api", __name__, url_prefix="/api")
admin = Blueprint("admin", __name__, url_prefix="/admin")


@api.route("/status")
def status() -> ResponseReturnValue:
    return jsonify(ok=True)


@admin.route("/")
def dashboard() -> str:
    return render_template("admin.html")


def create_app() -> Flask:
    """The demo app: routes, blueprints and the extension."""
    app = Flask(__name__)

    @app.route("/")
    def index() -> str:
        return render_template("index.html")

    @app.route("/widget")
    @secure.override(x_frame_options=None, csp={"frame-ancestors": ["https://partner.example"]})
    def widget() -> str:
        return render_template("widget.html")

    app.register_blueprint(api)
    app.register_blueprint(admin)
    secure.policy_for(api, preset="api")
    secure.policy_for(admin, preset="legacy-compatible")
    secure.init_app(app)
    return app


if __name__ == "__main__":
    port = int(os.environ.get("PORT", "5000"))
    base = f"http://127.0.0.1:{port}"
    print("secheaders demo: open these and look at the response headers (or run the curl lines)")
    for path, what in [
        ("/", "strict preset: nonced inline and external scripts run, an injected one does not"),
        ("/widget", "per-view override: only https://partner.example may frame it"),
        ("/api/status", "api preset on a blueprint: default-src 'none', no-store"),
        ("/admin/", "legacy-compatible preset on a blueprint"),
    ]:
        print(f"  {base}{path:<14} {what}")
    print("  violation reports the browser sends are logged below (secheaders.reports)")
    print(f"  curl -sI {base}/        # headers only")
    print("  flask --app examples/demo/app.py secheaders routes   # every endpoint's headers")
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    create_app().run(host="127.0.0.1", port=port)
