"""(claim text, source text) -> Assessment: score, verdict, evidence and typed flags.

INTERFACE:

    assess(claim: str, source: str) -> model.Assessment
        Never returns Verdict.UNAVAILABLE (that is decided before matching).
"""
