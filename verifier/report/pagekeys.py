"""Skip re-rendering report pages whose inputs did not change since the last run.

Rendering 1,000 pages costs most of a no-change run's report time. Each page's inputs
(for an article page everything it shows about its findings, never the sources' full text;
for a captured-text page the capture) and the renderer's own code are hashed;
`reports/.verifier-pages.json` keeps the hashes of the last run. It also lists every file
the last run wrote (index.md and results.json with an empty hash): the files verifier may
replace or remove (ownership.py).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path

from verifier.files import read_regular, write_atomically
from verifier.model import Capture, Finding
from verifier.report import markdown, sources
from verifier.report.results import ordered

MANIFEST = ".verifier-pages.json"


@lru_cache(maxsize=1)
def _renderer_version() -> bytes:
    code = Path(markdown.__file__).read_bytes() + Path(sources.__file__).read_bytes()
    return hashlib.sha1(code).digest()


def page_key(findings: Sequence[Finding], claim_json: Mapping[int, str]) -> str:
    """A hash of everything an article page shows.

    `claim_json` maps id(finding) to its results.json line, already serialised for that
    file: it holds the claim, verdict, score, flags, evidence and every source's capture
    facts. The page also shows the cited titles and where the evidence came from.
    """
    digest = hashlib.sha1(_renderer_version())
    for finding in ordered(findings):
        digest.update(claim_json[id(finding)].encode("utf-8"))
        extra = (finding.claim.citations, markdown.evidence_origin(finding))
        digest.update(repr(extra).encode("utf-8"))
    return digest.hexdigest()


def source_key(capture: Capture) -> str:
    """A hash of everything a captured-text page shows."""
    digest = hashlib.sha1(_renderer_version())
    facts = (capture.url, capture.final_url, capture.fetched_at, capture.payload_digest)
    digest.update(repr((*facts, capture.via, capture.warc_file, capture.title)).encode("utf-8"))
    digest.update(capture.text.encode("utf-8"))
    return digest.hexdigest()


def read_manifest(out_dir: Path) -> dict[str, str]:
    try:
        manifest = json.loads(read_regular(out_dir / MANIFEST).decode("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return {}  # missing or damaged: re-render everything; the manifest is rewritten below
    return manifest if isinstance(manifest, dict) else {}


def write_manifest(out_dir: Path, manifest: dict[str, str], previous: dict[str, str]) -> None:
    if manifest != previous:
        write_atomically(out_dir / MANIFEST, json.dumps(manifest, sort_keys=True), durable=False)
