"""The hash-locked dependency files agree with pyproject.toml, with each other and with what
is installed; setup.sh and the Dockerfile install from them. Each check is also run on a
tampered copy, so we know it can fail."""

from __future__ import annotations

import json
import re
import sys
import tomllib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
RUNTIME_LOCK = ROOT / "requirements.lock"
DEV_LOCK = ROOT / "requirements-dev.lock"

# govuk-frontend-jinja releases and the GOV.UK Frontend release each one ports (its README's
# compatibility table). Bumping either side without the other makes the templates and the
# styles disagree, so a bump fails here until this table says the pair was checked.
JINJA_PORTS_FRONTEND = {"4.1.0": "6.3.0"}

_PIN = re.compile(
    r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s;]+)"
    r"(?:\s*;\s*(?P<marker>.+?))?(?=\s+--hash|$)"
)
_HASH = re.compile(r"--hash=sha256:[0-9a-f]{64}")


@dataclass(frozen=True)
class Pin:
    """One `name==version` entry of a lock file, with its environment marker and hashes."""

    version: Version
    marker: Marker | None
    hashes: tuple[str, ...]


def parse_lock(text: str) -> dict[str, Pin]:
    """Read a pip requirements lock: entries joined across `\\` continuations, comments dropped."""
    pins: dict[str, Pin] = {}
    for entry in _entries(text):
        found = _PIN.match(entry)
        if found is None:
            raise ValueError(f"not a pinned requirement: {entry!r}")
        marker = found["marker"].strip() if found["marker"] else None
        pins[canonicalize_name(found["name"])] = Pin(
            Version(found["version"]),
            Marker(marker) if marker else None,
            tuple(_HASH.findall(entry)),
        )
    return pins


def _entries(text: str) -> list[str]:
    entries: list[str] = []
    current = ""
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        current += " " + line.removesuffix("\\").strip()
        if not line.endswith("\\"):
            entries.append(current.strip())
            current = ""
    if current:
        entries.append(current.strip())
    return entries


def declared(pyproject: str, *, dev: bool) -> list[Requirement]:
    """The requirements pyproject.toml names: runtime, plus the dev extra when asked."""
    project = tomllib.loads(pyproject)["project"]
    names = list(project["dependencies"])
    if dev:
        names += project["optional-dependencies"]["dev"]
    return [Requirement(name) for name in names]


def problems(requirements: list[Requirement], pins: dict[str, Pin]) -> list[str]:
    """What is wrong between the declared requirements and a lock's pins (empty when they agree)."""
    found: list[str] = []
    for requirement in requirements:
        pin = pins.get(canonicalize_name(requirement.name))
        if pin is None:
            found.append(f"{requirement.name} is in pyproject.toml but not locked")
        elif not requirement.specifier.contains(pin.version, prereleases=True):
            found.append(f"{requirement.name}=={pin.version} is outside {requirement.specifier}")
    found += [f"{name} has no --hash" for name, pin in pins.items() if not pin.hashes]
    return found


def disagreements(runtime: dict[str, Pin], dev: dict[str, Pin]) -> list[str]:
    """Runtime pins the dev lock lacks or pins differently (the Docker image would differ)."""
    found: list[str] = []
    for name, pin in runtime.items():
        other = dev.get(name)
        if other is None or other.version != pin.version:
            theirs = other.version if other else "absent"
            found.append(
                f"{name}: {pin.version} in requirements.lock, {theirs} in requirements-dev.lock"
            )
        elif set(other.hashes) != set(pin.hashes):
            found.append(f"{name}: the two locks list different hashes")
    return found


def not_as_locked(pins: dict[str, Pin], installed: dict[str, str]) -> list[str]:
    """Pins for this interpreter and platform whose installed version differs or is missing."""
    return [
        f"{name}: locked {pin.version}, installed {installed.get(name, 'nothing')}"
        for name, pin in pins.items()
        if (pin.marker is None or pin.marker.evaluate()) and installed.get(name) != str(pin.version)
    ]


def installed_versions() -> dict[str, str]:
    """Every distribution `import` would load here, by normalised name: the first found on
    sys.path. Later copies are shadowed, never imported: setuptools puts its own `_vendor`
    folder (an older packaging and typing-extensions, with their dist-info) at the end of
    sys.path once anything imports it, so "last one wins" made this depend on test order."""
    found: dict[str, str] = {}
    for distribution in metadata.distributions():
        found.setdefault(canonicalize_name(distribution.metadata["Name"]), distribution.version)
    return found


PYPROJECT = (ROOT / "pyproject.toml").read_text()


@pytest.mark.parametrize(("lock", "dev"), [(RUNTIME_LOCK, False), (DEV_LOCK, True)])
def test_the_lock_pins_everything_pyproject_names_within_its_ranges(lock: Path, dev: bool) -> None:
    assert problems(declared(PYPROJECT, dev=dev), parse_lock(lock.read_text())) == []


def test_the_runtime_lock_holds_the_dev_lock_versions_and_no_dev_tools() -> None:
    runtime, dev = parse_lock(RUNTIME_LOCK.read_text()), parse_lock(DEV_LOCK.read_text())
    assert disagreements(runtime, dev) == []
    for tool in ("pytest", "ruff", "mypy", "playwright", "uv"):
        assert tool not in runtime


def test_this_environment_is_installed_exactly_from_the_dev_lock() -> None:
    assert not_as_locked(parse_lock(DEV_LOCK.read_text()), installed_versions()) == []


def test_what_setuptools_vendors_does_not_count_as_installed() -> None:
    """CI ran a test that imported setuptools first; its `_vendor` folder joined sys.path."""
    import setuptools

    vendored = Path(setuptools.__file__).parent / "_vendor"
    assert str(vendored) in sys.path
    assert any(
        canonicalize_name(d.metadata["Name"]) == "packaging"
        for d in metadata.distributions(path=[str(vendored)])
    )
    assert not_as_locked(parse_lock(DEV_LOCK.read_text()), installed_versions()) == []


def test_govuk_frontend_jinja_ports_the_govuk_frontend_the_pwa_ships() -> None:
    jinja = parse_lock(RUNTIME_LOCK.read_text())["govuk-frontend-jinja"].version
    npm_lock = json.loads((ROOT / "pwa" / "package-lock.json").read_text())
    frontend = npm_lock["packages"]["node_modules/govuk-frontend"]["version"]
    assert JINJA_PORTS_FRONTEND.get(str(jinja)) == frontend


def test_setup_and_the_image_install_from_the_locks_with_hashes() -> None:
    setup = (ROOT / "scripts" / "setup.sh").read_text()
    assert "--require-hashes -r requirements-dev.lock" in setup
    assert re.search(r"install --no-deps .*-e \.$", setup, re.MULTILINE)
    assert re.search(r"stamp pyproject\.toml requirements-dev\.lock", setup)
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "--require-hashes -r requirements.lock" in dockerfile
    assert "pip install --no-deps ." in dockerfile


# The same checks on tampered copies: each must find the fault it is there for.

_GOOD_PYPROJECT = """
[project]
dependencies = ["fastapi>=0.165,<0.166", "uvicorn[standard]>=0.30"]
[project.optional-dependencies]
dev = ["pytest>=8"]
"""
_HASH_A = "--hash=sha256:" + "a" * 64
_HASH_B = "--hash=sha256:" + "b" * 64
_GOOD_LOCK = f"""# generated
fastapi==0.165.0 \\
    {_HASH_A}
    # via mypathways (pyproject.toml)
uvicorn==0.54.0 ; sys_platform != 'win32' \\
    {_HASH_A} \\
    {_HASH_B}
pytest==9.2.0 \\
    {_HASH_B}
"""


def test_the_untampered_example_passes() -> None:
    pins = parse_lock(_GOOD_LOCK)
    assert problems(declared(_GOOD_PYPROJECT, dev=True), pins) == []
    assert pins["uvicorn"].hashes == (_HASH_A, _HASH_B)
    assert str(pins["uvicorn"].marker) == 'sys_platform != "win32"'


@pytest.mark.parametrize(
    ("pyproject", "lock", "expected"),
    [
        (
            _GOOD_PYPROJECT,
            _GOOD_LOCK.replace("fastapi==0.165.0", "fastapi==0.166.0"),
            "fastapi==0.166.0 is outside",
        ),
        (
            _GOOD_PYPROJECT,
            _GOOD_LOCK.replace("pytest==9.2.0", "pytest==7.4.0"),
            "pytest==7.4.0 is outside",
        ),
        (
            _GOOD_PYPROJECT.replace('"pytest>=8"', '"pytest>=8", "ruff>=0.6"'),
            _GOOD_LOCK,
            "ruff is in pyproject.toml but not locked",
        ),
        (
            _GOOD_PYPROJECT,
            _GOOD_LOCK.replace(f"pytest==9.2.0 \\\n    {_HASH_B}", "pytest==9.2.0"),
            "pytest has no --hash",
        ),
    ],
    ids=["runtime-out-of-range", "dev-out-of-range", "missing-from-lock", "no-hash"],
)
def test_a_tampered_lock_is_caught(pyproject: str, lock: str, expected: str) -> None:
    found = problems(declared(pyproject, dev=True), parse_lock(lock))
    assert any(expected in problem for problem in found), found


def test_a_runtime_lock_that_strays_from_the_dev_lock_is_caught() -> None:
    dev = parse_lock(_GOOD_LOCK)
    assert disagreements(dev, dev) == []
    strayed = parse_lock(_GOOD_LOCK.replace("fastapi==0.165.0", "fastapi==0.165.1"))
    assert disagreements(strayed, dev) == [
        "fastapi: 0.165.1 in requirements.lock, 0.165.0 in requirements-dev.lock"
    ]
    rehashed = parse_lock(
        _GOOD_LOCK.replace(
            f"fastapi==0.165.0 \\\n    {_HASH_A}", f"fastapi==0.165.0 \\\n    {_HASH_B}"
        )
    )
    assert disagreements(rehashed, dev) == ["fastapi: the two locks list different hashes"]


def test_an_environment_that_strays_from_the_lock_is_caught() -> None:
    pins = parse_lock(
        _GOOD_LOCK.replace("; sys_platform != 'win32'", "; sys_platform == 'no-such-os'")
    )
    # uvicorn's marker is false on this machine, so it need not be installed.
    as_locked = {"fastapi": "0.165.0", "pytest": "9.2.0"}
    assert not_as_locked(pins, as_locked) == []
    assert not_as_locked(pins, {**as_locked, "fastapi": "0.170.0"}) == [
        "fastapi: locked 0.165.0, installed 0.170.0"
    ]
    assert not_as_locked(pins, {"pytest": "9.2.0"}) == [
        "fastapi: locked 0.165.0, installed nothing"
    ]


def test_a_line_that_is_not_a_pin_is_refused() -> None:
    with pytest.raises(ValueError, match="not a pinned requirement"):
        parse_lock("fastapi>=0.165 \\\n    " + _HASH_A)
