"""Word alignment of a claim against its evidence passage, and the slots where they differ.

An LCS alignment (rapidfuzz Indel opcodes) over content words pairs each claim word with the
passage word it matches. Runs of unmatched claim words between two matched anchors are
*slots*: the passage words between the same anchors are what the source says in that place
("Defense" in the claim, "Foreign" in the source, both before "Minister Takeshi Iwaya").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz.distance import Indel

from verifier.match.tokens import Token

MAX_SLOT_TOKENS = 8
"""A source slot longer than this is not "the same place" any more, just distant text."""


@dataclass(frozen=True)
class Slot:
    """Claim words [claim_start, claim_end) and passage words [source_start, source_end)."""

    claim_start: int
    claim_end: int
    source_start: int
    source_end: int
    bounded: bool
    """True when matched words flank the slot on both sides."""


@dataclass(frozen=True)
class Alignment:
    """Content-word alignment of claim tokens to passage tokens (indices into each list)."""

    claim: list[Token]
    source: list[Token]
    pairs: dict[int, int]
    """claim index -> source index of matched words."""
    equivalents: dict[str, frozenset[str]] = field(default_factory=dict)
    """Claim word normal form -> the passage normal forms accepted for it."""

    def accepts(self, claim_word: Token, source_word: Token) -> bool:
        """Whether `source_word` states `claim_word` (the same word or an equivalent)."""
        return source_word.norm in _accepted(self.equivalents, claim_word.norm)

    def slots(self) -> list[Slot]:
        """Runs of unmatched claim words with what the source has in the same place."""
        found: list[Slot] = []
        anchors = sorted(self.pairs.items())
        claim_cursor, source_cursor, have_left = 0, 0, False
        for claim_index, source_index in [*anchors, (len(self.claim), len(self.source))]:
            at_end = claim_index == len(self.claim)
            if claim_index > claim_cursor:
                source_start, source_end = source_cursor, source_index
                if not have_left:
                    # Leading slot: take as many source words before the anchor as the claim has.
                    source_start = max(source_end - (claim_index - claim_cursor), 0)
                if at_end:
                    source_end = min(source_start + (claim_index - claim_cursor), len(self.source))
                    if not have_left:
                        source_start = source_end  # nothing matched at all: no slot
                bounded = have_left and not at_end
                if source_end - source_start <= MAX_SLOT_TOKENS:
                    found.append(Slot(claim_cursor, claim_index, source_start, source_end, bounded))
            claim_cursor, source_cursor, have_left = claim_index + 1, source_index + 1, True
        return found


def align(
    claim: list[Token], source: list[Token], equivalents: dict[str, frozenset[str]]
) -> Alignment:
    """Align content words; a claim word matches a passage word in its equivalence set."""
    source_norms = {token.norm for token in source}
    claim_keys: list[str] = []
    for index, token in enumerate(claim):
        accepted = _accepted(equivalents, token.norm)
        key = next((norm for norm in sorted(accepted) if norm in source_norms), None)
        claim_keys.append(key if key is not None else f"\x00{index}")
    source_keys = [token.norm for token in source]
    pairs: dict[int, int] = {}
    for opcode in Indel.opcodes(claim_keys, source_keys):
        if opcode.tag == "equal":
            for offset in range(opcode.src_end - opcode.src_start):
                pairs[opcode.src_start + offset] = opcode.dest_start + offset
    return Alignment(claim, source, pairs, equivalents)


def _accepted(equivalents: dict[str, frozenset[str]], norm: str) -> frozenset[str]:
    """The passage normal forms accepted for the claim word `norm` (itself, failing any)."""
    return equivalents.get(norm, frozenset({norm}))
