"""(claim text, source text) -> Assessment: score, verdict, evidence and typed flags.

INTERFACE:

    assess(claim: str, source: str) -> model.Assessment
        Never returns Verdict.UNAVAILABLE (that is decided before matching).
    Source.prepare(text) + analyse(claim, source) -> Analysis
        The same, reusing one prepared source for many claims; exposes the features.
    SourcePool().assess(claim, source) -> model.Assessment
        `assess`, each page prepared once while it is among the most recently used.
    score_records(lines: Iterable[str]) -> Iterator[dict]
        `verifier score`: JSONL {"id", "claim", "source"} lines -> output dicts;
        raises errors.InputError(line=N) on a malformed line.
"""

from verifier.match.matcher import Analysis, analyse, assess
from verifier.match.pool import SourcePool
from verifier.match.records import assessment_record, score_records
from verifier.match.source import Source

__all__ = [
    "Analysis",
    "Source",
    "SourcePool",
    "analyse",
    "assess",
    "assessment_record",
    "score_records",
]
