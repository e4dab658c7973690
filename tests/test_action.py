"""The GitHub Action (action.yml): no input is spliced into a shell script, and zizmor,
the Actions security linter, finds nothing in it."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parent.parent
ACTION = REPO / "action.yml"


def _steps() -> list[dict[str, Any]]:
    action = YAML(typ="safe").load(ACTION.read_text(encoding="utf-8"))
    steps: list[dict[str, Any]] = action["runs"]["steps"]
    return steps


def test_no_expression_is_expanded_inside_a_run_script() -> None:
    scripts = [step["run"] for step in _steps() if "run" in step]
    assert scripts
    assert not [script for script in scripts if "${{" in script]


def test_a_hostile_command_input_stays_arguments_to_verifier(tmp_path: Path) -> None:
    """Run the action's own script with bash, a stand-in `verifier` that prints its
    arguments, and a command input that would run a second command if spliced in."""
    step = next(s for s in _steps() if "VERIFIER_COMMAND" in s.get("env", {}))
    stand_in = tmp_path / "bin" / "verifier"
    stand_in.parent.mkdir()
    stand_in.write_text('#!/usr/bin/env bash\nprintf "<%s>\\n" "$@"\n', encoding="utf-8")
    stand_in.chmod(0o755)
    marker = tmp_path / "pwned"
    command = f"run --changed-since origin/main; touch {marker} $(touch {marker})"
    completed = subprocess.run(
        ["bash", "-e", "-c", step["run"]],
        env={
            **os.environ,
            "PATH": f"{stand_in.parent}:{os.environ['PATH']}",
            "VERIFIER_COMMAND": command,
        },
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    assert not marker.exists()
    assert completed.stdout.splitlines()[:3] == ["<run>", "<--changed-since>", "<origin/main;>"]


@pytest.mark.skipif(
    shutil.which("zizmor") is None, reason="zizmor is not installed (pip install zizmor)"
)
def test_zizmor_finds_nothing_in_the_action() -> None:
    completed = subprocess.run(
        ["zizmor", "--offline", "--persona", "pedantic", "--no-progress", str(ACTION)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
