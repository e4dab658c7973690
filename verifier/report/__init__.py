"""Findings -> reports/index.md, reports/<article>.md and reports/results.json.

write_reports(findings, out_dir, *, warnings=(), generated_at) -> None
results_document(findings) -> dict          the results.json document (CONTRACT fields)
article_slug(article) -> str                 the page name an article gets
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from verifier.ledger.store import write_atomically
from verifier.model import ExtractionWarning, Finding
from verifier.report.markdown import render_article, render_index
from verifier.report.pages import article_slug, plan_pages
from verifier.report.results import results_document

__all__ = ["article_slug", "results_document", "write_reports"]


def write_reports(
    findings: Sequence[Finding],
    out_dir: Path,
    *,
    warnings: Sequence[ExtractionWarning] = (),
    generated_at: str,
) -> None:
    """Write every report file atomically; pages whose text is unchanged are not rewritten."""
    out_dir.mkdir(parents=True, exist_ok=True)
    pages = plan_pages(f.claim.article for f in findings)
    by_article: dict[str | None, list[Finding]] = {}
    for finding in findings:
        by_article.setdefault(finding.claim.article, []).append(finding)
    for article, article_findings in by_article.items():
        page = pages[article]
        _write_if_changed(out_dir / page.file_name, render_article(page, article_findings))
    index = render_index(findings, pages, generated_at=generated_at, warnings=warnings)
    _write_if_changed(out_dir / "index.md", index)
    document = results_document(findings, generated_at=generated_at)
    _write_if_changed(
        out_dir / "results.json", json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    )


def _write_if_changed(path: Path, text: str) -> None:
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except FileNotFoundError:
        pass
    # Reports are regenerated on every run, so a crash costs nothing: atomic, but no fsync.
    write_atomically(path, text, durable=False)
