"""Where a finding is, as a forge (GitHub, GitLab, Jenkins) attaches it to a file and line.

Claims name their article relative to the ledger's folder; a forge wants paths relative to
the repository root ("docs/articles/x.md", not "articles/x.md" nor an absolute path), or it
attaches the annotation to nothing. A hand-written claim has no article: it points at its
own text in claims.yaml.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass, field

from verifier.model import Claim


@dataclass(frozen=True)
class Locations:
    ledger: str = "claims.yaml"
    """The ledger's path relative to the repository root, POSIX style ("docs/claims.yaml")."""
    ledger_lines: Mapping[str, int] = field(default_factory=dict)
    """Claim id -> the line of its text in claims.yaml (`Ledger.field_lines("text")`)."""
    root: str | None = None
    """The repository root as an absolute POSIX path, to shorten absolute article paths."""

    def file(self, claim: Claim) -> str:
        if claim.article is None:
            return self.ledger
        if posixpath.isabs(claim.article):
            if self.root is not None and claim.article.startswith(self.root.rstrip("/") + "/"):
                return posixpath.relpath(claim.article, self.root)
            return claim.article
        return posixpath.normpath(posixpath.join(posixpath.dirname(self.ledger), claim.article))

    def line(self, claim: Claim) -> int | None:
        """The article line of an extracted claim; a hand-written claim's line in claims.yaml."""
        if claim.article is None:
            return self.ledger_lines.get(claim.id)
        return claim.line

    def where(self, claim: Claim) -> str:
        """ "path:line", or the path alone when the line is unknown."""
        line = self.line(claim)
        return f"{self.file(claim)}:{line}" if line is not None else self.file(claim)
