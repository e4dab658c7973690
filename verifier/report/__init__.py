"""Findings -> reports/index.md, reports/<article>.md and reports/results.json; CI outputs.

write_reports(findings, out_dir, *, warnings=(), generated_at, archive_dir=None,
              checked_articles=None) -> None
results_document(findings, *, generated_at=None) -> dict   the results.json document
                                              (CONTRACT fields)
results_json(document) -> str                the document as results.json text, a claim a line
article_slug(article) -> str                  the page name an article gets
formats.render(findings, OutputFormat, policy, ledger=) -> str  --format json | sarif | junit
github.github_outputs(findings, policy, environ, ledger=) -> annotation lines to print; under
                                           Actions it also appends to $GITHUB_STEP_SUMMARY
                                           (< 1 MiB)
history.compare(previous, findings) -> RunChanges | None  new / fixed since last run
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

from verifier.batch import paused_garbage_collection
from verifier.files import write_atomically
from verifier.interrupts import uninterrupted
from verifier.model import ExtractionWarning, Finding
from verifier.report import history, pagekeys
from verifier.report.markdown import render_article, render_index
from verifier.report.pages import article_slug, plan_pages
from verifier.report.results import carried_findings, ordered, results_document

__all__ = ["article_slug", "results_document", "results_json", "write_reports"]


def write_reports(
    findings: Sequence[Finding],
    out_dir: Path,
    *,
    warnings: Sequence[ExtractionWarning] = (),
    generated_at: str,
    archive_dir: Path | None = None,
    checked_articles: Collection[str | None] | None = None,
) -> None:
    """Write every report file atomically; pages whose text is unchanged are not rewritten.

    The previous results.json, read before it is replaced, gives the index its "new since
    last run" and "fixed since last run". With `archive_dir`, sources link to their WARC file.
    With `checked_articles` (a `--changed-since` run), `findings` cover only those articles
    (None standing for hand-written claims): the other articles keep their pages and last
    run's results, so the index and results.json still describe every claim.
    """
    # Held back from Ctrl-C as a whole, so reports/ is never half this run's, half the last's.
    with uninterrupted(), paused_garbage_collection():
        _write_reports(findings, out_dir, warnings, generated_at, archive_dir, checked_articles)


def _write_reports(
    findings: Sequence[Finding],
    out_dir: Path,
    warnings: Sequence[ExtractionWarning],
    generated_at: str,
    archive_dir: Path | None,
    checked_articles: Collection[str | None] | None,
) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    results_path = out_dir / "results.json"
    previous = history.read_previous(results_path)
    carried = (
        carried_findings(previous, set(checked_articles)) if checked_articles is not None else []
    )
    every_finding = [*findings, *carried]
    changes = history.compare(previous, every_finding)
    pages = plan_pages(f.claim.article for f in every_finding)
    by_article: dict[str | None, list[Finding]] = {}
    for finding in findings:
        by_article.setdefault(finding.claim.article, []).append(finding)
    archive_link = _archive_linker(archive_dir, out_dir) if archive_dir is not None else None
    link_base = archive_link("") if archive_link is not None else None
    previous_keys = pagekeys.read_manifest(out_dir)
    keys: dict[str, str] = {}
    for finding in carried:
        page_file = pages[finding.claim.article].file_name
        if page_file in previous_keys:
            keys[page_file] = previous_keys[page_file]
    document = results_document(every_finding, generated_at=generated_at)
    claim_lines = [_claim_line(entry) for entry in document["claims"]]
    claim_json = {
        id(finding): line for finding, line in zip(ordered(every_finding), claim_lines, strict=True)
    }
    for article, article_findings in by_article.items():
        page = pages[article]
        key = pagekeys.page_key(article_findings, link_base, claim_json)
        keys[page.file_name] = key
        if previous_keys.get(page.file_name) == key and (out_dir / page.file_name).exists():
            continue
        text = render_article(page, article_findings, archive_link=archive_link)
        _write_if_changed(out_dir / page.file_name, text)
    for stale_page in previous_keys.keys() - keys.keys():
        # Only pages this tool wrote (they are in its manifest): an article left the ledger.
        (out_dir / Path(stale_page).name).unlink(missing_ok=True)
    pagekeys.write_manifest(out_dir, keys, previous_keys)
    index = render_index(
        every_finding, pages, generated_at=generated_at, warnings=warnings, changes=changes
    )
    _write_if_changed(out_dir / "index.md", index)
    _write_if_changed(results_path, results_json(document, claim_lines))


def _claim_line(entry: Mapping[str, Any]) -> str:
    return json.dumps(entry, ensure_ascii=False, separators=(", ", ": "))


def results_json(document: Mapping[str, Any], claim_lines: Sequence[str] | None = None) -> str:
    """results.json text: one claim per line, so diffs show which claims changed.

    Indented JSON would take Python's pure-Python encoder (seconds for 10,000 claims); each
    claim on its own compact line keeps the C encoder and stays readable line by line.
    `claim_lines` are the claims already serialised with `_claim_line`, if at hand.
    """
    if claim_lines is None:
        claim_lines = [_claim_line(entry) for entry in document["claims"]]
    rest = {key: value for key, value in document.items() if key != "claims"}
    tail = "".join(
        f',\n"{key}": {json.dumps(value, ensure_ascii=False)}' for key, value in rest.items()
    )
    body = "[\n" + ",\n".join(claim_lines) + "\n]" if claim_lines else "[]"
    return '{"claims": ' + body + tail + "\n}\n"


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
