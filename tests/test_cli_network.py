"""`verifier run` end to end against real HTTP servers on 127.0.0.1, then offline from
the archive alone: the path every remote source takes."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import LoopbackServer
from fixtures.entry_point import verifier

PAGE = """<html><head><title>Budget news</title></head><body><article>
<h1>Japan raises defence spending</h1>
<p>The Tokyo government plans to raise defence spending to 2% of GDP within five years,
officials said on Friday.</p>
<p>Foreign Minister Takeshi Iwaya said the increase answered growing regional risks.</p>
</article></body></html>"""


def write_project(root: Path, server: LoopbackServer) -> None:
    (root / "article.md").write_text(
        "Tokyo plans to raise defence spending to 2% of GDP within five years.[^1]\n"
        "Defense Minister Takeshi Iwaya said the increase answered growing regional risks.[^1]\n"
        "The plan was first reported in March.[^2]\n\n"
        f"[^1]: [Budget news]({server.url('/budget')}), accessed 21 March 2024.\n"
        f"[^2]: [Gone]({server.url('/gone')}), accessed 21 March 2024.\n",
        encoding="utf-8",
    )
    (root / "claims.yaml").write_text(
        "articles: [article.md]\n"
        "fetch:\n  allow_hosts: [127.0.0.1]\n  wayback: null\n  timeout: 10\n",
        encoding="utf-8",
    )


def verdicts(root: Path) -> dict[str, tuple[str, str | None]]:
    document = json.loads((root / "reports" / "results.json").read_text(encoding="utf-8"))
    return {c["text"][:20]: (c["verdict"], c.get("reason")) for c in document["claims"]}


def test_run_fetches_archives_and_rechecks_offline(
    tmp_path: Path, http_server: LoopbackServer
) -> None:
    http_server.route("/budget", PAGE, headers={"Content-Type": "text/html; charset=utf-8"})
    http_server.route("/gone", "not here", status=404)
    write_project(tmp_path, http_server)

    assert verifier("extract", cwd=tmp_path).returncode == 0
    fetched = verifier("fetch", cwd=tmp_path)
    assert fetched.returncode == 0, fetched.stderr
    assert "1 readable, 1 unavailable" in fetched.stderr
    online = verifier("run", cwd=tmp_path)

    assert online.returncode == 2, online.stderr
    first = verdicts(tmp_path)
    assert first["Tokyo plans to raise"][0] == "supported"
    assert first["Defense Minister Tak"][0] == "contradicted"
    verdict, reason = first["The plan was first r"]
    assert verdict == "unavailable"
    assert reason is not None and reason.startswith("dead")
    assert http_server.hits("/budget") == 1  # cited twice, fetched once, then read from the archive
    # The reviewer reads what the matcher read: the archived page's text has its own page,
    # linked from the claim's article page.
    [source_page] = (tmp_path / "reports" / "sources").glob("*.md")
    assert "Foreign Minister Takeshi Iwaya" in source_page.read_text(encoding="utf-8")
    article_page = (tmp_path / "reports" / "article.md").read_text(encoding="utf-8")
    assert f"sources/{source_page.name}" in article_page

    http_server.stop()
    offline = verifier("check", "--offline", cwd=tmp_path)

    assert offline.returncode == 2, offline.stderr
    again = verdicts(tmp_path)  # the archive alone gives the same findings
    assert {k: v[0] for k, v in again.items()} == {k: v[0] for k, v in first.items()}
    assert str(again["The plan was first r"][1]).startswith("dead: HTTP 404")
    assert verifier("archive", "verify", cwd=tmp_path).returncode == 0
    text = verifier(
        "text", "--offline", "--format", "json", http_server.url("/budget"), cwd=tmp_path
    )
    assert "Foreign Minister Takeshi Iwaya" in json.loads(text.stdout)["text"]
