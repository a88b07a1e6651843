"""Settings come from the environment; a bad value names its variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from gateway.settings import Settings, SettingsError, settings_table


def test_defaults() -> None:
    settings = Settings.from_env({})
    assert settings.mongodb_uri is None and settings.data_dir == Path(".docgate/data")
    assert (settings.default_page_size, settings.max_page_size, settings.max_batch_size) == (60, 200, 60)


def test_values_are_parsed() -> None:
    settings = Settings.from_env({"MONGODB_URI": "memory://", "DOCGATE_PORT": "8080", "DOCGATE_MAX_BATCH_SIZE": "10",
                                  "DOCGATE_WEBHOOK_ALLOW_PRIVATE_TARGETS": "true", "DOCGATE_LOG_LEVEL": "debug"})
    assert settings.mongodb_uri == "memory://" and settings.port == 8080 and settings.max_batch_size == 10
    assert settings.webhook_allow_private_targets is True and settings.log_level == "DEBUG"


@pytest.mark.parametrize(
    ("env", "value", "needle"),
    [
        ("DOCGATE_PORT", "80000", "port number"),
        ("DOCGATE_PORT", "x", "integer"),
        ("DOCGATE_MAX_PAGE_SIZE", "0", "positive"),
        ("MONGODB_URI", "postgres://x", "mongodb://"),
        ("DOCGATE_LOG_LEVEL", "LOUD", "DEBUG"),
        ("DOCGATE_WEBHOOK_ALLOW_PRIVATE_TARGETS", "maybe", "true or false"),
        ("DOCGATE_CONTROL_DB", "a.b", "database name"),
    ],
)
def test_invalid_values_name_the_variable(env: str, value: str, needle: str) -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({env: value})
    assert env in str(caught.value) and needle in str(caught.value)


def test_default_page_cannot_exceed_max_page() -> None:
    with pytest.raises(SettingsError, match="DOCGATE_DEFAULT_PAGE_SIZE"):
        Settings.from_env({"DOCGATE_DEFAULT_PAGE_SIZE": "300"})


def test_every_setting_is_documented() -> None:
    assert all(env.isupper() and doc for env, _, doc in settings_table())


def test_the_readme_lists_every_setting_as_the_code_defines_it() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    for env, default, doc in settings_table():
        shown = f"`{default}`" if default else "(unset)"
        assert f"| `{env}` | {shown} | {doc} |" in readme, f"README's settings table: {env}"
