"""The app the report load test serves with gunicorn: every delivered report is appended,
as its key, to the file named by ``SECHEADERS_LOAD_DELIVERED``."""

from __future__ import annotations

import json
import os
import threading

from flask import Flask

from secheaders.flask import Secure
from secheaders.reports import Violation

app = Flask(__name__)
secure = Secure(
    app,
    preset="strict",
    report_endpoint="/_secheaders/reports",
    report_dedupe_window=3600,  # longer than the test: every repeat is a duplicate
)
_lock = threading.Lock()
_out = open(os.environ["SECHEADERS_LOAD_DELIVERED"], "a", buffering=1)  # noqa: SIM115


@secure.on_report
def record(violation: Violation) -> None:
    with _lock:
        _out.write(json.dumps(violation.key()) + "\n")


@app.route("/")
def index() -> str:
    return "ok"
