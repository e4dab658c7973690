"""MediaWiki XML dumps as input: streamed pages, JSONL shards, a summary index."""

from __future__ import annotations

import bz2
import json
import os
import subprocess
import sys
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from conftest import LoopbackServer

from verifier.dump import shards
from verifier.dump.pages import DumpStats, article_pages
from verifier.dump.passes import extract_dump
from verifier.errors import InputError
from verifier.extract import extract_article

FIXTURE = Path(__file__).parent / "fixtures" / "extract" / "article.wiki"
HARBOUR = (
    "'''Port Ellery''' is a harbour town.\n\n"
    "The harbour recorded 12,400 ships in 2023.<ref>{{cite web |url={base}/ships "
    "|title=Harbour figures |access-date=2 March 2024}}</ref> "
    "The lighthouse was built in 1871.<ref>{{cite web |url={base}/lighthouse "
    "|title=Lighthouse}}</ref>\n\n== References ==\n{{reflist}}\n"
)


def make_dump(
    pages: list[tuple[str, int, str]],
    path: Path,
    *,
    schema: str = "0.11",
    redirects: tuple[str, ...] = (),
) -> Path:
    """A MediaWiki export of (title, namespace, wikitext) pages, bz2 when path ends so."""
    namespace = f"http://www.mediawiki.org/xml/export-{schema}/"
    parts = [
        f'<mediawiki xmlns="{namespace}" version="{schema}" xml:lang="en">',
        "<siteinfo><sitename>Test wiki</sitename></siteinfo>",
    ]
    entries = [(title, ns, text, False) for title, ns, text in pages]
    entries += [(title, 0, "#REDIRECT [[Port Ellery]]", True) for title in redirects]
    for number, (title, ns, text, redirect) in enumerate(entries, start=1):
        parts += [
            "<page>",
            f"<title>{escape(title)}</title><ns>{ns}</ns><id>{number}</id>",
            '<redirect title="Port Ellery" />' if redirect and schema != "0.3" else "",
            f"<revision><id>{number * 10}</id><timestamp>2024-03-01T00:00:00Z</timestamp>",
            '<model>wikitext</model><format>text/x-wiki</format><text bytes="1" '
            f'xml:space="preserve">{escape(text)}</text>',
            "</revision></page>",
        ]
    parts.append("</mediawiki>")
    data = "\n".join(parts).encode("utf-8")
    path.write_bytes(bz2.compress(data) if path.suffix == ".bz2" else data)
    return path


def pages_for(base: str) -> list[tuple[str, int, str]]:
    return [
        ("Ferrow Bridge", 0, FIXTURE.read_text(encoding="utf-8")),
        ("Port Ellery", 0, HARBOUR.format(base=base)),
        ("Talk:Port Ellery", 1, HARBOUR.format(base=base)),
        ("Template:Cite web", 10, "A sentence.<ref>https://template.example.org/</ref>"),
    ]


def claims_of(folder: Path) -> list[tuple[object, ...]]:
    manifest = shards.read_manifest(folder)
    return [
        (r["article"], r["line"], r["footnote"], r["text"], tuple(r["urls"]))
        for shard in manifest["claim_shards"]
        for r in shards.read_records(folder, shard)
    ]


@pytest.mark.parametrize(("name", "schema"), [("dump.xml.bz2", "0.11"), ("dump.xml", "0.3")])
def test_a_dump_gives_the_claims_of_its_pages_read_one_file_at_a_time(
    tmp_path: Path, name: str, schema: str
) -> None:
    pages = pages_for("https://harbour.example.org")
    dump = make_dump(pages, tmp_path / name, schema=schema, redirects=("Ellery",))
    summary = extract_dump(dump, tmp_path / "out", per_shard=3)

    expected = []
    for title, ns, text in pages:
        if ns == 0:
            single = tmp_path / f"{title}.wiki"
            single.write_text(text, encoding="utf-8")
            extraction = extract_article(single, title)
            expected += [
                (title, c.line, c.footnote, c.text, tuple(x.url for x in c.citations if x.url))
                for c in extraction.claims
            ]
    assert claims_of(tmp_path / "out") == expected
    assert len(expected) > 5
    assert (summary.pages.articles, summary.pages.redirects, summary.pages.other_namespaces) == (
        2,
        1,
        2,
    )
    manifest = shards.read_manifest(tmp_path / "out")
    assert manifest["claims"] == len(expected)
    assert {s["records"] for s in manifest["claim_shards"][:-1]} == {3}  # shards of 3 claims
    assert not list((tmp_path / "out").glob("*.part"))


def test_pages_are_released_as_they_are_read(tmp_path: Path) -> None:
    text = "A sentence.<ref>https://example.org/x</ref>\n" * 50
    dump = make_dump([(f"Page {n}", 0, text) for n in range(300)], tmp_path / "d.xml")
    stats = DumpStats()
    seen = 0
    for page in article_pages(dump, stats):
        seen += 1
        assert page.title == f"Page {seen - 1}"
    assert seen == stats.articles == stats.pages == 300


def test_a_file_that_is_not_an_export_is_an_input_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xml.bz2"
    broken.write_bytes(bz2.compress(b"<mediawiki><page><title>x</title>"))
    with pytest.raises(InputError):
        list(article_pages(broken))


def test_run_dump_checks_every_shard_and_writes_a_summary_index(
    http_server: LoopbackServer, tmp_path: Path
) -> None:
    page = (
        "<html><body><article><p>Port Ellery harbour recorded 12,400 ships in 2023.</p>"
        "<p>The lighthouse was built in 1881.</p></article></body></html>"
    )
    http_server.route("/ships", page)
    http_server.route("/lighthouse", page)
    base = http_server.url("").rstrip("/")
    make_dump(pages_for(base)[1:], tmp_path / "wiki.xml.bz2")
    (tmp_path / "claims.yaml").write_text(
        "fetch:\n  allow_hosts: [127.0.0.1]\n  wayback: null\nclaims: []\n", encoding="utf-8"
    )
    environment = {**os.environ, "CI": "true", "VERIFIER_NO_CACHE": "1"}
    environment.pop("GITHUB_ACTIONS", None)
    completed = subprocess.run(
        [sys.executable, "-m", "verifier", "run", "--dump", "wiki.xml.bz2"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 2, completed.stderr  # the lighthouse date differs
    manifest = shards.read_manifest(tmp_path / "dump")
    results = [
        record
        for shard in manifest["result_shards"]
        for record in shards.read_records(tmp_path / "dump", shard)
    ]
    verdicts = {r["text"].split()[1]: r["verdict"] for r in results}
    assert verdicts == {"harbour": "supported", "lighthouse": "contradicted"}
    assert manifest["verdicts"] == {"supported": 1, "contradicted": 1}
    index = (tmp_path / "reports" / "index.md").read_text(encoding="utf-8")
    assert "| contradicted | 1 |" in index and "lighthouse was built in 1871" in index
    ledger = (tmp_path / "claims.yaml").read_text(encoding="utf-8")
    assert "claims: []" in ledger  # the dump's claims never go into claims.yaml
    assert json.loads((tmp_path / "dump" / "manifest.json").read_text())["claims"] == 2
