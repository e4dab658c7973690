"""Development data for the matcher (read from ../shared, never copied) and its metrics.

Shared by score_bench.py (measures) and fit_match.py (fits verifier/match/model.json).
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "bench"
WICE = SHARED / "wice"
FEVER = SHARED / "fever-symmetric"
VITAMINC = SHARED / "vitaminc"

WICE_LABELS = ("supported", "partially_supported", "not_supported")


@dataclass(frozen=True)
class Item:
    """One claim/source pair with its gold label (and gold unsupported tokens for nst)."""

    id: str
    claim: str
    source: str
    label: str
    claim_tokens: tuple[str, ...] = ()
    unsupported_tokens: tuple[bool, ...] = ()
    group: str = ""
    """Items of one group (a WiCE page, a FEVER group of four) never sit on both sides of a
    cross-validation fold: they share words, so one would teach the answer for the other."""

    @property
    def supported(self) -> bool:
        """The gold label says the source supports the claim."""
        return self.label in SUPPORTED_LABELS

    @property
    def refuted(self) -> bool:
        """The gold label says the source contradicts the claim (FEVER, VitaminC)."""
        return self.label in ("REFUTES", "refutes")


SUPPORTED_LABELS = frozenset({"supported", "SUPPORTS", "supports"})


def _jsonl(path: Path) -> Iterator[dict[str, object]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def _page(evidence: object) -> str:
    # WiCE gives the cited page as its list of sentences/lines; the page text is their join.
    assert isinstance(evidence, list)
    return "\n".join(str(line) for line in evidence)


def wice_claims(split: str = "dev") -> list[Item]:
    rows = list(_jsonl(WICE / f"claim_{split}.jsonl"))
    groups = wice_page_groups(rows)
    return [
        Item(str(index), str(row["claim"]), _page(row["evidence"]), str(row["label"]), group=group)
        for index, (row, group) in enumerate(zip(rows, groups, strict=True))
    ]


def wice_page_groups(rows: Sequence[dict[str, object]]) -> list[str]:
    """One group per source page: claims from the same Wikipedia article or citing a page of
    the same title are joined (transitively), so no page is on both sides of a fold."""
    parent: dict[str, str] = {}

    def root(key: str) -> str:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    keys = []
    for row in rows:
        meta = row.get("meta")
        article = str(meta.get("claim_title", "")) if isinstance(meta, dict) else ""
        evidence = row["evidence"]
        assert isinstance(evidence, list)
        title = str(evidence[0]).removeprefix("(meta data) TITLE:").strip() if evidence else ""
        own = [f"article:{article}"] + ([f"page:{title}"] if title else [])
        for key in own[1:]:
            parent[root(key)] = root(own[0])
        keys.append(own[0])
    return [root(key) for key in keys]


def wice_tokens(split: str) -> list[Item]:
    items = []
    for index, row in enumerate(_jsonl(WICE / f"nst_{split}.jsonl")):
        tokens = row["claim_tokens"]
        marks = row["non_supported_spans"]
        assert isinstance(tokens, list) and isinstance(marks, list)
        items.append(
            Item(
                f"nst-{index}",
                str(row["claim"]),
                _page(row["evidence"]),
                str(row["label"]),
                tuple(str(t) for t in tokens),
                tuple(bool(m) for m in marks),
            )
        )
    return items


def fever(split: str = "dev") -> list[Item]:
    return [
        Item(
            str(row["id"]),
            str(row["claim"]),
            str(row["evidence"]),
            str(row["label"]),
            group=fever_group(str(row["id"])),
        )
        for row in _jsonl(FEVER / f"{split}.jsonl")
    ]


def vitaminc() -> list[Item]:
    """The VitaminC train sample: claim/evidence pairs where a figure or date decides."""
    return [
        Item(
            str(row["id"]),
            str(row["claim"]),
            str(row["evidence"]),
            str(row["label"]),
            group=str(row["id"]).rsplit("_", 1)[0],
        )
        for row in _jsonl(VITAMINC / "train_sample.jsonl")
    ]


def grouped_folds(items: Sequence[Item], folds: int, seed: int = 0) -> list[int]:
    """The fold (0..folds-1) of each item: whole groups, shuffled by `seed`, each going to
    the fold with the fewest items so far (folds of near equal size)."""
    members: dict[str, list[int]] = {}
    for index, item in enumerate(items):
        members.setdefault(item.group or item.id, []).append(index)
    order = sorted(members)
    random.Random(seed).shuffle(order)
    order.sort(key=lambda group: -len(members[group]))  # big groups first, ties shuffled
    sizes = [0] * folds
    assigned = [0] * len(items)
    for group in order:
        fold = min(range(folds), key=lambda f: sizes[f])
        for index in members[group]:
            assigned[index] = fold
        sizes[fold] += len(members[group])
    return assigned


def fever_group(pair_id: str) -> str:
    """The FEVER id a generated pair was made from (`<id>000000N` -> `<id>`)."""
    if len(pair_id) > 7 and pair_id[-7:-1] == "000000":
        return pair_id[:-7]
    return pair_id


# --- metrics -----------------------------------------------------------------------------


def auroc(scores: Sequence[float], positives: Sequence[bool]) -> float:
    """Area under the ROC curve (ties count half), by the rank-sum formula."""
    ranked = sorted(zip(scores, positives, strict=True), key=lambda pair: pair[0])
    rank_sum = 0.0
    index = 0
    while index < len(ranked):
        tie_end = index
        while tie_end + 1 < len(ranked) and ranked[tie_end + 1][0] == ranked[index][0]:
            tie_end += 1
        mean_rank = (index + tie_end) / 2 + 1
        rank_sum += mean_rank * sum(1 for _, positive in ranked[index : tie_end + 1] if positive)
        index = tie_end + 1
    n_pos = sum(positives)
    n_neg = len(positives) - n_pos
    if not n_pos or not n_neg:
        return float("nan")
    return (rank_sum - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


def balanced_accuracy(predicted: Sequence[bool], actual: Sequence[bool]) -> float:
    tp = sum(p and a for p, a in zip(predicted, actual, strict=True))
    tn = sum(not p and not a for p, a in zip(predicted, actual, strict=True))
    pos = sum(actual)
    neg = len(actual) - pos
    return (tp / pos + tn / neg) / 2


def macro_f1(predicted: Sequence[str], actual: Sequence[str], labels: Sequence[str]) -> float:
    scores = []
    for label in labels:
        tp = sum(p == label and a == label for p, a in zip(predicted, actual, strict=True))
        fp = sum(p == label and a != label for p, a in zip(predicted, actual, strict=True))
        fn = sum(p != label and a == label for p, a in zip(predicted, actual, strict=True))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / len(scores)


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def token_spans(claim: str, tokens: Sequence[str]) -> list[tuple[int, int]]:
    """Character span of each given token in `claim`, found left to right."""
    spans = []
    cursor = 0
    for token in tokens:
        found = claim.find(token, cursor)
        if found < 0:
            spans.append((cursor, cursor))  # tokenizer artefact: counts as not flagged
            continue
        spans.append((found, found + len(token)))
        cursor = found + len(token)
    return spans


def flagged_tokens(
    claim: str, tokens: Sequence[str], flags: Sequence[tuple[int, int]]
) -> list[bool]:
    """Which gold tokens fall inside (overlap) any flag span."""
    return [
        end > start and any(start < f_end and f_start < end for f_start, f_end in flags)
        for start, end in token_spans(claim, tokens)
    ]


WICE_VERDICT_LABEL = {
    "supported": "supported",
    "partial": "partially_supported",
    "unsupported": "not_supported",
    "contradicted": "not_supported",
}
