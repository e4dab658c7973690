"""Reports: the Markdown pages (golden), results.json (CONTRACT fields), file handling."""

from __future__ import annotations

import dataclasses
import io
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from fixtures.report import samples
from markdown_it import MarkdownIt

from verifier.errors import InputError
from verifier.model import Claim, ExtractionWarning, Finding, Flag, Status, Verdict
from verifier.report import article_slug, history, results_document, results_json, write_reports
from verifier.report.facts import Facts
from verifier.report.markdown import escape, highlight, snippet
from verifier.report.pages import plan_pages
from verifier.report.results import CarriedFindings, facts_of_entry, finding_from_entry
from verifier.report.results import ordered as ordered_findings

GOLDEN = Path(__file__).parent / "fixtures" / "report" / "golden"
GENERATED_AT = "2026-11-22T00:00:00Z"
WARNINGS = (ExtractionWarning("articles/sales.md", 40, "footnote 7 has no URL"),)
# Set to rewrite the golden files after an intended change; review the diff before committing.
UPDATE = os.environ.get("VERIFIER_UPDATE_GOLDEN") == "1"


def written(out_dir: Path) -> dict[str, str]:
    """The report files at the top of `out_dir` (the captured-text pages are in sources/)."""
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(out_dir.iterdir()) if p.is_file()}


def test_markdown_reports_match_golden_files(tmp_path: Path) -> None:
    write_reports(samples.all_findings(), tmp_path, warnings=WARNINGS, generated_at=GENERATED_AT)
    pages = {name: text for name, text in written(tmp_path).items() if name.endswith(".md")}
    if UPDATE:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        for name, text in pages.items():
            (GOLDEN / name).write_text(text, encoding="utf-8")
    expected = {p.name: p.read_text(encoding="utf-8") for p in sorted(GOLDEN.glob("*.md"))}
    assert sorted(pages) == sorted(expected)
    for name, text in pages.items():
        assert text == expected[name], name


def test_results_json_has_the_contract_fields(tmp_path: Path) -> None:
    write_reports(samples.all_findings(), tmp_path, generated_at=GENERATED_AT)
    document = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    claims = {entry["id"]: entry for entry in document["claims"]}
    assert len(claims) == len(samples.all_findings())
    for entry in claims.values():
        for key in ("id", "article", "line", "text", "urls", "verdict", "score", "flags"):
            assert key in entry
        assert entry["verdict"] in {v.value for v in Verdict}
        assert isinstance(entry["score"], float) and 0.0 <= entry["score"] <= 1.0
        assert isinstance(entry["urls"], list)
        assert entry["evidence"] is None or isinstance(entry["evidence"], str)
    iwaya = claims["c-3f9a1e"]
    assert iwaya["verdict"] == "contradicted"
    assert iwaya["article"] == "examples/iwaya.md" and iwaya["line"] == 12
    assert iwaya["urls"] == [samples.IWAYA_URL]
    assert iwaya["flags"] == [
        {
            "start": 8,
            "end": 24,
            "kind": "title",
            "claim": "Defense Minister",
            "source": "Foreign Minister",
        }
    ]
    assert iwaya["evidence"] == samples.IWAYA_SOURCE
    assert iwaya["sources"][0]["digest"].startswith("sha1:")
    assert claims["c-dead01"]["evidence"] is None
    assert claims["c-dead01"]["reason"] == "dead: HTTP 404"
    assert claims["c-acc001"]["accepted"] is True
    assert claims["c-hand01"]["article"] is None


def test_results_file_equals_results_document(tmp_path: Path) -> None:
    findings = samples.all_findings()
    write_reports(findings, tmp_path, generated_at=GENERATED_AT)
    on_disk = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert on_disk == results_document(findings, generated_at=GENERATED_AT)
    # Order does not depend on the order findings arrive in (concurrent checking).
    assert results_document(list(reversed(findings))) == results_document(findings)


def test_rerun_with_nothing_changed_leaves_article_pages_untouched(tmp_path: Path) -> None:
    findings = samples.all_findings()
    write_reports(findings, tmp_path, generated_at=GENERATED_AT)
    before = {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()}
    inodes = {p.name: p.stat().st_ino for p in tmp_path.iterdir()}
    write_reports(findings, tmp_path, generated_at="2026-11-23T00:00:00Z")
    after = {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()}
    for page in ("examples-iwaya.md", "articles-sales.md", "hand-written.md"):
        assert after[page] == before[page]
        assert (tmp_path / page).stat().st_ino == inodes[page]
    assert "2026-11-23T00:00:00Z" in (tmp_path / "index.md").read_text(encoding="utf-8")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_no_findings_still_writes_a_readable_index(tmp_path: Path) -> None:
    write_reports([], tmp_path, generated_at=GENERATED_AT)
    assert sorted(n for n in written(tmp_path) if not n.startswith(".")) == [
        "index.md",
        "results.json",
    ]
    document = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert document["claims"] == []
    assert "0 claims" in (tmp_path / "index.md").read_text(encoding="utf-8")


def test_page_names_are_unique_and_never_clobber_the_index() -> None:
    pages = plan_pages(["a/b.md", "a-b.md", "index.md", "Results.md", "notes/Intro.txt", None])
    stems = [page.stem for page in pages.values()]
    assert len(set(stems)) == len(stems)
    assert not {"index", "results"} & {stem.casefold() for stem in stems}
    assert pages["notes/Intro.txt"].stem == "notes-Intro" == article_slug("notes/Intro.txt")
    assert pages[None].stem == "hand-written"
    assert plan_pages(["a-b.md", "a/b.md"]) == plan_pages(["a/b.md", "a-b.md"])


@pytest.mark.parametrize(
    "text",
    ["a | b", "*stars* and _under_", "<script>alert(1)</script>", "[link](x)", "`code`", "a\nb"],
)
def test_escape_keeps_text_inert_in_a_table_cell(text: str) -> None:
    cell = escape(text)
    assert "\n" not in cell
    for char in "|*_<>[]`":
        assert cell.count(char) == cell.count("\\" + char)


def test_highlight_bolds_flagged_spans_and_escapes_the_rest() -> None:
    text = "The *new* Defense Minister spoke."
    start = text.index("Defense")
    assert highlight(text, [(start, start + len("Defense Minister"))]) == (
        r"The \*new\* **Defense Minister** spoke."
    )
    # Overlapping and out-of-range spans merge and clamp instead of breaking the markup.
    assert highlight("abcdef", [(1, 3), (2, 4), (5, 99)]) == "a**bcd**e**f**"


def test_a_flag_whose_source_text_is_missing_shows_a_dash(tmp_path: Path) -> None:
    claim = Claim(id="c-1", text="It cost $5 million.", urls=(), article="a.md", line=1)
    flag = Flag(8, 18, "number", "$5 million", None)
    write_reports(
        [Finding(claim, Verdict.UNSUPPORTED, 0.1, flags=(flag,))],
        tmp_path,
        generated_at=GENERATED_AT,
    )
    page = (tmp_path / "a.md").read_text(encoding="utf-8")
    assert "| number | $5 million | — |" in page
    assert "It cost $5 **million**" not in page and "It cost **$5 million**." in page


GOLDEN_SINCE = Path(__file__).parent / "fixtures" / "report" / "golden-since" / "index.md"
PREVIOUS = Path(__file__).parent / "fixtures" / "report" / "previous-results.json"


def test_index_lists_new_and_fixed_since_the_previous_results(tmp_path: Path) -> None:
    (tmp_path / "results.json").write_bytes(PREVIOUS.read_bytes())
    write_reports(samples.all_findings(), tmp_path, generated_at=GENERATED_AT)
    index = (tmp_path / "index.md").read_text(encoding="utf-8")
    if UPDATE:
        GOLDEN_SINCE.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN_SINCE.write_text(index, encoding="utf-8")
    assert index == GOLDEN_SINCE.read_text(encoding="utf-8")


def test_history_classifies_new_and_fixed() -> None:
    previous = json.loads(PREVIOUS.read_text(encoding="utf-8"))
    changes = history.compare(previous, samples.all_findings())
    assert changes is not None and changes.since == "2026-11-21T00:00:00Z"
    assert {(c.id, c.before, c.now) for c in changes.new} == {
        ("c-3f9a1e", "supported", "contradicted"),
        ("c-hand01", None, "partial"),
    }
    assert {(c.id, c.before, c.now) for c in changes.fixed} == {
        ("c-gone01", "contradicted", "removed"),
        ("c-0b1c2d", "unsupported", "supported"),
        ("c-acc001", "unsupported", "accepted"),
    }
    assert history.compare(None, samples.all_findings()) is None


def test_a_damaged_previous_results_file_only_loses_the_comparison(tmp_path: Path) -> None:
    write_reports([], tmp_path, generated_at=GENERATED_AT)
    (tmp_path / "results.json").write_text("{not json", encoding="utf-8")
    write_reports(samples.all_findings(), tmp_path, generated_at=GENERATED_AT)
    assert "Since last run" not in (tmp_path / "index.md").read_text(encoding="utf-8")
    assert json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))["claims"]


def test_sources_link_to_a_page_of_the_text_captured_from_them(tmp_path: Path) -> None:
    out_dir = tmp_path / "reports"
    write_reports([samples.contradicted()], out_dir, generated_at=GENERATED_AT)
    page = (out_dir / "examples-iwaya.md").read_text(encoding="utf-8")
    [target] = re.findall(r"\[captured text\]\(<([^>]+)>\)", page)
    assert target.startswith("sources/") and target.endswith(".md")
    captured = (out_dir / target).read_text(encoding="utf-8")
    assert samples.IWAYA_SOURCE in captured
    assert samples.IWAYA_URL in captured and "archive/2026/11/20.warc.gz" in captured


def test_unchanged_pages_are_not_even_rendered_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import verifier.report as report_package

    findings = samples.all_findings()
    write_reports(findings, tmp_path, generated_at=GENERATED_AT)
    rendered: list[str | None] = []
    original = report_package.render_article

    def counting(page, page_findings, **options):  # type: ignore[no-untyped-def]
        rendered.append(page.article)
        return original(page, page_findings, **options)

    monkeypatch.setattr(report_package, "render_article", counting)
    write_reports(findings, tmp_path, generated_at=GENERATED_AT)
    assert rendered == []

    changed = [
        samples.contradicted(),
        dataclasses.replace(samples.supported(), score=0.5),
        *findings[2:],
    ]
    (tmp_path / "hand-written.md").unlink()
    write_reports(changed, tmp_path, generated_at=GENERATED_AT)
    assert sorted(rendered, key=str) == sorted(["examples/iwaya.md", None], key=str)
    assert "score 0.50" in (tmp_path / "examples-iwaya.md").read_text(encoding="utf-8")


def test_a_partial_run_keeps_the_other_articles_results_and_pages(tmp_path: Path) -> None:
    findings = samples.all_findings()
    write_reports(findings, tmp_path, generated_at=GENERATED_AT)
    sales_page = (tmp_path / "articles-sales.md").read_text(encoding="utf-8")
    full = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))

    iwaya = [f for f in findings if f.claim.article == "examples/iwaya.md"]
    fixed = [dataclasses.replace(f, verdict=Verdict.SUPPORTED, flags=()) for f in iwaya]
    write_reports(
        fixed, tmp_path, generated_at="2026-11-23T00:00:00Z", checked_articles={"examples/iwaya.md"}
    )
    partial = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert {e["id"] for e in partial["claims"]} == {e["id"] for e in full["claims"]}
    by_id = {e["id"]: e for e in partial["claims"]}
    assert by_id["c-3f9a1e"]["verdict"] == "supported"
    before = {e["id"]: e for e in full["claims"]}
    for carried in ("c-acc001", "c-book01", "c-hand01"):
        assert by_id[carried] == before[carried]
    assert (tmp_path / "articles-sales.md").read_text(encoding="utf-8") == sales_page
    index = (tmp_path / "index.md").read_text(encoding="utf-8")
    assert "0 new · 2 fixed" in index  # only what this run checked changed


def test_findings_rebuilt_from_results_keep_verdicts_and_acceptance() -> None:
    from verifier.ledger.acceptance import acceptance, finding_fingerprint
    from verifier.report.results import finding_from_entry

    pinned = samples.contradicted()
    claim = dataclasses.replace(
        pinned.claim,
        status=Status.ACCEPTED,
        note="ok",
        accepted_for=finding_fingerprint(pinned),
    )
    findings = [*samples.all_findings(), dataclasses.replace(pinned, claim=claim)]
    for entry, finding in zip(
        results_document(findings)["claims"], ordered_findings(findings), strict=True
    ):
        rebuilt = finding_from_entry(entry)
        assert rebuilt.verdict is finding.verdict
        assert rebuilt.flags == finding.flags
        assert acceptance(rebuilt) is acceptance(finding)


def test_a_stale_acceptance_is_marked_and_needs_attention_again(tmp_path: Path) -> None:
    base = samples.contradicted()
    claim = dataclasses.replace(
        base.claim, status=Status.ACCEPTED, note="was fine", accepted_for="00000000/00000000"
    )
    write_reports([dataclasses.replace(base, claim=claim)], tmp_path, generated_at=GENERATED_AT)
    index = (tmp_path / "index.md").read_text(encoding="utf-8")
    attention = index[index.index("## Needs attention") : index.index("## Articles")]
    assert "contradicted (acceptance stale)" in attention
    assert "## Accepted" not in index
    page = (tmp_path / "examples-iwaya.md").read_text(encoding="utf-8")
    assert "**Acceptance stale: claim text changed**" in page and "was fine" in page


def test_the_page_of_an_article_that_left_the_ledger_is_removed(tmp_path: Path) -> None:
    findings = samples.all_findings()
    (tmp_path / "notes.md").write_text("a file of the user's own", encoding="utf-8")
    write_reports(findings, tmp_path, generated_at=GENERATED_AT)
    assert (tmp_path / "articles-sales.md").exists()
    remaining = [f for f in findings if f.claim.article != "articles/sales.md"]
    write_reports(remaining, tmp_path, generated_at=GENERATED_AT)
    assert not (tmp_path / "articles-sales.md").exists()
    assert (tmp_path / "examples-iwaya.md").exists()
    assert (tmp_path / "notes.md").exists()  # never ours: never touched


def test_the_index_lists_every_accepted_finding_with_its_note(tmp_path: Path) -> None:
    from verifier.ledger.acceptance import finding_fingerprint

    base = samples.contradicted()
    findings = []
    for number in range(130):  # more than any "worst findings" table shows
        claim = dataclasses.replace(base.claim, id=f"c-{number:06x}", text=f"Claim {number}.")
        finding = dataclasses.replace(base, claim=claim)
        pinned = dataclasses.replace(
            claim,
            status=Status.ACCEPTED,
            note=f"reviewed as number {number}",
            accepted_for=finding_fingerprint(finding),
        )
        findings.append(dataclasses.replace(finding, claim=pinned))
    bare = dataclasses.replace(
        base, claim=dataclasses.replace(base.claim, status=Status.ACCEPTED, note="by hand")
    )
    write_reports([*findings, bare], tmp_path, generated_at=GENERATED_AT)
    index = (tmp_path / "index.md").read_text(encoding="utf-8")
    accepted = index[index.index("## Accepted") : index.index("## Articles")]
    assert all(f"reviewed as number {number} |" in accepted for number in range(130))
    assert "by hand" not in accepted
    attention = index[index.index("## Needs attention") : index.index("## Accepted")]
    assert "contradicted (acceptance not pinned)" in attention


def test_page_names_keep_their_case_and_differ_beyond_case() -> None:
    """README.md gets README.md (not readme.md); A.md and a.md would be one file on a
    case-insensitive file system, so they get distinct names."""
    pages = plan_pages(["README.md", "notes/A.md", "notes/a.md"])
    assert pages["README.md"].file_name == "README.md"
    folded = [pages[a].file_name.casefold() for a in ("notes/A.md", "notes/a.md")]
    assert len(set(folded)) == 2


def test_reports_never_write_over_a_file_they_did_not_create(tmp_path: Path) -> None:
    """settings.reports_dir: . beside a user's index.md, or an article README.md whose page
    would be README.md: exit 3 (InputError) with nothing written."""
    (tmp_path / "index.md").write_text("# My project\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        write_reports(samples.all_findings(), tmp_path, generated_at=GENERATED_AT)
    assert raised.value.path == str(tmp_path / "index.md")
    assert [p.name for p in tmp_path.iterdir()] == ["index.md"]
    assert (tmp_path / "index.md").read_text(encoding="utf-8") == "# My project\n"

    article = tmp_path / "README.md"
    article.write_text("# Read me\n\nThe harbour opened in 1931.[^1]\n", encoding="utf-8")
    (tmp_path / "index.md").unlink()
    readme = dataclasses.replace(
        samples.contradicted(),
        claim=dataclasses.replace(samples.contradicted().claim, article="README.md"),
    )
    with pytest.raises(InputError):
        write_reports([readme], tmp_path, generated_at=GENERATED_AT)
    assert article.read_text(encoding="utf-8").startswith("# Read me")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README.md"]


def test_reports_replace_their_own_files_run_after_run(tmp_path: Path) -> None:
    write_reports(samples.all_findings(), tmp_path, generated_at=GENERATED_AT)
    write_reports(samples.all_findings()[:2], tmp_path, generated_at="2026-11-23T00:00:00Z")
    assert "2026-11-23" in (tmp_path / "index.md").read_text(encoding="utf-8")


def test_article_pages_list_problems_before_supported_claims(tmp_path: Path) -> None:
    write_reports(samples.all_findings(), tmp_path, generated_at=GENERATED_AT)
    page = (tmp_path / "examples-iwaya.md").read_text(encoding="utf-8")
    headings = [line for line in page.splitlines() if line.startswith("## ")]
    assert [heading.split("</a>")[1][0] for heading in headings] == ["❌", "❓", "✅"]
    assert "Japan's Defense Minister Takeshi Iwaya" in headings[0]


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        (
            "said the bridge would again carry about 30,000 vehicles a day",
            45,
            "said the bridge would again carry about…",
        ),
        ("short enough", 50, "short enough"),
        ("Supercalifragilisticexpialidocious-and-then-some-more", 20, "Supercalifragilisti…"),
    ],
)
def test_snippets_end_on_a_word(text: str, limit: int, expected: str) -> None:
    assert snippet(text, limit) == expected
    assert len(snippet(text, limit)) <= limit


GOLDEN_HTML = Path(__file__).parent / "fixtures" / "report" / "golden-html" / "examples-iwaya.html"


def rendered(markdown_text: str) -> str:
    """Markdown to HTML as a forge renders it: CommonMark with tables and inline HTML."""
    return MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown_text)


def test_the_article_page_renders_to_its_golden_html_and_every_link_lands(tmp_path: Path) -> None:
    """One golden rendering: the page seen through a Markdown renderer, not only as text.
    Tables come out as tables, each claim's heading carries its symbol and anchor, and every
    link goes to an anchor on the page or a file the reports hold."""
    write_reports(samples.all_findings(), tmp_path, generated_at=GENERATED_AT)
    html = rendered((tmp_path / "examples-iwaya.md").read_text(encoding="utf-8"))
    if UPDATE:
        GOLDEN_HTML.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN_HTML.write_text(html, encoding="utf-8")
    assert html == GOLDEN_HTML.read_text(encoding="utf-8")

    ids = set(re.findall(r'id="([^"]+)"', html))
    for target in re.findall(r'href="([^"]+)"', html):
        if target.startswith("#"):
            assert target[1:] in ids, target
        elif not target.startswith("https://"):
            assert (tmp_path / target.split("#")[0]).is_file(), target
    assert html.count("<table>") == 2 and "<!-- Written by verifier" in html


# -- results.json written a piece at a time; the previous one read a claim at a time ------


def test_results_file_is_the_results_document_byte_for_byte(tmp_path: Path) -> None:
    findings = samples.all_findings()
    write_reports(findings, tmp_path, generated_at=GENERATED_AT)
    expected = results_json(results_document(findings, generated_at=GENERATED_AT))
    assert (tmp_path / "results.json").read_bytes() == expected.encode("utf-8")
    write_reports([], tmp_path / "empty", generated_at=GENERATED_AT)
    empty = results_json(results_document([], generated_at=GENERATED_AT))
    assert (tmp_path / "empty" / "results.json").read_text(encoding="utf-8") == empty


def _previous_document() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(PREVIOUS.read_text(encoding="utf-8"))
    return document


@pytest.mark.parametrize("layout", ["a claim a line", "indented", "one line", "CRLF"])
def test_the_previous_results_count_the_same_in_any_layout(tmp_path: Path, layout: str) -> None:
    document = _previous_document()
    text = {
        "a claim a line": results_json(document),
        "indented": json.dumps(document, indent=2),
        "one line": json.dumps(document),
        "CRLF": results_json(document).replace("\n", "\r\n"),
    }[layout]
    (tmp_path / "results.json").write_bytes(text.encode("utf-8"))
    write_reports(samples.all_findings(), tmp_path, generated_at=GENERATED_AT)
    index = (tmp_path / "index.md").read_text(encoding="utf-8")
    assert index == GOLDEN_SINCE.read_text(encoding="utf-8")


def test_the_previous_results_keep_only_what_the_comparison_reads() -> None:
    document = _previous_document()
    findings = samples.all_findings()
    slim = history.previous_document(io.BytesIO(results_json(document).encode("utf-8")))
    assert slim.document["generated_at"] == document["generated_at"]
    assert [e["id"] for e in slim.document["claims"]] == [e["id"] for e in document["claims"]]
    assert all(
        set(entry) <= {"id", "verdict", "accepted", "article", "line", "text"}
        for entry in slim.document["claims"]
    )
    assert len(slim.carried) == 0
    assert history.compare(slim.document, findings) == history.compare(document, findings)


@pytest.mark.parametrize("layout", ["a claim a line", "indented"])
def test_a_changed_since_run_carries_the_other_articles_lines_as_written(layout: str) -> None:
    document = _previous_document()
    checked = {"examples/iwaya.md"}
    text = results_json(document) if layout == "a claim a line" else json.dumps(document, indent=1)
    kept = history.previous_document(io.BytesIO(text.encode("utf-8")), checked)
    others = [e for e in document["claims"] if e.get("article") not in checked]
    assert others and len(others) < len(document["claims"])
    carried = kept.carried
    assert [json.loads(line) for line in carried.lines] == others
    # Each is the line results.json has for it (read back byte for byte from that layout).
    written = {line.removesuffix(",") for line in results_json(document).splitlines()}
    assert set(carried.lines) <= written
    assert list(carried.facts) == [Facts.of(finding_from_entry(e)) for e in others]
    assert [f.claim.id for f in carried] == [e["id"] for e in others]
    assert carried[0] == finding_from_entry(others[0])


def test_the_facts_of_a_results_entry_are_those_of_the_finding_it_describes() -> None:
    # Every sample finding (accepted, stale, unavailable, web captures with pages) written
    # as results.json writes it.
    entries = results_document(samples.all_findings())["claims"]
    assert any(entry["acceptance"] != "none" for entry in entries)
    assert any(source.get("warc_file") for entry in entries for source in entry["sources"])
    for entry in entries:
        assert facts_of_entry(entry) == Facts.of(finding_from_entry(entry))


def test_a_carried_claim_damaged_past_its_facts_is_a_clear_error_where_it_is_read() -> None:
    entries = results_document(samples.all_findings())["claims"]
    entry = next(entry for entry in entries if entry["acceptance"] == "none")
    entry["flags"] = "not a list of flags"
    carried = CarriedFindings()
    carried.add(json.dumps(entry), entry)
    assert len(carried) == 1  # its facts are whole: it is carried
    with pytest.raises(InputError, match=r"results\.json") as raised:
        carried[0]
    assert raised.value.hint is not None and "remove reports/results.json" in raised.value.hint
    carried.add("[]", [])  # an entry without its facts is left out (re-checked next run)
    assert len(carried) == 1


def test_previous_results_of_an_unexpected_shape_are_read_as_a_whole_parse_reads_them() -> None:
    text = results_json(_previous_document())
    twice = text[: -len("\n}\n")] + ',\n"claims": []\n}\n'  # the last "claims" wins
    assert history.previous_document(io.BytesIO(twice.encode())).document["claims"] == []
    with pytest.raises(json.JSONDecodeError):
        history.previous_document(io.BytesIO(text[:-40].encode()))


def test_a_failure_while_writing_leaves_the_last_results_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import verifier.report as report_package

    findings = samples.all_findings()
    write_reports(findings, tmp_path, generated_at=GENERATED_AT)
    before = (tmp_path / "results.json").read_bytes()

    def broken(*args: object, **kwargs: object) -> str:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(report_package, "render_article", broken)
    with pytest.raises(RuntimeError):
        write_reports(findings[1:], tmp_path, generated_at="2026-11-23T00:00:00Z")
    assert (tmp_path / "results.json").read_bytes() == before
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]
