"""LLM settings: options over environment over ./claimex.toml over defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimex.backends.llm.config import LLMMode, load_settings, public_url
from claimex.errors import ClaimexError, InputError


def write_toml(path: Path, body: str) -> Path:
    path.write_text("[tool.claimex]\n" + body)
    return path


def test_defaults_without_any_source(tmp_path: Path) -> None:
    settings = load_settings(environ={}, config_file=tmp_path / "absent.toml")
    assert (settings.model, settings.base_url, settings.mode) == ("gpt-4o-mini", None, "tools")
    assert (settings.temperature, settings.max_retries, settings.cache) == (0.0, 2, True)
    assert settings.api_key_env == "OPENAI_API_KEY"


def test_each_source_overrides_the_one_below(tmp_path: Path) -> None:
    toml = write_toml(
        tmp_path / "claimex.toml",
        'model = "toml-model"\nbase_url = "http://toml/v1"\nmode = "md_json"\ntemperature = 0.5\n',
    )
    env = {"CLAIMEX_MODEL": "env-model", "CLAIMEX_BASE_URL": "http://env/v1"}
    only_toml = load_settings(environ={}, config_file=toml)
    with_env = load_settings(environ=env, config_file=toml)
    with_cli = load_settings({"model": "cli-model", "mode": None}, environ=env, config_file=toml)
    assert (only_toml.model, only_toml.base_url) == ("toml-model", "http://toml/v1")
    assert (with_env.model, with_env.base_url) == ("env-model", "http://env/v1")
    assert (with_cli.model, with_cli.base_url) == ("cli-model", "http://env/v1")
    assert with_cli.mode is LLMMode.MD_JSON  # an option left unset (None) does not override
    assert with_cli.temperature == 0.5


def test_the_working_directory_claimex_toml_is_read(tmp_path: Path) -> None:
    write_toml(tmp_path / "claimex.toml", 'mode = "json"\n')  # tests run in tmp_path
    assert load_settings(environ={}).mode is LLMMode.JSON


def test_unknown_key_names_the_file_and_the_key(tmp_path: Path) -> None:
    toml = write_toml(tmp_path / "claimex.toml", "temprature = 0.2\n")
    with pytest.raises(InputError, match=r"claimex.toml: \[tool.claimex\] has unknown key"):
        load_settings(environ={}, config_file=toml)


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    toml = tmp_path / "claimex.toml"
    toml.write_text("[tool.claimex\nmodel = 1\n")
    with pytest.raises(InputError, match=r"claimex.toml: not valid TOML"):
        load_settings(environ={}, config_file=toml)


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"temperature": 3}, "bad LLM setting temperature: Input should be less than or equal"),
        ({"mode": "xml"}, "bad LLM setting mode: Input should be 'tools', 'json_schema'"),
        ({"max_retries": -1}, "bad LLM setting max_retries"),
    ],
)
def test_bad_values_are_one_clear_error(
    tmp_path: Path, override: dict[str, object], message: str
) -> None:
    with pytest.raises(ClaimexError, match=message):
        load_settings(override, environ={}, config_file=tmp_path / "absent.toml")


def test_public_url_drops_credentials() -> None:
    assert (
        public_url("https://user:pw@llm.example.com:8443/v1") == "https://llm.example.com:8443/v1"
    )
    assert public_url("http://127.0.0.1:8000/v1") == "http://127.0.0.1:8000/v1"
    assert public_url(None) is None
