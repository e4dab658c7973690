"""Layered settings: claims.yaml < VERIFIER_* environment < flags; per-article overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from verifier.errors import LedgerError, SettingsError
from verifier.gate import evaluate
from verifier.ledger import Ledger
from verifier.ledger.config import (
    environment_overrides,
    flag_overrides,
    layered_settings,
    unknown_environment_variables,
)
from verifier.model import Claim, Finding, Verdict
from verifier.settings import Policy, Settings

LEDGER = """\
settings:
  fail_on: [contradicted]
  min_score: 0.5
  overrides:
    - articles: [drafts/*.md]
      fail_on: []
      min_score: null
    - articles: [legal/*.md]
      fail_on: [contradicted, unsupported, unavailable]
fetch:
  timeout: 10
"""


def load(tmp_path: Path, text: str = LEDGER) -> Ledger:
    path = tmp_path / "claims.yaml"
    path.write_text(text, encoding="utf-8")
    return Ledger.load(path)


def finding(article: str, verdict: Verdict, score: float = 0.3) -> Finding:
    claim = Claim(id=f"c-{article}", text="t", urls=("u",), article=article, line=1)
    return Finding(claim, verdict, score)


def test_environment_overrides_the_ledger_and_flags_override_the_environment(
    tmp_path: Path,
) -> None:
    from_ledger = load(tmp_path).settings
    environ = {
        "VERIFIER_FAIL_ON": "contradicted, unavailable",
        "VERIFIER_TIMEOUT": "3.5",
        "VERIFIER_ALLOW_HOSTS": "127.0.0.1,localhost",
        "VERIFIER_MIN_SCORE": "none",
        "VERIFIER_UNRELATED": "ignored",
    }
    settings = layered_settings(from_ledger, environ=environ, flags={"timeout": 2, "retries": None})
    assert settings.policy.fail_on == (Verdict.CONTRADICTED, Verdict.UNAVAILABLE)
    assert settings.policy.min_score is None
    assert settings.fetch.allow_hosts == ("127.0.0.1", "localhost")
    assert settings.fetch.timeout == 2.0
    assert settings.fetch.retries == Settings().fetch.retries
    # Overrides from claims.yaml survive layering: only named fields change.
    assert len(settings.policy.overrides) == 2


def test_flag_values_may_be_strings_or_typed() -> None:
    settings = flag_overrides(
        Settings(), {"fail_on": ("unsupported",), "min_score": "0.25", "reports_dir": "out"}
    )
    assert settings.policy.fail_on == (Verdict.UNSUPPORTED,)
    assert settings.policy.min_score == 0.25
    assert settings.reports_dir == "out"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("VERIFIER_FAIL_ON", "contradicted,wrong"),
        ("VERIFIER_MIN_SCORE", "2"),
        ("VERIFIER_TIMEOUT", "soon"),
        ("VERIFIER_CONCURRENCY", "0"),
        ("VERIFIER_RETRIES", "1.5"),
    ],
)
def test_invalid_environment_value_is_a_settings_error(variable: str, value: str) -> None:
    with pytest.raises(SettingsError) as raised:
        environment_overrides(Settings(), {variable: value})
    assert raised.value.exit_code == 3
    assert variable in str(raised.value)


def test_invalid_flag_value_is_a_settings_error_and_unknown_name_a_key_error() -> None:
    with pytest.raises(SettingsError):
        flag_overrides(Settings(), {"min_score": 7})
    with pytest.raises(KeyError):
        flag_overrides(Settings(), {"no_such_setting": 1})


def test_per_article_overrides_change_what_fails(tmp_path: Path) -> None:
    policy = load(tmp_path).settings.policy
    assert policy.for_article("drafts/a.md") == Policy(fail_on=(), min_score=None)
    assert policy.for_article("legal/b.md").fail_on == (
        Verdict.CONTRADICTED,
        Verdict.UNSUPPORTED,
        Verdict.UNAVAILABLE,
    )
    assert policy.for_article("legal/b.md").min_score == 0.5  # not named: inherited
    assert policy.for_article(None) == Policy(fail_on=(Verdict.CONTRADICTED,), min_score=0.5)

    findings = [
        finding("drafts/a.md", Verdict.CONTRADICTED),
        finding("legal/b.md", Verdict.UNAVAILABLE),
        finding("news/c.md", Verdict.UNAVAILABLE),
        finding("news/d.md", Verdict.SUPPORTED, score=0.4),  # under min_score
    ]
    failing = {f.claim.article for f in evaluate(findings, policy).failing}
    assert failing == {"legal/b.md", "news/d.md"}


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("settings:\n  overrides:\n    - fail_on: []\n", 3),
        ("settings:\n  overrides:\n    - articles: [a]\n    - articles: [b]\n      fial: []\n", 4),
        ("settings:\n  overrides:\n    - articles: [a]\n      fail_on: [bad]\n", 3),
        ("settings:\n  overrides: drafts\n", 2),
    ],
)
def test_invalid_override_names_its_line(tmp_path: Path, text: str, line: int) -> None:
    with pytest.raises(LedgerError) as raised:
        load(tmp_path, text)
    assert raised.value.line == line


def test_overrides_cannot_come_from_the_environment() -> None:
    with pytest.raises(SettingsError):
        environment_overrides(Settings(), {"VERIFIER_OVERRIDES": "x"})


def test_unknown_verifier_variables_are_reported_for_a_warning() -> None:
    environ = {"VERIFIER_FAILON": "x", "VERIFIER_FAIL_ON": "contradicted", "VERIFIER_NO_CACHE": "1"}
    assert unknown_environment_variables(environ) == ["VERIFIER_FAILON"]
