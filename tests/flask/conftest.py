"""Apps used by the Flask tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

HTTPS = "https://app.example"


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    static = tmp_path / "static"
    static.mkdir()
    (static / "app.js").write_text("console.log(1)")
    flask_app = Flask(__name__, static_folder=str(static))
    flask_app.config["SERVER_NAME"] = None
    return flask_app
