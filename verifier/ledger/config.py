"""claims.yaml `settings:` and `fetch:` values -> `settings.Settings`, with validation.

One table of options serves every layer (claims.yaml, VERIFIER_* environment variables,
command-line flags), so a value is checked the same way wherever it comes from and each
layer can only set what claims.yaml can.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from verifier.errors import SettingsError
from verifier.model import Verdict
from verifier.settings import PolicyOverride, Settings


class InvalidValue(SettingsError):
    """A value of the wrong type or range; the caller adds where it came from.

    `line` (1-based) is set when the problem is nested deeper than the key the caller knows.
    """

    def __init__(self, message: str, *, line: int | None = None) -> None:
        super().__init__(message, line=line)


def _verdicts(value: object) -> tuple[Verdict, ...]:
    if not isinstance(value, list | tuple):
        raise InvalidValue("must be a list of verdicts")
    verdicts: list[Verdict] = []
    for item in value:
        try:
            verdicts.append(Verdict(item))
        except ValueError:
            known = ", ".join(v.value for v in Verdict)
            raise InvalidValue(f"unknown verdict {item!r} (known: {known})") from None
    return tuple(dict.fromkeys(verdicts))


def _number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidValue(f"must be a number, not {value!r}")
    return float(value)


def _integer(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidValue(f"must be a whole number, not {value!r}")
    return value


def _score(value: object) -> float | None:
    if value is None:
        return None
    score = _number(value)
    if not 0.0 <= score <= 1.0:
        raise InvalidValue(f"must be between 0 and 1, not {value!r}")
    return score


def _positive_number(value: object) -> float:
    number = _number(value)
    if number <= 0:
        raise InvalidValue(f"must be greater than 0, not {value!r}")
    return number


def _non_negative_number(value: object) -> float:
    number = _number(value)
    if number < 0:
        raise InvalidValue(f"must be 0 or more, not {value!r}")
    return number


def _positive_integer(value: object) -> int:
    number = _integer(value)
    if number < 1:
        raise InvalidValue(f"must be 1 or more, not {value!r}")
    return number


def _non_negative_integer(value: object) -> int:
    number = _integer(value)
    if number < 0:
        raise InvalidValue(f"must be 0 or more, not {value!r}")
    return number


def _boolean(value: object) -> bool:
    if not isinstance(value, bool):
        raise InvalidValue(f"must be true or false, not {value!r}")
    return value


def _text(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValue(f"must be a non-empty string, not {value!r}")
    return value


def _optional_text(value: object) -> str | None:
    return None if value is None else _text(value)


def _cluster(value: object) -> str | None:
    from verifier.cluster import ClusterSpec

    text = _optional_text(value)
    if text is not None:
        try:
            ClusterSpec.parse(text)
        except ValueError as problem:
            raise InvalidValue(str(problem)) from None
    return text


def _texts(value: object) -> tuple[str, ...]:
    if not isinstance(value, list | tuple):
        raise InvalidValue("must be a list of strings")
    return tuple(_text(item) for item in value)


_OVERRIDE_KEYS = ("articles", "fail_on", "min_score")


def _node_line(node: object) -> int | None:
    line = getattr(getattr(node, "lc", None), "line", None)
    return line + 1 if isinstance(line, int) else None


def _overrides(value: object) -> tuple[PolicyOverride, ...]:
    if not isinstance(value, list | tuple):
        raise InvalidValue("must be a list of {articles, fail_on, min_score}")
    overrides: list[PolicyOverride] = []
    for item in value:
        line = _node_line(item)
        if not isinstance(item, Mapping):
            raise InvalidValue("each override must be a mapping", line=line)
        try:
            for key in item:
                if key not in _OVERRIDE_KEYS:
                    raise InvalidValue(
                        f"unknown key {key!r} in an override (known: {', '.join(_OVERRIDE_KEYS)})"
                    )
            if "articles" not in item:
                raise InvalidValue("an override needs articles: [glob, ...]")
            overrides.append(
                PolicyOverride(
                    articles=_texts(item["articles"]),
                    fail_on=_verdicts(item["fail_on"]) if "fail_on" in item else None,
                    min_score=_score(item.get("min_score")),
                    sets_min_score="min_score" in item,
                )
            )
        except InvalidValue as problem:
            raise InvalidValue(str(problem), line=problem.line or line) from None
    return tuple(overrides)


def _not_from_string(raw: str) -> object:
    raise InvalidValue("can only be set in claims.yaml")


@dataclass(frozen=True)
class Option:
    """One setting: where it lives in claims.yaml and how its value is checked and applied."""

    section: str
    key: str
    parse: Callable[[object], Any]
    apply: Callable[[Settings, Any], Settings]
    from_string: Callable[[str], object]
    """Turns an environment variable or flag string into what `parse` expects."""

    @property
    def environment_variable(self) -> str:
        return "VERIFIER_" + self.key.upper()


def _string_list(raw: str) -> list[str]:
    return [part.strip() for part in raw.split(",") if part.strip()]


def _string_number(raw: str) -> object:
    try:
        return int(raw)
    except ValueError:
        pass
    try:
        return float(raw)
    except ValueError:
        raise InvalidValue(f"must be a number, not {raw!r}") from None


def _string_boolean(raw: str) -> object:
    word = raw.strip().lower()
    if word in ("1", "true", "yes", "on"):
        return True
    if word in ("0", "false", "no", "off"):
        return False
    raise InvalidValue(f"must be true or false (1/0), not {raw!r}")


def _string_optional(raw: str) -> object:
    stripped = raw.strip()
    return None if stripped.lower() in ("", "none", "null", "off") else stripped


def _string_optional_number(raw: str) -> object:
    value = _string_optional(raw)
    return None if value is None else _string_number(raw.strip())


def _set_policy(name: str) -> Callable[[Settings, Any], Settings]:
    def apply(settings: Settings, value: Any) -> Settings:
        policy = dataclasses.replace(settings.policy, **{name: value})
        return dataclasses.replace(settings, policy=policy)

    return apply


def _set_fetch(name: str) -> Callable[[Settings, Any], Settings]:
    def apply(settings: Settings, value: Any) -> Settings:
        fetch = dataclasses.replace(settings.fetch, **{name: value})
        return dataclasses.replace(settings, fetch=fetch)

    return apply


def _set_top(name: str) -> Callable[[Settings, Any], Settings]:
    def apply(settings: Settings, value: Any) -> Settings:
        return dataclasses.replace(settings, **{name: value})

    return apply


def _options() -> tuple[Option, ...]:
    def fetch(
        key: str, parse: Callable[[object], Any], from_string: Callable[[str], object]
    ) -> Option:
        return Option("fetch", key, parse, _set_fetch(key), from_string)

    return (
        Option("settings", "fail_on", _verdicts, _set_policy("fail_on"), _string_list),
        Option("settings", "min_score", _score, _set_policy("min_score"), _string_optional_number),
        Option("settings", "overrides", _overrides, _set_policy("overrides"), _not_from_string),
        Option("settings", "reports_dir", _text, _set_top("reports_dir"), str.strip),
        Option("settings", "archive_dir", _text, _set_top("archive_dir"), str.strip),
        Option("settings", "cluster", _cluster, _set_top("cluster"), _string_optional),
        Option("settings", "allow_empty", _boolean, _set_top("allow_empty"), _string_boolean),
        fetch("allow_hosts", _texts, _string_list),
        fetch("allow_paths", _texts, _string_list),
        fetch("timeout", _positive_number, _string_number),
        fetch("max_bytes", _positive_integer, _string_number),
        fetch("concurrency", _positive_integer, _string_number),
        fetch("per_host", _positive_integer, _string_number),
        fetch("min_interval", _non_negative_number, _string_number),
        fetch("retries", _non_negative_integer, _string_number),
        fetch("user_agent", _text, str.strip),
        fetch("wayback", _optional_text, _string_optional),
    )


OPTIONS: tuple[Option, ...] = _options()
SECTIONS: dict[str, dict[str, Option]] = {}
for _option in OPTIONS:
    SECTIONS.setdefault(_option.section, {})[_option.key] = _option


def find_option(section: str, key: object) -> Option:
    """The option `section.key`, or InvalidValue naming the closest known key."""
    known = SECTIONS[section]
    if isinstance(key, str) and key in known:
        return known[key]
    close = difflib.get_close_matches(str(key), list(known), n=1)
    suggestion = f"; did you mean {close[0]!r}?" if close else ""
    raise InvalidValue(f"unknown key {key!r} in {section}{suggestion}")


def known_keys(section: str) -> str:
    return ", ".join(SECTIONS[section])


def apply_value(settings: Settings, option: Option, value: object) -> Settings:
    """Validate `value` (a YAML value) for `option` and return settings with it applied."""
    return option.apply(settings, option.parse(value))


def apply_string(settings: Settings, option: Option, raw: str) -> Settings:
    """Like `apply_value`, for a value written as a string (environment variable or flag)."""
    return apply_value(settings, option, option.from_string(raw))


def option_by_name(name: str) -> Option:
    """An option by its bare key ("fail_on", "timeout"): keys are unique across sections."""
    for option in OPTIONS:
        if option.key == name:
            return option
    raise KeyError(name)


def sections_of(document: Mapping[str, object]) -> tuple[str, ...]:
    return tuple(section for section in SECTIONS if section in document)


# -- layers above claims.yaml --------------------------------------------------------------

ENVIRONMENT_PREFIX = "VERIFIER_"


def environment_overrides(settings: Settings, environ: Mapping[str, str]) -> Settings:
    """Apply every VERIFIER_<KEY> variable that names a setting (VERIFIER_FAIL_ON=a,b).

    Variables that name no setting are left alone: other tools share the prefix space.
    Raises SettingsError naming the variable when a value is invalid.
    """
    for option in OPTIONS:
        raw = environ.get(option.environment_variable)
        if raw is None:
            continue
        if option.from_string is _not_from_string:
            raise SettingsError(
                f"{option.environment_variable}: {option.section}.{option.key} "
                "can only be set in claims.yaml",
                hint=f"unset {option.environment_variable}",
            )
        try:
            settings = apply_string(settings, option, raw)
        except InvalidValue as problem:
            raise SettingsError(
                f"{option.environment_variable}={raw!r}: {problem}",
                hint=f"unset it or give a valid {option.section}.{option.key}",
            ) from None
    return settings


OTHER_VARIABLES = frozenset(("VERIFIER_CACHE_DIR", "VERIFIER_NO_CACHE"))
"""VERIFIER_* variables that are not settings (read where they are used)."""


def unknown_environment_variables(environ: Mapping[str, str]) -> list[str]:
    """VERIFIER_* variables that name no setting: likely typos worth a warning."""
    known = {option.environment_variable for option in OPTIONS} | OTHER_VARIABLES
    return sorted(
        name for name in environ if name.startswith(ENVIRONMENT_PREFIX) and name not in known
    )


def flag_overrides(settings: Settings, flags: Mapping[str, object]) -> Settings:
    """Apply command-line values by setting name ({"fail_on": "contradicted", "timeout": 5}).

    None means "flag not given". Strings are read like environment variables (comma lists,
    numbers, "none"); other values are validated as they are. Raises SettingsError naming
    the flag (--min-score) when a value is invalid, and KeyError for a name that is no setting.
    """
    for name, value in flags.items():
        if value is None:
            continue
        option = option_by_name(name)
        flag = "--" + name.replace("_", "-")
        try:
            if isinstance(value, str):
                settings = apply_string(settings, option, value)
            else:
                settings = apply_value(
                    settings, option, list(value) if isinstance(value, tuple) else value
                )
        except InvalidValue as problem:
            raise SettingsError(f"{flag} {value!r}: {problem}") from None
    return settings


def layered_settings(
    from_ledger: Settings,
    *,
    environ: Mapping[str, str] | None = None,
    flags: Mapping[str, object] | None = None,
) -> Settings:
    """Packaged defaults < claims.yaml < VERIFIER_* environment < flags."""
    settings = environment_overrides(from_ledger, environ if environ is not None else {})
    return flag_overrides(settings, flags or {})
