"""The built wheel carries the presets: install it alone and load every preset from it."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

ROOT = Path(__file__).parent.parent

CHECK = """
import pathlib, sys, secheaders
from secheaders import load_preset, presets
assert "site-packages" in secheaders.__file__, secheaders.__file__
names = presets()
assert names == ["api", "basic", "legacy-compatible", "strict"], names
for name in names:
    assert load_preset(name).to_headers()
print(secheaders.__file__)
"""


def test_wheel_ships_presets_and_loads_them_when_installed(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(wheels),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("secheaders-*.whl")
    target = tmp_path / "fresh"
    venv.create(target, with_pip=False)
    fresh_python = target / "bin" / "python"
    site = subprocess.run(
        [str(fresh_python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            site,
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    # Dependencies come from this environment's site-packages; secheaders itself only from
    # the wheel (the editable install's path hook is not loaded through PYTHONPATH).
    env = dict(os.environ, PYTHONPATH=sysconfig.get_paths()["purelib"])
    result = subprocess.run(
        [str(fresh_python), "-c", CHECK],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    assert result.stdout.strip().startswith(site)
