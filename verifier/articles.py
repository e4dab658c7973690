"""Which files a run reads as articles: paths and globs expanded, and what they missed.

A gate that verified nothing must not look like one that passed. So the selection keeps,
beside the article files, every glob that matched none and every match that is not a
regular file (a folder, a FIFO, a device: never opened, since reading a FIFO would hang
the run); `empty_run_problems` turns those and an extraction that found no claim at all
into messages the CLI warns with, and under CI fails on unless `settings.allow_empty`.

Globs never pick up the tool's own files: the reports, the archive, the caches and the
ledger itself, wherever the settings put them (`articles: ['**/*.md']` would otherwise
read last run's reports as articles).
"""

from __future__ import annotations

import glob
import os
import stat
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from verifier.errors import ArticleError, InputError
from verifier.ledger.cache import CACHE_DIR_NAME, cache_dir
from verifier.repository import Boundary
from verifier.settings import Settings

_FALSE_WORDS = ("", "0", "false", "no", "off")


@dataclass(frozen=True)
class NotAnArticle:
    """A path a glob matched that is not a regular file, with what it is instead."""

    path: Path
    kind: str
    """A key of `KINDS`: "folder", "fifo", "device", "socket", "broken link", "unreadable"
    or "outside" (the repository)."""


KINDS = {
    "folder": ("a folder", "folders"),
    "fifo": ("a FIFO (named pipe)", "FIFOs (named pipes)"),
    "device": ("a device", "devices"),
    "socket": ("a socket", "sockets"),
    "broken link": ("a broken link", "broken links"),
    "unreadable": ("an entry that cannot be examined", "entries that cannot be examined"),
    "outside": ("outside the repository", "files outside the repository"),
    "other": ("not a regular file", "entries that are not regular files"),
}
"""Each kind of non-article, as one ("a folder") and as several ("folders")."""


@dataclass(frozen=True)
class PatternResult:
    """What one path or glob matched."""

    pattern: str
    articles: int = 0
    own_files: int = 0
    """Matches skipped because they are the tool's own (reports, archive, cache, ledger)."""
    not_articles: tuple[NotAnArticle, ...] = ()


@dataclass(frozen=True)
class ArticleSelection:
    """The article files to read, in order, and what each pattern matched."""

    paths: list[Path] = field(default_factory=list)
    patterns: tuple[PatternResult, ...] = ()

    @property
    def unmatched(self) -> tuple[PatternResult, ...]:
        """Patterns that yielded no article: a typo, or a folder still empty."""
        return tuple(result for result in self.patterns if not result.articles)

    @property
    def not_articles(self) -> tuple[NotAnArticle, ...]:
        return tuple(item for result in self.patterns for item in result.not_articles)


def resolve_articles(
    base_dir: Path,
    patterns: Iterable[str],
    *,
    own: Iterable[Path] = (),
    boundary: Boundary | None = None,
) -> ArticleSelection:
    """Expand article paths and globs relative to `base_dir`, sorted within each glob and
    de-duplicated; `own` are the tool's files and folders, which no glob picks up.

    A named article that does not exist, or is not a regular file, is an input error (a
    typo must not silently verify nothing); what a glob matches is only reported. With a
    `boundary` (patterns from claims.yaml, see verifier.repository), files whose real path lies
    outside it are not read either: a named one is an input error, a glob's are reported.
    """
    owned = _OwnFiles(own)
    found: dict[Path, None] = {}
    results: list[PatternResult] = []
    for pattern in patterns:
        candidate = Path(pattern)
        absolute = candidate if candidate.is_absolute() else base_dir / candidate
        if not glob.has_magic(pattern):
            kind = _kind(absolute, boundary)
            if kind is not None:
                if kind == "outside":
                    raise ArticleError(
                        "outside the repository: claims.yaml names only files inside it",
                        path=pattern,
                        hint="move the article into the repository, or name its folder in "
                        "`fetch.allow_paths`",
                    )
                raise ArticleError(
                    "no such article file"
                    if kind == "missing"
                    else f"{KINDS[kind][0]}, not a file",
                    path=pattern,
                    hint="check the path, or the `articles:` list in claims.yaml",
                )
            found[absolute] = None
            results.append(PatternResult(pattern, articles=1))
            continue
        articles = own_files = 0
        not_articles: list[NotAnArticle] = []
        for match in sorted(glob.glob(str(absolute), recursive=True)):
            path = Path(match)
            if owned.holds(path):
                own_files += 1
                continue
            kind = _kind(path, boundary)
            if kind is None:
                found[path] = None
                articles += 1
            else:
                not_articles.append(NotAnArticle(path, kind))
        results.append(PatternResult(pattern, articles, own_files, tuple(not_articles)))
    return ArticleSelection(list(found), tuple(results))


def own_paths(ledger_path: Path, settings: Settings, environ: Mapping[str, str]) -> list[Path]:
    """The tool's own files and folders for this ledger: the ledger, reports, archive, caches."""
    base = ledger_path.parent
    paths = [ledger_path, base / settings.reports_dir, base / settings.archive_dir]
    paths.append(base / CACHE_DIR_NAME)  # there even when $VERIFIER_CACHE_DIR points elsewhere
    configured = cache_dir(ledger_path, environ)
    if configured is not None:
        paths.append(configured)
    return paths


def _kind(path: Path, boundary: Boundary | None = None) -> str | None:
    """None for a regular file (or a link to one) inside `boundary`; else what the path is (a
    key of KINDS, or "missing"). Looks with stat only: never opens it."""
    if boundary is not None and not boundary.holds(os.path.realpath(path)):
        return "outside"
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "broken link" if path.is_symlink() else "missing"
    except OSError:  # a symlink loop, a name too long, no permission to look
        return "broken link" if path.is_symlink() else "unreadable"
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISFIFO(mode):
        return "fifo"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "other"


class _OwnFiles:
    """The tool's own files and folders, compared as absolute paths (links resolved)."""

    def __init__(self, paths: Iterable[Path]) -> None:
        self._roots = {os.path.realpath(path) for path in paths}

    def holds(self, path: Path) -> bool:
        if not self._roots:
            return False
        real = os.path.realpath(path)
        return any(real == root or real.startswith(root + os.sep) for root in self._roots)


def under_ci(environ: Mapping[str, str]) -> bool:
    """True in a CI job: `CI` set to anything but a false word, or GitHub Actions."""
    return (
        environ.get("CI", "").strip().lower() not in _FALSE_WORDS
        or environ.get("GITHUB_ACTIONS", "").strip().lower() == "true"
    )


def empty_run_problems(selection: ArticleSelection, claims_found: int, *, source: str) -> list[str]:
    """What makes this run verify less than its configuration asks: each pattern that matched
    no article, and articles that exist but yielded no claim at all.

    `source` says where the patterns come from ("claims.yaml `articles:`" or "the command
    line"). Matches that are not articles are reported by `not_article_warnings`.
    """
    problems = []
    for result in selection.unmatched:
        if result.own_files:
            why = "matches only verifier's own files (reports, archive, cache, ledger)"
        elif result.not_articles:
            why = "matches no article file, only " + _kinds(result.not_articles)
        else:
            why = "matches no file"
        problems.append(f"{source}: {result.pattern!r} {why}")
    if selection.paths and claims_found == 0:
        count = len(selection.paths)
        noun = "article" if count == 1 else "articles"
        problems.append(f"no footnoted claim found in {count} {noun}")
    return problems


def refuse_empty_run_under_ci(
    problems: Sequence[str], settings: Settings, environ: Mapping[str, str], ledger_path: Path
) -> None:
    """Under CI, an empty run (`empty_run_problems`) is an input error unless the settings
    say one is expected: a gate that verified nothing must not pass as if all were well."""
    if not problems or settings.allow_empty or not under_ci(environ):
        return
    more = f" (and {len(problems) - 1} more above)" if len(problems) > 1 else ""
    raise InputError(
        f"empty run under CI: {problems[0]}{more}",
        path=str(ledger_path),
        hint="fix the `articles:` paths or globs, or set `settings.allow_empty: true` in "
        "claims.yaml (VERIFIER_ALLOW_EMPTY=1) when an empty run is expected",
    )


def not_article_warnings(selection: ArticleSelection, base_dir: Path) -> list[str]:
    """One line per pattern whose matches include folders, FIFOs or devices (never read)."""
    warnings = []
    for result in selection.patterns:
        if not result.not_articles:
            continue
        shown = [_shown(item.path, base_dir) for item in result.not_articles[:3]]
        more = len(result.not_articles) - len(shown)
        names = ", ".join(shown) + (f" and {more} more" if more else "")
        warnings.append(
            f"{result.pattern!r} matched {_kinds(result.not_articles)}, not read as articles: "
            f"{names}"
        )
    return warnings


def _kinds(items: Sequence[NotAnArticle]) -> str:
    """ "a folder", "3 folders, a FIFO (named pipe)"..."""
    counts: dict[str, int] = {}
    for item in items:
        counts[item.kind] = counts.get(item.kind, 0) + 1
    return ", ".join(
        KINDS[kind][0] if n == 1 else f"{n} {KINDS[kind][1]}" for kind, n in counts.items()
    )


def _shown(path: Path, base_dir: Path) -> str:
    try:
        return path.relative_to(base_dir).as_posix()
    except ValueError:
        return path.as_posix()
