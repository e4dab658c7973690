"""`--format sarif` through the SARIF Multitool with GitHub's ingestion rules.

Builds a small repository (claims.yaml in docs/, an article with a contradicted, a
supported and an unavailable claim, and a hand-written claim), runs `verifier check
--format sarif` in it, then `Sarif.Multitool validate --rule-kind Gh;Sarif` on the output,
and prints the Multitool's version and its findings counted by level and rule. Exits 1 when
any finding is an error or a warning (notes are advice, e.g. "use message ids").

    python bench/sarif_multitool.py [--multitool PATH] [--install] [--keep DIR]

The Multitool comes from the npm registry (`npm install @microsoft/sarif-multitool`). It is
found from --multitool or $SARIF_MULTITOOL (the native `Sarif.Multitool` binary), else
resolved with node from the working directory, this repository, bench/.tools (where
--install puts it) and npm's global folder.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / "bench" / ".tools"
PACKAGE = "@microsoft/sarif-multitool"
RULE_KINDS = "Gh;Sarif"

ARTICLE = """# Harbour

The harbour opened in 1931.[^a] It handles 4,000 ships a year.[^b] Its lighthouse is the
oldest on the coast.[^c]

[^a]: [History](sources/history.html)
[^b]: [Figures](sources/figures.html)
[^c]: [Lighthouse](sources/missing.html)
"""
HISTORY = (
    "<html><body><main><p>The harbour opened in 1931 after six years.</p></main></body></html>"
)
FIGURES = (
    "<html><body><main><p>The harbour handles 9,000 ships a year, the port authority "
    "said.</p></main></body></html>"
)
LEDGER = """articles: [articles/*.md]
claims:
  - id: c-hand01
    text: "The harbour's crane lifts 80 tonnes."
    urls: [articles/sources/history.html]
"""


def find_multitool(explicit: str | None = None) -> Path | None:
    """The native Sarif.Multitool binary, or None when it is not installed anywhere we look."""
    named = explicit or os.environ.get("SARIF_MULTITOOL")
    if named:
        return Path(named)
    node = shutil.which("node")
    if node is None:
        return None
    # npm's default global folder sits beside node: PREFIX/bin/node, PREFIX/lib/node_modules.
    global_modules = Path(node).resolve().parent.parent / "lib" / "node_modules"
    folders = [str(Path.cwd()), str(ROOT), str(TOOLS), str(global_modules)]
    # The package's main module is the path of the binary for this platform.
    script = (
        f"const main = require(require.resolve({PACKAGE!r}, {{paths: {json.dumps(folders)}}}));"
        "process.stdout.write(main)"
    )
    completed = subprocess.run(
        [node, "-e", script], capture_output=True, text=True, check=False, timeout=60
    )
    found = Path(completed.stdout) if completed.returncode == 0 and completed.stdout else None
    return found if found is not None and found.is_file() else None


def install_multitool() -> None:
    """npm install the Multitool into bench/.tools (ignored by git)."""
    TOOLS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", "--prefix", str(TOOLS), PACKAGE],
        check=True,
        timeout=600,
    )


def executable(binary: Path) -> Path:
    """npm may skip the package's postinstall (its `chmod u+x`): do what it would have done."""
    if not os.access(binary, os.X_OK):
        binary.chmod(binary.stat().st_mode | stat.S_IXUSR)
    return binary


def multitool_version(binary: Path) -> str:
    completed = subprocess.run(
        [str(binary), "--version"], capture_output=True, text=True, check=False, timeout=120
    )
    said = (completed.stdout + completed.stderr).strip()
    return said.splitlines()[0] if said else "unknown"


def validate(binary: Path, sarif: Path, out_dir: Path) -> list[dict[str, str]]:
    """The Multitool's findings on `sarif`: [{"level", "rule", "message"}]."""
    log = out_dir / "validation.sarif"
    completed = subprocess.run(
        [
            str(binary),
            "validate",
            "--rule-kind",
            RULE_KINDS,
            "--level",
            "Error;Warning;Note",
            "--log",
            "ForceOverwrite",
            "-o",
            str(log),
            str(sarif),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    if not log.is_file():
        raise RuntimeError(f"the Multitool wrote no log:\n{completed.stdout}{completed.stderr}")
    document = json.loads(log.read_text(encoding="utf-8-sig"))
    findings: list[dict[str, str]] = []
    for run in document.get("runs", []):
        for result in run.get("results", []):
            findings.append(
                {
                    "level": result.get("level", "warning"),
                    "rule": result.get("ruleId", "?"),
                    "message": result.get("message", {}).get("text", ""),
                }
            )
    return findings


def sample_sarif(folder: Path) -> Path:
    """Run `verifier check --format sarif` in a small repository; return the SARIF file."""
    repo = folder / "repo"
    sources = repo / "docs" / "articles" / "sources"
    sources.mkdir(parents=True)
    (repo / "docs" / "articles" / "harbour.md").write_text(ARTICLE, encoding="utf-8")
    (sources / "history.html").write_text(HISTORY, encoding="utf-8")
    (sources / "figures.html").write_text(FIGURES, encoding="utf-8")
    (repo / "docs" / "claims.yaml").write_text(LEDGER, encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("VERIFIER_", "GITHUB_"))
    }
    environment["PYTHONPATH"] = str(ROOT)
    docs = repo / "docs"
    command = [sys.executable, "-m", "verifier"]
    subprocess.run(
        [*command, "-q", "run"], cwd=docs, env=environment, capture_output=True, timeout=300
    )
    completed = subprocess.run(
        [*command, "check", "--offline", "--format", "sarif"],
        cwd=docs,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    sarif = folder / "verifier.sarif"
    sarif.write_text(completed.stdout, encoding="utf-8")
    return sarif


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--multitool", help="path of the native Sarif.Multitool binary")
    parser.add_argument("--install", action="store_true", help="npm install it if absent")
    parser.add_argument("--keep", type=Path, help="keep the SARIF files in this folder")
    options = parser.parse_args()

    binary = find_multitool(options.multitool)
    if binary is None and options.install:
        install_multitool()
        binary = find_multitool()
    if binary is None:
        print(f"SARIF Multitool not found: npm install {PACKAGE} (or pass --install)")
        return 2
    binary = executable(binary)
    with tempfile.TemporaryDirectory() as scratch:
        folder = options.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        sarif = sample_sarif(folder)
        results = len(json.loads(sarif.read_text(encoding="utf-8"))["runs"][0]["results"])
        findings = validate(binary, sarif, folder)
    print(f"tool: {multitool_version(binary)}")
    print(f"rule kinds: {RULE_KINDS}; verifier results validated: {results}")
    counts = Counter((f["level"], f["rule"]) for f in findings)
    for level in ("error", "warning", "note"):
        rules = {rule: n for (lvl, rule), n in counts.items() if lvl == level}
        listed = ", ".join(f"{rule} x{n}" for rule, n in sorted(rules.items())) or "none"
        print(f"{level}s: {sum(rules.values())} ({listed})")
    blocking = [f for f in findings if f["level"] in ("error", "warning")]
    for finding in blocking:
        print(f"  {finding['level']} {finding['rule']}: {finding['message']}")
    print("verdict: " + ("clean (no errors or warnings)" if not blocking else "NOT clean"))
    return 1 if blocking else 0


if __name__ == "__main__":
    sys.exit(main())
