"""(claim text, source text) -> Assessment: score, verdict, evidence and typed flags.

INTERFACE:

    assess(claim: str, source: str) -> model.Assessment
        Never returns Verdict.UNAVAILABLE (that is decided before matching).
    Source.prepare(text) + analyse(claim, source, finders=FINDERS) -> Analysis
        The same, reusing one prepared source for many claims; exposes the features (a
        frozen Features), the verdict's grounds, and runs the given discrepancy finders
        (finders.FINDERS, one module per flag kind, each a finders.base.Finder).
    score_records(lines: Iterable[str | bytes], warn=None) -> Iterator[dict | RecordError]
        `verifier score`: JSONL {"id", "claim", "source"} lines -> output dicts, or an
        errors.RecordError(line=N, record_id) for a malformed line, and the batch goes on
        (error_record(error) is its output line); a claim over MAX_CLAIM_CHARS is cut and
        warn(line, message) told.
    SourcePool().assess(claim, source) -> model.Assessment
        `assess`, each page prepared once while it is among the most recently used.

LAYOUT: matcher.analyse (tokenise, retrieve, align, find, score, decide) over passages.py
(retrieval), alignment.py, finders/ (one module per flag kind), spans.py (unsupported
spans), features.py (model inputs), scoring.py (the fitted model), decide.py (every verdict
rule); quantities.py and dates.py read figures and dates as intervals.
"""

from verifier.match.matcher import Analysis, analyse, assess
from verifier.match.pool import SourcePool
from verifier.match.records import assessment_record, error_record, score_records
from verifier.match.source import Source

__all__ = [
    "Analysis",
    "Source",
    "SourcePool",
    "analyse",
    "assess",
    "assessment_record",
    "error_record",
    "score_records",
]
