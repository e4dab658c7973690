"""Findings -> reports/index.md, reports/<article>.md and reports/results.json; CI outputs.

write_reports(findings, out_dir, *, warnings=(), generated_at, archive_dir=None) -> None
results_document(findings) -> dict           the results.json document (CONTRACT fields)
article_slug(article) -> str                  the page name an article gets
formats.render(findings, OutputFormat, policy) -> str     --format json | sarif | junit
github.annotations_for(findings, policy) -> list[str]     ::error/::warning commands
github.append_step_summary(path, findings, policy)        $GITHUB_STEP_SUMMARY, < 1 MiB
history.compare(previous, findings) -> RunChanges | None  new / fixed since last run
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from verifier.ledger.files import write_atomically
from verifier.model import ExtractionWarning, Finding
from verifier.report import history
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
    archive_dir: Path | None = None,
) -> None:
    """Write every report file atomically; pages whose text is unchanged are not rewritten.

    The previous results.json, read before it is replaced, gives the index its "new since
    last run" and "fixed since last run". With `archive_dir`, sources link to their WARC file.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    results_path = out_dir / "results.json"
    changes = history.compare(history.read_previous(results_path), findings)
    pages = plan_pages(f.claim.article for f in findings)
    by_article: dict[str | None, list[Finding]] = {}
    for finding in findings:
        by_article.setdefault(finding.claim.article, []).append(finding)
    archive_link = _archive_linker(archive_dir, out_dir) if archive_dir is not None else None
    for article, article_findings in by_article.items():
        page = pages[article]
        text = render_article(page, article_findings, archive_link=archive_link)
        _write_if_changed(out_dir / page.file_name, text)
    index = render_index(
        findings, pages, generated_at=generated_at, warnings=warnings, changes=changes
    )
    _write_if_changed(out_dir / "index.md", index)
    document = results_document(findings, generated_at=generated_at)
    _write_if_changed(results_path, json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def _archive_linker(archive_dir: Path, out_dir: Path) -> Callable[[str], str]:
    def target(warc_file: str) -> str:
        relative = os.path.relpath(archive_dir / warc_file, out_dir)
        return Path(relative).as_posix()

    return target


def _write_if_changed(path: Path, text: str) -> None:
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except FileNotFoundError:
        pass
    # Reports are regenerated on every run, so a crash costs nothing: atomic, but no fsync.
    write_atomically(path, text, durable=False)
