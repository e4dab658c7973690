"""A pass over a MediaWiki dump: pages -> claim shards -> result shards and a summary.

Nothing grows with the dump but the summary's counters: pages are read one at a time and
their claims written out at once; claims are checked a shard at a time and each shard's
results written before the next is read. The same stages as every other pass do the work
(the wikitext reader, `pipeline`/`stages` or the cluster through `verify`).
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from verifier import gate
from verifier.dump import shards
from verifier.dump.pages import DumpStats, article_pages
from verifier.extract import extract_source
from verifier.ledger.ids import unique_claim_id
from verifier.model import Citation, Claim, FetchFailure, Finding, Verdict
from verifier.report.results import claim_document
from verifier.settings import Policy

VerifyFn = Callable[[Sequence[Claim]], list[Finding]]
WORST_SHOWN = 50


@dataclass
class ExtractSummary:
    pages: DumpStats = field(default_factory=DumpStats)
    claims: int = 0
    warnings: int = 0


PAGES_PER_BATCH = 100
"""Pages extracted together (one task on a cluster)."""
PageBatch = list[tuple[str, str]]
"""(title, wikitext) of consecutive article pages."""
MapFn = Callable[[Callable[[PageBatch], list[dict[str, Any]]], Iterable[PageBatch]], Iterable[Any]]
"""map(function, batches) giving results in order: the builtin `map` in this process, or
`cluster.ordered_map` on a cluster."""


def extract_dump(
    dump: Path,
    folder: Path,
    *,
    per_shard: int = shards.PER_SHARD,
    map_batches: MapFn = map,
    pages_per_batch: int = PAGES_PER_BATCH,
) -> ExtractSummary:
    """Every footnoted claim of the dump's article pages into `folder`'s claim shards.

    Pages are read here, as a stream, and extracted in batches by `map_batches` (here, or
    on a cluster's workers), each page through the wikitext reader as a .wiki file would
    be; its title is the claim's `article`. Shards are written in dump order."""
    summary = ExtractSummary()
    writer = shards.ShardWriter(folder, "claims", per_shard)
    batches = _page_batches(dump, summary.pages, pages_per_batch)
    for records in map_batches(claims_of_pages, batches):
        for record in records:
            if record.get("warnings") is not None:
                summary.warnings += int(record["warnings"])
                continue
            writer.write(record)
            summary.claims += 1
    pages = summary.pages
    shards.write_manifest(
        folder,
        {
            "dump": str(dump),
            "pages": pages.pages,
            "articles": pages.articles,
            "redirects": pages.redirects,
            "other_namespaces": pages.other_namespaces,
            "claims": summary.claims,
            "claim_shards": writer.close(),
        },
    )
    return summary


def _page_batches(dump: Path, stats: DumpStats, size: int) -> Iterator[PageBatch]:
    batch: PageBatch = []
    for page in article_pages(dump, stats):
        batch.append((page.title, page.text))
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def claims_of_pages(pages: PageBatch) -> list[dict[str, Any]]:
    """The claim records of a batch of pages, in order; each page's warning count follows
    its claims as a {"warnings": n} record. A module-level function: it runs on workers."""
    records: list[dict[str, Any]] = []
    for title, text in pages:
        extraction = extract_source(text, title, "wikitext")
        taken: set[str] = set()
        for extracted in extraction.claims:
            claim_id = unique_claim_id(title, extracted.text, taken)
            taken.add(claim_id)
            citations = extracted.citations
            records.append(
                {
                    "id": claim_id,
                    "article": title,
                    "line": extracted.line,
                    "footnote": extracted.footnote,
                    "text": extracted.text,
                    "urls": [c.url for c in citations if c.url],
                    "accessed": next((c.accessed for c in citations if c.accessed), None),
                }
            )
        records.append({"warnings": len(extraction.warnings)})
    return records


def claim_from_record(record: dict[str, Any]) -> Claim:
    urls = tuple(str(url) for url in record.get("urls") or ())
    accessed = record.get("accessed")
    return Claim(
        id=str(record["id"]),
        text=str(record["text"]),
        urls=urls,
        article=record.get("article"),
        line=record.get("line"),
        footnote=record.get("footnote"),
        citations=tuple(Citation(url=url, accessed=accessed) for url in urls),
    )


@dataclass
class CheckSummary:
    """What the reports' index shows of a dump pass: counts, the worst, unavailability."""

    policy: Policy
    claims: int = 0
    verdicts: Counter[str] = field(default_factory=Counter)
    failing: int = 0
    unavailable_hosts: Counter[str] = field(default_factory=Counter)
    _worst: list[tuple[float, int, dict[str, Any]]] = field(default_factory=list)

    def add(self, finding: Finding, document: dict[str, Any]) -> None:
        self.claims += 1
        self.verdicts[finding.verdict.value] += 1
        if gate.fails(finding, self.policy):
            self.failing += 1
            # Kept: the WORST_SHOWN most severe (then lowest-scoring) failing findings.
            rank = finding.verdict.severity * 10.0 - finding.score
            entry = (rank, self.claims, _shown(document))
            if len(self._worst) < WORST_SHOWN:
                heapq.heappush(self._worst, entry)
            else:
                heapq.heappushpop(self._worst, entry)
        for check in finding.checks:
            if isinstance(check.source, FetchFailure):
                host = urlsplit(check.url or "").hostname or "(no URL)"
                self.unavailable_hosts[host] += 1

    @property
    def worst(self) -> list[dict[str, Any]]:
        return [entry for _, _, entry in sorted(self._worst, reverse=True)]


def _shown(document: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "article", "line", "text", "verdict", "score", "flags", "urls")
    return {key: document.get(key) for key in keys}


def check_dump(
    folder: Path, verify: VerifyFn, policy: Policy, *, batch: int = shards.PER_SHARD
) -> CheckSummary:
    """Check the claims of every claim shard in `folder`, a shard at a time; results go to
    result shards (one results.json claim object a line) listed in the manifest."""
    manifest = shards.read_manifest(folder)
    summary = CheckSummary(policy)
    writer = shards.ShardWriter(folder, "results", batch)
    for shard in manifest.get("claim_shards", []):
        claims = [claim_from_record(record) for record in shards.read_records(folder, shard)]
        for finding in verify(claims):
            document = claim_document(finding)
            writer.write(document)
            summary.add(finding, document)
    manifest["result_shards"] = writer.close()
    manifest["verdicts"] = dict(summary.verdicts)
    manifest.pop("format", None)
    shards.write_manifest(folder, manifest)
    return summary


def render_index(summary: CheckSummary, manifest_path: str, generated_at: str) -> str:
    """reports/index.md for a dump pass: counts, the worst findings, unavailability by host."""
    lines = [
        "# Citation check of a MediaWiki dump",
        "",
        f"Generated {generated_at}. {summary.claims:,} claims; {summary.failing:,} fail the gate.",
        f"Every claim's result is in the result shards listed in `{manifest_path}`.",
        "",
        "| verdict | claims |",
        "|---|---:|",
    ]
    for verdict in sorted(Verdict, key=lambda v: -v.severity):
        lines.append(f"| {verdict.value} | {summary.verdicts.get(verdict.value, 0):,} |")
    lines += ["", f"## Worst findings (up to {WORST_SHOWN})", ""]
    if not summary.worst:
        lines.append("None.")
    for entry in summary.worst:
        where = f"{entry['article']}:{entry['line']}" if entry.get("line") else entry["article"]
        text = " ".join(str(entry["text"]).split()).replace("|", "\\|")
        lines.append(f"- **{entry['verdict']}** ({entry['score']:.2f}) {where}: {text}")
        for flag in entry.get("flags") or []:
            source = f" / source: {flag['source']}" if flag.get("source") else ""
            lines.append(f"  - {flag['kind']}: {flag['claim']}{source}")
    lines += ["", "## Unavailable sources by host", ""]
    if not summary.unavailable_hosts:
        lines.append("None.")
    else:
        lines += ["| host | unavailable |", "|---|---:|"]
        for host, count in summary.unavailable_hosts.most_common(50):
            lines.append(f"| {host} | {count:,} |")
    return "\n".join(lines) + "\n"
