"""The Markdown reports as a reviewer sees them: rendered to HTML, photographed by Chromium.

Runs `verifier run` on a copy of the bundled example (claims.yaml and examples/), renders
every page of its reports/ with markdown-it-py (CommonMark, tables, inline HTML: what a forge
shows) and takes a headless Chromium screenshot of each. Prints each page with its table,
heading and link counts, and where the PNG files are, to look at.

    python bench/report_screenshots.py [--out DIR]

Chromium comes from the system's packages (e.g. `apt-get install chromium`); without it the
HTML is still written.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from markdown_it import MarkdownIt

ROOT = Path(__file__).resolve().parent.parent
STYLE = (
    "body{font-family:sans-serif;max-width:980px;margin:24px auto;font-size:15px;"
    "line-height:1.5;color:#1f2328}table{border-collapse:collapse}td,th{border:1px solid "
    "#d0d7de;padding:4px 10px}th{background:#f6f8fa}blockquote{color:#59636e;border-left:4px "
    "solid #d0d7de;margin:0;padding:0 12px}code{background:#eff1f3;padding:1px 4px}"
)
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--hide-scrollbars",
    "--window-size=1100,1400",
]


def example_reports(workdir: Path) -> Path:
    shutil.copytree(ROOT / "examples", workdir / "examples")
    shutil.copy(ROOT / "claims.yaml", workdir / "claims.yaml")
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("VERIFIER_", "GITHUB_"))
    }
    environment["PYTHONPATH"] = str(ROOT)
    subprocess.run(
        [sys.executable, "-m", "verifier", "-q", "run"],
        cwd=workdir,
        env=environment,
        capture_output=True,
        check=False,
        timeout=600,
    )
    return workdir / "reports"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path(tempfile.mkdtemp(prefix="reports-")))
    options = parser.parse_args()
    renderer = MarkdownIt("commonmark", {"html": True}).enable("table")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    with tempfile.TemporaryDirectory() as scratch:
        reports = example_reports(Path(scratch))
        for page in sorted(reports.rglob("*.md")):
            html = renderer.render(page.read_text(encoding="utf-8"))
            target = options.out / page.relative_to(reports).with_suffix(".html")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(
                f"<!doctype html><meta charset=utf-8><style>{STYLE}</style>{html}",
                encoding="utf-8",
            )
            counts = {tag: html.count(f"<{tag}") for tag in ("table", "h2", "a ")}
            line = f"{page.relative_to(reports)}: {counts['table']} tables, "
            line += f"{counts['h2']} headings, {counts['a ']} links"
            if chromium is not None:
                picture = target.with_suffix(".png")
                subprocess.run(
                    [chromium, *CHROMIUM_FLAGS, f"--screenshot={picture}", target.as_uri()],
                    capture_output=True,
                    check=False,
                    timeout=120,
                )
                line += f"; screenshot {picture}" if picture.exists() else "; no screenshot"
            print(line)
    if chromium is None:
        print("chromium not found: HTML only (apt-get install chromium)")
    print(f"output: {options.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
