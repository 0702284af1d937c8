"""The container image: a supported Node for the front-end build, a lint-clean Dockerfile, and a
build context (.dockerignore) that sends the sources and nothing local (issue #21).

No Docker engine runs where the tests do, so .dockerignore is read with Docker's own rules
(moby/patternmatcher): a pattern is relative to the context root, `*` stops at `/`, `**` does
not, and a path is left out when it or any folder above it matches.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"

# Node's LTS lines still maintained in 2026-27 (https://nodejs.org/en/about/previous-releases).
SUPPORTED_NODE_MAJORS = {22, 24}

NEVER_SENT = [
    ".venv/bin/python",
    "pwa/node_modules/sass/package.json",
    "node_modules/anything/index.js",
    "data/mypathways.db",
    "mypathways.db",
    ".git/HEAD",
    ".env",
    "app/__pycache__/main.cpython-311.pyc",
    "tests/core/__pycache__/test_language.cpython-311.pyc",
    ".pytest_cache/v/cache/lastfailed",
    ".mypy_cache/3.11/app/main.data.json",
    ".ruff_cache/CACHEDIR.TAG",
    "test-results/trace.zip",
    "bench/results/lighthouse.json",
    "bench/.tools/lighthouse/package.json",
    "pwa/dist/app.css",
    "mypathways.egg-info/PKG-INFO",
]


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    """A .dockerignore pattern as a regular expression over a '/'-separated path."""
    pattern = pattern.strip().strip("/")
    out: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out))


@cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    lines = DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
    wanted = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    assert not any(line.startswith("!") for line in wanted), "exceptions need the matcher to grow"
    return tuple(_pattern_regex(line) for line in wanted)


def left_out(path: str) -> bool:
    """Whether `docker build` leaves this path (or a folder above it) out of the context."""
    parts = path.split("/")
    prefixes = ["/".join(parts[:end]) for end in range(1, len(parts) + 1)]
    return any(regex.fullmatch(prefix) for regex in _patterns() for prefix in prefixes)


def _copied_sources() -> list[str]:
    """The build-context paths the Dockerfile copies (COPY without --from)."""
    sources: list[str] = []
    for line in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        words = line.split()
        if words[:1] == ["COPY"] and not any(word.startswith("--from") for word in words):
            sources.extend(word.rstrip("/") for word in words[1:-1] if not word.startswith("--"))
    return sources


def test_the_matcher_follows_dockers_rules() -> None:
    assert _pattern_regex("data").fullmatch("data")
    assert not _pattern_regex("data").fullmatch("app/data")
    assert _pattern_regex("**/node_modules").fullmatch("pwa/node_modules")
    assert _pattern_regex("**/node_modules").fullmatch("node_modules")
    assert _pattern_regex("*.egg-info").fullmatch("mypathways.egg-info")
    assert not _pattern_regex("*.egg-info").fullmatch("a/b.egg-info")


@pytest.mark.parametrize("path", NEVER_SENT)
def test_local_environments_data_caches_and_results_stay_out_of_the_image(path: str) -> None:
    assert left_out(path)


def test_everything_the_dockerfile_copies_is_sent() -> None:
    sources = _copied_sources()
    assert {"pyproject.toml", "app", "pwa", "migrations", "alembic.ini", "babel.cfg"} <= set(
        sources
    )
    for source in sources:
        assert not left_out(source), source
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: cannot list the tracked files")
    tracked = subprocess.run(
        ["git", "ls-files", "--", *sources],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert len(tracked) > 100
    assert [path for path in tracked if left_out(path)] == []


def test_the_front_end_is_built_on_a_supported_node_lts() -> None:
    found = re.findall(r"^FROM node:(\d+)[-.\w]* AS pwa$", DOCKERFILE.read_text(), re.MULTILINE)
    assert found, "the front-end stage should start FROM node:<major>... AS pwa"
    assert {int(major) for major in found} <= SUPPORTED_NODE_MAJORS


def test_hadolint_finds_nothing_in_the_dockerfile() -> None:
    hadolint = ROOT / ".venv" / "bin" / "hadolint"
    if not hadolint.exists():
        pytest.skip("hadolint is installed by scripts/setup.sh --test")
    result = subprocess.run(
        [str(hadolint), str(DOCKERFILE)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
