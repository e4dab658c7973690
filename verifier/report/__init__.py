"""Findings -> reports/index.md, reports/<article>.md and reports/results.json; CI outputs.

write_reports(findings, out_dir, *, warnings=(), generated_at, checked_articles=None,
              page_text=None)
    -> None                                   also sources/<key>.md: each web source's
                                              captured text; never over a file it did not
                                              write (InputError)
results_document(findings, *, generated_at=None) -> dict   the results.json document
                                              (CONTRACT fields)
results_json(document) -> str                the document as results.json text, a claim a line
article_slug(article) -> str                  the page name an article gets
formats.render(findings, OutputFormat, policy, locations=) -> str  --format json | sarif
                                           (sarif.py) | junit (junit.py)
github.github_outputs(findings, policy, environ, locations=) -> annotation lines to print;
                                           under Actions it also appends to
                                           $GITHUB_STEP_SUMMARY (< 1 MiB)
locations.Locations(ledger, ledger_lines, root)  claim -> repository path and line for forges
inert.inert(text, reference) / one_line(text)   nothing printed is a workflow command
history.compare(previous, findings) -> RunChanges | None  new / fixed since last run
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from itertools import groupby
from pathlib import Path
from typing import Any

from verifier.batch import paused_garbage_collection
from verifier.errors import VerifierError
from verifier.files import read_regular, replacing, write_atomically
from verifier.interrupts import uninterrupted
from verifier.model import Capture, ExtractionWarning, Finding
from verifier.report import history, pagekeys
from verifier.report.facts import Facts, Findings, has_page
from verifier.report.markdown import render_article, render_index
from verifier.report.ownership import check_writable
from verifier.report.pages import article_slug, plan_pages
from verifier.report.results import (
    VERDICTS_WORST_FIRST,
    CarriedFindings,
    claim_document,
    claim_line,
    results_document,
)
from verifier.report.sources import render_source, source_page

__all__ = ["CarriedShort", "article_slug", "results_document", "results_json", "write_reports"]

INDEX = "index.md"
RESULTS = "results.json"


def write_reports(
    findings: Sequence[Finding],
    out_dir: Path,
    *,
    warnings: Sequence[ExtractionWarning] = (),
    generated_at: str,
    checked_articles: Collection[str | None] | None = None,
    page_text: Callable[[Capture], str] | None = None,
    must_carry: int | None = None,
) -> Findings:
    """Write every report file atomically; pages whose text is unchanged are not rewritten.
    Returns the findings reported: `findings`, then those carried from the last run.
    `must_carry`: how many claims the last run's results must give (a re-check carrying a
    whole pass); CarriedShort, before anything is written, when they give fewer.

    The previous results.json, read before it is replaced, gives the index its "new since
    last run" and "fixed since last run". Each source read from the web gets a page of the
    text captured from it (sources.py), linked from the claims that cite it; `page_text`
    gives that text when the findings' captures no longer hold it (the pass drops it after
    scoring), and is called only for pages to be (re)written. Before writing
    anything, every file about to be replaced must be one verifier wrote (ownership.py):
    InputError otherwise. With `checked_articles` (a `--changed-since` run), `findings`
    cover only those articles (None standing for hand-written claims): the other articles
    keep their pages and last run's results, so the index and results.json still describe
    every claim.
    """
    # Held back from Ctrl-C as a whole, so reports/ is never half this run's, half the last's.
    with uninterrupted(), paused_garbage_collection():
        return _write_reports(
            findings,
            out_dir,
            warnings,
            generated_at,
            checked_articles,
            page_text or _own_text,
            must_carry,
        )


class CarriedShort(VerifierError):
    """The last run's results.json did not give every claim a re-check was to carry (it
    could not be read, or an entry could not): nothing was written."""


def _own_text(capture: Capture) -> str:
    return capture.text


def _write_reports(
    findings: Sequence[Finding],
    out_dir: Path,
    warnings: Sequence[ExtractionWarning],
    generated_at: str,
    checked_articles: Collection[str | None] | None,
    page_text: Callable[[Capture], str],
    must_carry: int | None,
) -> Findings:
    # `findings` may be a Spill (on disk): every step below reads them in a pass, or an
    # article's at a time, and keeps only small facts of each, never all of them at once.
    out_dir.mkdir(parents=True, exist_ok=True)
    results_path = out_dir / RESULTS
    previous = history.read_previous(results_path, checked_articles)
    carried = previous.carried if previous is not None else CarriedFindings()
    if must_carry is not None and len(carried) != must_carry:
        raise CarriedShort(f"{len(carried)} of {must_carry} claims carried")
    current = Findings.of(findings)
    every_finding = current.joined(carried)
    changes = history.compare(previous.document if previous is not None else None, every_finding)
    del previous  # the comparison is made, and the carried lines are in `carried`
    pages = plan_pages(facts.article for facts in every_finding.facts)
    # The articles checked this run, in the order their first finding comes.
    checked = dict.fromkeys(facts.article for facts in current.facts)
    captures: dict[str, Capture] = {}
    for position, facts in enumerate(current.facts):
        for capture in _captures(current[position]) if facts.pages else ():
            captures[source_page(capture)] = capture  # the last capture of a page, as before
    previous_keys = pagekeys.read_manifest(out_dir)
    keys: dict[str, str] = {INDEX: "", RESULTS: ""}
    for position, facts in enumerate(carried.facts):
        # A page of an article not checked this run stays, and so do its sources' pages.
        names = [pages[facts.article].file_name]
        if facts.pages:
            names += _source_pages(carried[position])
        for name in names:
            if name in previous_keys:
                keys[name] = previous_keys[name]
    check_writable(
        out_dir,
        [INDEX, RESULTS, *(pages[a].file_name for a in checked), *captures],
        previous_keys,
    )

    for name, capture in captures.items():
        key = pagekeys.source_key(capture)
        keys[name] = key
        if previous_keys.get(name) != key or not (out_dir / name).exists():
            (out_dir / name).parent.mkdir(exist_ok=True)
            _write_if_changed(out_dir / name, render_source(capture, page_text(capture)))
    del captures
    # results.json and the article pages an article at a time (in reading order each
    # article's claims are consecutive), so no run holds every claim's JSON at once.
    # An unchanged results.json keeps its modification time, as `_write_if_changed` does
    # for the pages held whole.
    with replacing(results_path, durable=False, only_if_changed=True) as results:
        results.write('{"claims": ')
        written = 0
        split = len(current)
        for article, indexes in _article_groups(every_finding.facts):
            if article not in checked:
                # Carried from the last run: its lines as they were, its page as it is.
                claim_lines = [carried.lines[index - split] for index in indexes]
                results.write(("[\n" if not written else ",\n") + ",\n".join(claim_lines))
                written += len(claim_lines)
                continue
            # An article's findings in reading order, and in the order they were checked
            # (its page's order), as the same objects.
            read = {index: every_finding[index] for index in indexes}
            article_findings = list(read.values())
            claim_lines = [claim_line(claim_document(f)) for f in article_findings]
            results.write(("[\n" if not written else ",\n") + ",\n".join(claim_lines))
            written += len(claim_lines)
            page = pages[article]
            page_findings = [read[index] for index in sorted(read)]
            claim_json = {
                id(f): line for f, line in zip(article_findings, claim_lines, strict=True)
            }
            key = pagekeys.page_key(page_findings, claim_json)
            keys[page.file_name] = key
            if previous_keys.get(page.file_name) == key and (out_dir / page.file_name).exists():
                continue
            text = render_article(page, page_findings, source_link=_source_link)
            _write_if_changed(out_dir / page.file_name, text)
        results.write(("\n]" if written else "[]") + _tail(every_finding, generated_at))
    for stale in previous_keys.keys() - keys.keys():
        # Only files this tool wrote (they are in its manifest): an article left the ledger,
        # a source is no longer cited.
        (out_dir / stale).unlink(missing_ok=True)
    pagekeys.write_manifest(out_dir, keys, previous_keys)
    index = render_index(
        every_finding, pages, generated_at=generated_at, warnings=warnings, changes=changes
    )
    _write_if_changed(out_dir / INDEX, index)
    return every_finding


def _article_groups(facts: Sequence[Facts]) -> Iterator[tuple[str | None, list[int]]]:
    """Each article with the indexes of its findings in reading order (as `ordered` sorts
    them), articles in reading order."""
    order = sorted(range(len(facts)), key=lambda index: facts[index].reading_key())  # stable
    for article, indexes in groupby(order, key=lambda index: facts[index].article):
        yield article, list(indexes)


def _captures(finding: Finding) -> list[Capture]:
    return [
        check.source
        for check in finding.checks
        if isinstance(check.source, Capture) and has_page(check.source)
    ]


def _source_pages(finding: Finding) -> list[str]:
    """The captured-text pages a finding links to."""
    return [source_page(capture) for capture in _captures(finding)]


def _source_link(capture: Capture) -> str | None:
    return source_page(capture) if has_page(capture) else None


def results_json(document: Mapping[str, Any], claim_lines: Sequence[str] | None = None) -> str:
    """results.json text: one claim per line, so diffs show which claims changed.

    Indented JSON would take Python's pure-Python encoder (seconds for 10,000 claims); each
    claim on its own compact line keeps the C encoder and stays readable line by line.
    `claim_lines` are the claims already serialised with `results.claim_line`, if at hand.
    (`write_reports` writes the same text a piece at a time.)
    """
    if claim_lines is None:
        claim_lines = [claim_line(entry) for entry in document["claims"]]
    rest = {key: value for key, value in document.items() if key != "claims"}
    body = "[\n" + ",\n".join(claim_lines) + "\n]" if claim_lines else "[]"
    return '{"claims": ' + body + _tail_text(rest)


def _tail(findings: Findings, generated_at: str) -> str:
    """`document_tail` of the findings, counted from their facts."""
    verdicts = {verdict.value: 0 for verdict in VERDICTS_WORST_FIRST}
    for facts in findings.facts:
        verdicts[facts.verdict.value] += 1
    tail: dict[str, Any] = {
        "summary": {
            "claims": len(findings),
            "verdicts": verdicts,
            "accepted": sum(1 for facts in findings.facts if facts.accepted),
        },
        "generated_at": generated_at,
    }
    return _tail_text(tail)


def _tail_text(rest: Mapping[str, Any]) -> str:
    """The document's keys after "claims", a line each, and its closing brace."""
    fields = "".join(
        f',\n"{key}": {json.dumps(value, ensure_ascii=False)}' for key, value in rest.items()
    )
    return fields + "\n}\n"


def _write_if_changed(path: Path, text: str) -> None:
    try:
        if read_regular(path) == text.encode("utf-8"):
            return
    except OSError:
        pass  # missing, or not a file we wrote (a device in its place): replaced below
    # Reports are regenerated on every run, so a crash costs nothing: atomic, but no fsync.
    write_atomically(path, text, durable=False)
