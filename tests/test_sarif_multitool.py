"""`--format sarif` against the SARIF Multitool's GitHub ingestion rules (`--rule-kind
Gh;Sarif`): no error and no warning. The Multitool comes from the npm registry; without it
this test skips (bench/sarif_multitool.py --install fetches it and runs the same check on a
whole `verifier check`)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
from fixtures.report import samples

from verifier.report.formats import OutputFormat, render
from verifier.report.locations import Locations
from verifier.settings import Policy

BENCH = Path(__file__).resolve().parent.parent / "bench" / "sarif_multitool.py"


def load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sarif_multitool", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_sarif_has_no_error_or_warning_under_githubs_rules(tmp_path: Path) -> None:
    bench = load_bench()
    binary = bench.find_multitool()
    if binary is None:
        pytest.skip(
            "the SARIF Multitool is not installed (npm install @microsoft/sarif-multitool, "
            "or set SARIF_MULTITOOL to its Sarif.Multitool binary)"
        )
    locations = Locations(ledger="docs/claims.yaml", ledger_lines={"c-hand01": 7})
    sarif = tmp_path / "verifier.sarif"
    sarif.write_text(
        render(samples.all_findings(), OutputFormat.SARIF, Policy(), locations=locations),
        encoding="utf-8",
    )
    findings = bench.validate(bench.executable(binary), sarif, tmp_path)
    blocking = [f for f in findings if f["level"] in ("error", "warning")]
    assert blocking == []
    assert findings  # the Multitool did run its rules: it always leaves some advice (notes)
