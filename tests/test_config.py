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


def test_me_and_salutation(make_vault):
    config = load_config(
        make_vault(
            config=(
                "me:\n"
                "  name: Ana   Ruiz\n"
                "  email: ana@example.com\n"
                '  phone: "+1 555 0100"\n'
                "  school: UMBC, M.S. Information Systems\n"
                "  pitch:\n"
                "salutation: first-name\n"
            )
        )
    )
    assert config.me.name == "Ana Ruiz"
    assert config.me.school == "UMBC, M.S. Information Systems"
    assert config.me.pitch is None
    assert config.salutation == "first-name"
    assert config.diagnostics == ()
    assert Config().me.name is None and Config().salutation == "formal"


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("me:\n  name: Ana\n\n  # a comment\n  nickname: Annie\ntimezone: UTC\n", 5, 3),
        ("timezone: UTC\nme: {name: Ana, nickname: Annie}\n", 2, 17),
    ],
)
def test_an_unknown_key_under_me_is_a_warning_at_its_line(make_vault, text, line, column):
    config = load_config(make_vault(config=text))
    assert config.me.name == "Ana"
    (warning,) = config.diagnostics
    assert (warning.code, warning.line, warning.column) == ("unknown-config-key", line, column)
    assert "me.nickname" in warning.message and "pitch" in warning.message


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("me: Ana Ruiz\n", "'me'"),
        ("me:\n  phone: 5550100\n", "me.phone"),
        ("me:\n  name: [Ana]\n", "me.name"),
        ("salutation: casual\n", "salutation"),
    ],
)
def test_wrong_me_or_salutation_is_a_usage_error_naming_the_key(make_vault, text, named):
    with pytest.raises(UsageError, match=named):
        load_config(make_vault(config=text))
