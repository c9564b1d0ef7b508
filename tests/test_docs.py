"""Every example in README.md and docs/ runs and prints exactly what the page shows.

A ```python block followed by a ```text block (an "Output:" line may stand between) must print
that text; a ```python block with nothing after it must print nothing. Blocks with
``title="NAME"`` are written to a scratch directory first, and ```console blocks run their
``$ command`` lines there with this environment's ``secheaders`` and ``python`` on PATH.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
FENCE = re.compile(r"^(\s*)```(\S*)(.*)$")
TIMING = re.compile(r" in \d+\.\d+s")


@dataclass
class Block:
    line: int
    lang: str
    title: str | None
    body: str
    follows_directly: bool  # only blank lines or "Output:" since the previous block


def read_blocks(page: Path) -> list[Block]:
    lines = page.read_text(encoding="utf-8").split("\n")
    blocks: list[Block] = []
    index = previous_end = 0
    while index < len(lines):
        match = FENCE.match(lines[index])
        if not match or not match.group(2):
            index += 1
            continue
        indent, lang, attrs = match.groups()
        end = index + 1
        while not re.match(rf"^{indent}```\s*$", lines[end]):
            end += 1
        body = [line.removeprefix(indent) for line in lines[index + 1 : end]]
        title = re.search(r'title="([^"]+)"', attrs)
        gap = lines[previous_end:index]
        direct = bool(blocks) and all(not text.strip() or text.strip() == "Output:" for text in gap)
        blocks.append(
            Block(index + 1, lang, title.group(1) if title else None, "\n".join(body), direct)
        )
        index = previous_end = end + 1
    return blocks


def run_python(code: str, cwd: Path) -> str:
    out = io.StringIO()
    namespace: dict[str, object] = {"__name__": "__docs__"}
    previous = Path.cwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(code, "<docs>", "exec"), namespace)
    finally:
        os.chdir(previous)
    return out.getvalue()


def run_console(body: str, cwd: Path) -> str:
    env = dict(os.environ, COLUMNS="80")
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    env.pop("PYTHONPATH", None)
    lines: list[str] = []
    for line in body.split("\n"):
        if line.startswith("$ "):
            lines.append(line)
            result = subprocess.run(
                ["bash", "-c", "exec 2>&1\n" + line[2:]],
                capture_output=True,
                text=True,
                cwd=cwd,
                env=env,
                check=False,
            )
            lines.extend(result.stdout.rstrip("\n").split("\n") if result.stdout else [])
    return "\n".join(lines)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_examples_print_what_the_page_shows(page: Path, tmp_path: Path) -> None:
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    blocks = read_blocks(page)
    for position, block in enumerate(blocks):
        if block.title and block.lang != "console":
            (tmp_path / block.title).write_text(block.body + "\n", encoding="utf-8")
            continue
        where = f"{page.name}:{block.line}"
        if block.lang == "python":
            printed = run_python(block.body + "\n", tmp_path).rstrip("\n")
            following = blocks[position + 1] if position + 1 < len(blocks) else None
            if following is not None and following.lang == "text" and following.follows_directly:
                assert printed == following.body, where
            else:
                assert printed == "", where
        elif block.lang == "console":
            shown = TIMING.sub(" in Ns", block.body)
            assert TIMING.sub(" in Ns", run_console(block.body, tmp_path)) == shown, where
