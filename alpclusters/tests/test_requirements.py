"""The locks (requirements*.txt, made by `make lock`) say the same as their inputs and as each
other: production runs the versions the tests ran with, only its PostgreSQL driver differs."""

import re
from pathlib import Path

import pytest
from packaging.utils import canonicalize_name

BASE_DIR = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)")


def pins(name: str) -> dict[str, str]:
    found = {}
    for line in (BASE_DIR / name).read_text().splitlines():
        match = PIN.match(line)
        if match:
            found[canonicalize_name(match[1])] = match[2]
    return found


def locked_blocks(name: str) -> dict[str, str]:
    """Each locked requirement with its continuation lines (hashes)."""
    blocks, current = {}, None
    for line in (BASE_DIR / name).read_text().splitlines():
        match = PIN.match(line)
        if match:
            current = canonicalize_name(match[1])
            blocks[current] = line
        elif current and line.startswith("    --hash="):
            blocks[current] += "\n" + line
        else:
            current = None
    return blocks


LOCKS = [
    "requirements-build.txt",
    "requirements.txt",
    "requirements-dev.txt",
    "requirements-production.txt",
]


@pytest.mark.parametrize("lock", LOCKS)
def test_every_locked_package_has_hashes(lock):
    blocks = locked_blocks(lock)
    assert blocks
    assert [name for name, block in blocks.items() if "--hash=sha256:" not in block] == []


@pytest.mark.parametrize(
    "source,lock",
    [
        ("requirements-build.in", "requirements-build.txt"),
        ("requirements.in", "requirements.txt"),
        ("requirements-dev.in", "requirements-dev.txt"),
        ("requirements-production.in", "requirements-production.txt"),
    ],
)
def test_locks_pin_what_their_inputs_ask_for(source, lock):
    """An input changed without `make lock` fails here."""
    wanted, locked = pins(source), pins(lock)
    assert {name: version for name, version in wanted.items() if locked.get(name) != version} == {}


@pytest.mark.parametrize("lock", ["requirements-dev.txt", "requirements-production.txt"])
def test_locks_agree_with_the_runtime_lock(lock):
    runtime, other = pins("requirements.txt"), pins(lock)
    differ = {
        name: (runtime[name], version)
        for name, version in other.items()
        if name in runtime and runtime[name] != version
    }
    assert differ == {}


def test_production_builds_psycopg2_and_everything_else_is_the_runtime_lock():
    runtime, production = pins("requirements.txt"), pins("requirements-production.txt")
    assert "psycopg2-binary" in runtime and "psycopg2" not in runtime
    assert "psycopg2" in production and "psycopg2-binary" not in production
    assert production.pop("psycopg2") == runtime.pop("psycopg2-binary")
    assert production == runtime


def test_production_input_is_generated_from_the_runtime_input():
    runtime = [
        line.replace("psycopg2-binary==", "psycopg2==")
        for line in (BASE_DIR / "requirements.in").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    production = [
        line
        for line in (BASE_DIR / "requirements-production.in").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    assert production == ["-c requirements.txt", *runtime]
