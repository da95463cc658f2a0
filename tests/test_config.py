"""infoint.yaml."""

from __future__ import annotations

import pytest

from infoint_notes.core.config import Config, load_config
from infoint_notes.core.errors import UsageError


def test_defaults_when_everything_is_commented(make_vault):
    config = load_config(make_vault(config="# nothing set\n"))
    assert config == Config()
    assert config.thank_you_within_hours == 24


def test_values_and_unknown_keys(make_vault):
    config = load_config(make_vault(config="timezone: Europe/Berlin\nmin_questions: 3\nfoo: 1\n"))
    assert config.min_questions == 3
    assert str(config.zone) == "Europe/Berlin"
    (warning,) = config.diagnostics
    assert (warning.code, warning.line, warning.severity) == ("unknown-config-key", 3, "warning")


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("prepare_days: soon\n", "prepare_days"),
        ("timezone: Mars/Base\n", "Mars/Base"),
        ("timezone: 5\n", "timezone"),
        ("min_questions: true\n", "min_questions"),
        ("key: [unclosed\n", "infoint.yaml:"),
    ],
)
def test_wrong_types_are_usage_errors_naming_the_key(make_vault, text, named):
    with pytest.raises(UsageError, match=named.replace(".", r"\.")):
        load_config(make_vault(config=text))
