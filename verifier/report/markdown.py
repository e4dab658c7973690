"""Findings -> Markdown: the index page and one page per article.

Pages are written for people reviewing on a forge or in an editor, to be scanned at a
glance: each verdict carries a symbol that renders anywhere (❌ contradicted, ⚠️
unsupported, ❓ unavailable, 🟡 partial, ✅ supported), problems come before supported
claims, each claim's heading quotes the claim, and snippets end on a word. Below that: the
claim quoted with its flagged words in bold, each flag as a row "claim says | source says",
the evidence with the source's conflicting words in bold, and where every source was read
from, with a link to the text captured from it.
Article pages carry no timestamp, so a re-run with nothing changed leaves them byte-identical.
Every page opens with GENERATED_MARKER, an HTML comment saying the file is verifier's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from verifier.ledger.acceptance import Acceptance, acceptance, is_accepted
from verifier.model import Capture, Citation, Evidence, ExtractionWarning, Finding, Verdict
from verifier.report.facts import Facts, Findings
from verifier.report.history import RunChanges
from verifier.report.results import VERDICTS_WORST_FIRST, ordered, verdict_tally

INDEX_ROWS = 100
"""At most this many rows per index table; the article pages hold the rest."""
SNIPPET_CHARS = 90
HEADING_CHARS = 80
GENERATED_MARKER = "<!-- Written by verifier on every run: edits here are lost. -->"
"""The first line of every page verifier writes: how it knows a file is its own."""

VERDICT_SYMBOLS: dict[Verdict, str] = {
    Verdict.CONTRADICTED: "❌",
    Verdict.UNSUPPORTED: "⚠️",
    Verdict.UNAVAILABLE: "❓",
    Verdict.PARTIAL: "🟡",
    Verdict.SUPPORTED: "✅",
}
"""Emoji render on every forge and in every editor, unlike badge images, which need a network."""

_ESCAPES = str.maketrans({char: "\\" + char for char in "\\`*_[]<>|~"})
_BLOCK_START = re.compile(r"^(?:#|[-+=](?=\s|$)|\d+[.)](?=\s|$))")


# -- Markdown primitives -------------------------------------------------------------------


def escape(text: str) -> str:
    """Inline Markdown for arbitrary text: one line, no emphasis, links, HTML or table breaks."""
    return " ".join(text.split()).translate(_ESCAPES)


def safe_block_start(markdown: str) -> str:
    """Keep a quoted line from turning into a heading or list ("1. ", "- ", "#")."""
    match = _BLOCK_START.match(markdown)
    if match is None:
        return markdown
    end = match.end()
    head = match.group(0)
    return head[:-1] + "\\" + head[-1] + markdown[end:] if head[0].isdigit() else "\\" + markdown


def code(text: str) -> str:
    fence = "``" if "`" in text else "`"
    padding = " " if fence == "``" else ""
    return f"{fence}{padding}{text}{padding}{fence}"


def is_web_url(url: str) -> bool:
    return url.startswith(("http://", "https://"))


def link(label: str, target: str) -> str:
    safe_target = target.replace(" ", "%20").replace("<", "%3C").replace(">", "%3E")
    return f"[{escape(label)}](<{safe_target}>)"


def highlight(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """`text` escaped, with the given character spans in bold (overlaps merged)."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        start, end = max(0, start), min(len(text), end)
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    pieces: list[str] = []
    cursor = 0
    for start, end in merged:
        pieces.append(_escape_keep_spaces(_flatten(text[cursor:start])))
        inner = _flatten(text[start:end])
        core = inner.strip()
        if core:
            lead = inner[: len(inner) - len(inner.lstrip())]
            trail = inner[len(inner.rstrip()) :]
            pieces.append(f"{lead}**{escape(core)}**{trail}")
        else:
            pieces.append(inner)
        cursor = end
    pieces.append(_escape_keep_spaces(_flatten(text[cursor:])))
    return " ".join("".join(pieces).split())


def _flatten(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _escape_keep_spaces(text: str) -> str:
    return text.translate(_ESCAPES)


def quote(markdown: str) -> str:
    return "> " + safe_block_start(markdown)


def occurrences(haystack: str, needles: Iterable[str]) -> list[tuple[int, int]]:
    """Spans of every case-insensitive occurrence of each needle in `haystack`."""
    folded = haystack.casefold()
    spans: list[tuple[int, int]] = []
    for needle in needles:
        wanted = needle.strip().casefold()
        if not wanted or len(wanted) != len(needle.strip()):
            continue  # case folding changed the length: offsets would not map back
        start = folded.find(wanted)
        while start != -1:
            spans.append((start, start + len(wanted)))
            start = folded.find(wanted, start + len(wanted))
    return spans


def table(header: Sequence[str], align: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(align) + "|"]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return lines


def snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    """`text` on one line, cut to at most `limit` characters at a word boundary ("about
    30,000 vehicles" is cut before "30,000", never inside it)."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit // 2:  # a boundary not too far back; else one long word is cut
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "…"


def verdict_badge(verdict: Verdict) -> str:
    """The verdict with its symbol, e.g. "❌ contradicted" (a no-break space between them,
    so a narrow table column never leaves the symbol alone on its line)."""
    return f"{VERDICT_SYMBOLS[verdict]}\u00a0{verdict.value}"


def score_text(finding: Finding) -> str:
    return "—" if finding.verdict is Verdict.UNAVAILABLE else f"{finding.score:.2f}"


def where(finding: Finding) -> str:
    return _location(finding.claim.article, finding.claim.line)


def _location(article: str | None, line: int | None) -> str:
    if article is None:
        return "hand-written"
    return f"{article}:{line}" if line is not None else article


def severity_order(findings: Iterable[Finding]) -> list[Finding]:
    """Worst first: verdict severity, then lowest score, then reading order."""
    return sorted(
        ordered(list(findings)),
        key=lambda f: (-f.verdict.severity, f.score if f.verdict is not Verdict.UNAVAILABLE else 0),
    )


def problems_first(findings: Iterable[Finding]) -> list[Finding]:
    """An article page's order: open problems, worst verdict first, then accepted findings,
    then supported claims; reading order within each."""
    return sorted(
        ordered(list(findings)),
        key=lambda f: (f.verdict is Verdict.SUPPORTED, is_accepted(f), -f.verdict.severity),
    )


# -- pages ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """One report page: the article it covers (None: hand-written claims) and its file stem."""

    article: str | None
    stem: str

    @property
    def file_name(self) -> str:
        return f"{self.stem}.md"

    @property
    def title(self) -> str:
        return self.article if self.article is not None else "Hand-written claims"


def _count_line(findings: Sequence[Finding]) -> str:
    counts = verdict_tally(findings)
    parts = [f"{counts[v]} {v.value}" for v in VERDICTS_WORST_FIRST if counts[v]]
    accepted = sum(1 for f in findings if is_accepted(f))
    if accepted:
        parts.append(f"{accepted} accepted")
    noun = "claim" if len(findings) == 1 else "claims"
    return " · ".join([f"{len(findings)} {noun}", *parts])


@dataclass
class _ArticleTally:
    claims: int = 0
    verdicts: dict[Verdict, int] = field(default_factory=lambda: verdict_tally(()))
    worst_open: int = -1
    """The worst severity among the findings not accepted (-1: none)."""


_Rank = tuple[int, float, bool, str, int, str, int]
"""A finding's place in `severity_order`, its index last (the sorts there are stable)."""


@dataclass
class _IndexFacts:
    """What the index shows of the findings, from their facts: a few numbers per article
    and a sort key per finding listed (open problems, accepted findings), so the findings
    need not all be in memory (they may be on disk, read back by index)."""

    claims: int = 0
    verdicts: dict[Verdict, int] = field(default_factory=lambda: verdict_tally(()))
    hand_written: int = 0
    accepted_count: int = 0
    articles: dict[str | None, _ArticleTally] = field(default_factory=dict)
    """In the order each article's first finding comes."""
    attention: list[_Rank] = field(default_factory=list)
    accepted: list[_Rank] = field(default_factory=list)
    present: set[str] = field(default_factory=set)
    """Of the ids `wanted`, those with a finding."""

    @classmethod
    def of(cls, findings: Iterable[Facts], wanted: Collection[str]) -> _IndexFacts:
        facts = cls()
        for index, finding in enumerate(findings):
            facts._add(index, finding, wanted)
        facts.attention.sort()
        facts.accepted.sort()
        return facts

    def _add(self, index: int, finding: Facts, wanted: Collection[str]) -> None:
        verdict, quiet = finding.verdict, finding.accepted
        self.claims += 1
        self.verdicts[verdict] += 1
        if finding.article is None:
            self.hand_written += 1
        if quiet:
            self.accepted_count += 1
        tally = self.articles.get(finding.article)
        if tally is None:
            tally = self.articles[finding.article] = _ArticleTally()
        tally.claims += 1
        tally.verdicts[verdict] += 1
        if not quiet:
            tally.worst_open = max(tally.worst_open, verdict.severity)
        if finding.id in wanted:
            self.present.add(finding.id)
        if quiet or verdict is not Verdict.SUPPORTED:
            score = finding.score if verdict is not Verdict.UNAVAILABLE else 0
            rank = (-verdict.severity, score, *finding.reading_key(), index)
            (self.accepted if quiet else self.attention).append(rank)

    def scope_line(self) -> str:
        articles = sum(1 for article in self.articles if article is not None)
        parts = [
            f"{self.claims} {'claim' if self.claims == 1 else 'claims'} in {articles} "
            + ("article" if articles == 1 else "articles")
        ]
        if self.hand_written:
            parts.append(f"{self.hand_written} hand-written")
        if self.accepted_count:
            parts.append(f"{self.accepted_count} accepted")
        return " · ".join(parts)


def render_index(
    findings: Sequence[Finding],
    pages: Mapping[str | None, Page],
    *,
    generated_at: str,
    warnings: Sequence[ExtractionWarning] = (),
    changes: RunChanges | None = None,
) -> str:
    """The index page, from one pass over `findings` and a read of the few it lists (the
    first INDEX_ROWS open problems and every accepted finding) by their index."""
    wanted = {c.id for c in (*changes.new, *changes.fixed)} if changes is not None else set()
    findings = Findings.of(findings)
    facts = _IndexFacts.of(findings.facts, wanted)
    lines = [
        GENERATED_MARKER,
        "# Citation report",
        "",
        f"Generated {generated_at} · {facts.scope_line()}",
        "",
    ]
    counts = facts.verdicts
    lines += table(
        ["Verdict", "Claims"],
        ["---", "--:"],
        [[verdict_badge(v), str(counts[v])] for v in VERDICTS_WORST_FIRST],
    )

    if changes is not None:
        lines += _changes_section(changes, pages, facts.present)

    lines += ["", "## Needs attention", ""]
    if facts.attention:
        lines += table(
            ["Verdict", "Score", "Claim", "Where"],
            ["---", "--:", "---", "---"],
            [_index_row(findings[rank[-1]], pages) for rank in facts.attention[:INDEX_ROWS]],
        )
        if len(facts.attention) > INDEX_ROWS:
            more = len(facts.attention) - INDEX_ROWS
            lines += ["", f"… and {more} more on the article pages."]
    else:
        lines.append("Nothing: every claim is supported or accepted.")

    # Every accepted finding, never cut short: a reviewer must see each one that is silenced.
    if facts.accepted:
        accepted = [findings[rank[-1]] for rank in facts.accepted]
        lines += ["", "## Accepted", ""]
        lines += table(
            ["Verdict", "Claim", "Note"],
            ["---", "---", "---"],
            [
                [verdict_badge(f.verdict), _claim_link(f, pages), escape(f.claim.note or "")]
                for f in accepted
            ],
        )

    lines += ["", "## Articles", ""]
    lines += table(
        ["Article", "Claims", *(verdict_badge(v) for v in VERDICTS_WORST_FIRST)],
        ["---", "--:", *("--:" for _ in VERDICTS_WORST_FIRST)],
        _article_rows(facts.articles, pages),
    )
    if warnings:
        lines += ["", "## Warnings", ""]
        lines += [f"- {code(f'{w.article}:{w.line}')}: {escape(w.message)}" for w in warnings]
    return "\n".join(lines) + "\n"


def _changes_section(
    changes: RunChanges, pages: Mapping[str | None, Page], present: set[str]
) -> list[str]:
    since = f"the run of {changes.since}" if changes.since else "the previous run"
    lines = [
        "",
        "## Since last run",
        "",
        f"Compared with {since}: {len(changes.new)} new · {len(changes.fixed)} fixed.",
    ]
    for title, rows, first in (("New", changes.new, "Verdict"), ("Fixed", changes.fixed, "Now")):
        if not rows:
            continue
        lines += ["", f"### {title}", ""]
        table_rows = []
        for change in rows[:INDEX_ROWS]:
            label = escape(snippet(change.text))
            page = pages.get(change.article)
            if change.id in present and page is not None:
                label = f"[{label}]({page.file_name}#{change.id})"
            table_rows.append(
                [
                    change.now,
                    change.before or "new claim",
                    label,
                    escape(_location(change.article, change.line)),
                ]
            )
        lines += table([first, "Was", "Claim", "Where"], ["---", "---", "---", "---"], table_rows)
        if len(rows) > INDEX_ROWS:
            lines += ["", f"… and {len(rows) - INDEX_ROWS} more."]
    return lines


def _claim_link(finding: Finding, pages: Mapping[str | None, Page]) -> str:
    page = pages[finding.claim.article]
    return f"[{escape(snippet(finding.claim.text))}]({page.file_name}#{finding.claim.id})"


def verdict_label(finding: Finding) -> str:
    """The verdict, with the acceptance when there is one ("(accepted)", "(acceptance stale)",
    "(acceptance not pinned)")."""
    state = acceptance(finding)
    badge = verdict_badge(finding.verdict)
    if state.holds:
        return f"{badge} (accepted)"
    if state.stale:
        return f"{badge} (acceptance stale)"
    if state is Acceptance.UNPINNED:
        return f"{badge} (acceptance not pinned)"
    return badge


def _index_row(finding: Finding, pages: Mapping[str | None, Page]) -> list[str]:
    return [
        verdict_label(finding),
        score_text(finding),
        _claim_link(finding, pages),
        escape(where(finding)),
    ]


def _article_rows(
    articles: Mapping[str | None, _ArticleTally], pages: Mapping[str | None, Page]
) -> list[list[str]]:
    def worst_first(article: str | None) -> tuple[int, bool, str]:
        return (-articles[article].worst_open, article is None, article or "")

    rows: list[list[str]] = []
    for article in sorted(articles, key=worst_first):
        page = pages[article]
        tally = articles[article]
        rows.append(
            [
                f"[{escape(page.title)}]({page.file_name})",
                str(tally.claims),
                *(str(tally.verdicts[v]) for v in VERDICTS_WORST_FIRST),
            ]
        )
    return rows


SourceLink = Callable[[Capture], str | None]
"""Maps a Capture to a link target, from the page, for the text captured from it (or None)."""


def render_article(
    page: Page, findings: Sequence[Finding], *, source_link: SourceLink | None = None
) -> str:
    in_order = problems_first(findings)
    lines = [
        GENERATED_MARKER,
        f"# {escape(page.title)}",
        "",
        f"[Index](index.md) · {_count_line(in_order)}",
        "",
    ]
    lines += table(
        ["Verdict", "Claim", "Line", "Score"],
        ["---", "---", "--:", "--:"],
        [
            [
                verdict_label(f),
                f"[{escape(snippet(f.claim.text, HEADING_CHARS))}](#{f.claim.id})",
                str(f.claim.line) if f.claim.line is not None else "—",
                score_text(f),
            ]
            for f in in_order
        ],
    )
    for finding in in_order:
        lines += ["", *render_finding(finding, source_link=source_link)]
    return "\n".join(lines) + "\n"


def render_finding(finding: Finding, *, source_link: SourceLink | None = None) -> list[str]:
    claim = finding.claim
    heading_facts = [f"**{finding.verdict.value}**"]
    if finding.verdict is not Verdict.UNAVAILABLE:
        heading_facts.append(f"score {finding.score:.2f}")
    heading_facts.append(code(where(finding)))
    if claim.footnote is not None:
        heading_facts.append(f"footnote {escape(claim.footnote)}")
    heading_facts.append(code(claim.id))
    # The anchor keeps the index's links (and older reports') to `#<claim id>` working.
    heading = (
        f'## <a id="{claim.id}"></a>{VERDICT_SYMBOLS[finding.verdict]} '
        f"{escape(snippet(claim.text, HEADING_CHARS))}"
    )
    lines = [heading, "", " · ".join(heading_facts), ""]
    lines.append(quote(highlight(claim.text, [(f.start, f.end) for f in finding.flags])))
    state = acceptance(finding)
    note = escape(claim.note) if claim.note else "(no note)"
    if state.holds:
        lines += ["", f"Accepted by a reviewer: {note}"]
    elif state.stale:
        lines += ["", f"**Acceptance {state.value}** since it was accepted; the note said: {note}"]
    if finding.verdict is Verdict.UNAVAILABLE and finding.reason:
        lines += ["", f"Unavailable: {escape(finding.reason)}"]
    if finding.flags:
        lines.append("")
        lines += table(
            ["Flag", "Claim says", "Source says"],
            ["---", "---", "---"],
            [
                [
                    escape(flag.label),
                    escape(flag.claim) or "—",
                    escape(flag.source) if flag.source else "—",
                ]
                for flag in finding.flags
            ],
        )
    if finding.evidence is not None:
        lines += ["", f"Evidence{_evidence_origin(finding)}:", ""]
        lines.append(quote(_evidence_markdown(finding.evidence, finding)))
    sources = _source_lines(finding, source_link)
    if sources:
        lines += ["", "Sources:", "", *sources]
    return lines


def _evidence_markdown(evidence: Evidence, finding: Finding) -> str:
    conflicting = [flag.source for flag in finding.flags if flag.source]
    return highlight(evidence.text, occurrences(evidence.text, conflicting))


def evidence_origin(finding: Finding) -> str | None:
    """The URL of the source whose passage is the finding's evidence."""
    for check in finding.checks:
        if check.assessment is not None and check.assessment.evidence == finding.evidence:
            return check.url
    return None


def _evidence_origin(finding: Finding) -> str:
    for check in finding.checks:
        if check.assessment is not None and check.assessment.evidence == finding.evidence:
            return f" from {code(check.url)}" if check.url else ""
    return ""


def _cited(claim_citations: Sequence[Citation], url: str | None) -> Citation | None:
    return next((c for c in claim_citations if c.url == url), None)


def _source_lines(finding: Finding, source_link: SourceLink | None) -> list[str]:
    lines: list[str] = []
    checked_urls = {check.url for check in finding.checks}
    for number, check in enumerate(finding.checks, start=1):
        cited = _cited(finding.claim.citations, check.url)
        source = check.source
        title = (cited.title if cited else None) or (
            source.title if isinstance(source, Capture) else None
        )
        if check.url is None:
            label = escape(title) if title else "(no URL)"
        elif is_web_url(check.url):
            label = link(title or check.url, check.url)
        else:
            label = (escape(title) + " " if title else "") + code(check.url)
        facts = [label]
        if cited and cited.publisher:
            facts.append(escape(cited.publisher))
        if cited and cited.accessed:
            facts.append(f"accessed {escape(cited.accessed)}")
        if isinstance(source, Capture):
            facts.append(f"captured {escape(source.fetched_at)}")
            facts.append(code(source.payload_digest))
            facts.append(f"via {source.via}")
            if source.final_url != source.url:
                facts.append(f"final URL {code(source.final_url)}")
            captured = source_link(source) if source_link is not None else None
            if captured is not None:
                facts.append(link("captured text", captured))
            elif source.warc_file:
                facts.append(f"archived in {code(source.warc_file)}")
        else:
            facts.append(f"**unavailable**: {escape(source.describe())}")
        if check.assessment is not None:
            assessment = check.assessment
            facts.append(f"{assessment.verdict.value} {assessment.score:.2f}")
        lines.append(f"{number}. " + " · ".join(facts))
    # URLs the claim cites that were never checked (e.g. a run stopped early) still show.
    for url in finding.claim.urls:
        if url not in checked_urls:
            lines.append(f"{len(lines) + 1}. {code(url)} · not checked")
    return lines
