"""Load and validate a preference-center configuration file (deploy time, no AWS).

The Pulumi component calls `load_config(path)` and stores `json.dumps(result)` in the config table. Checks run
in two passes: the JSON Schema (shape, types, enums) and then semantic checks the schema cannot express (unique
ids across the document, a text for every label in every language, publications only on configured channels).
Every problem names its JSON path and the fix, and all problems are reported at once so an author fixes a
config in one round trip instead of one error per deploy.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema

SCHEMA_PATH = Path(__file__).with_name("config.schema.json")
SAMPLE_PATH = Path(__file__).with_name("sample.json")
SES_MAX_TOPICS = 20  # SES v2 quota: topics per contact list


@dataclass(frozen=True)
class Problem:
    path: str
    message: str
    fix: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}. Fix: {self.fix}"


class ConfigError(ValueError):
    """The configuration is invalid; `problems` lists every finding."""

    def __init__(self, source: str, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"invalid preference-center config {source}:\n{lines}")


def load_config(path: str | Path) -> dict[str, Any]:
    """Read, validate and return the configuration document at `path`."""
    path = Path(path)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(str(path), [Problem("$", "file not found", "check the path in the stack config")])
    except json.JSONDecodeError as exc:
        raise ConfigError(str(path), [Problem("$", f"not valid JSON ({exc.msg} at line {exc.lineno})",
                                              "fix the JSON syntax")])
    validate_config(document, source=str(path))
    return document


def validate_config(document: Any, source: str = "<document>") -> None:
    problems = list(_schema_problems(document))
    # Semantic checks assume the shape is right; on a shape error they would only add noise.
    if not problems:
        problems = list(_semantic_problems(document))
    if problems:
        raise ConfigError(source, problems)


def required_label_keys(document: dict[str, Any]) -> set[str]:
    """Every label the page needs, derived from the configured items."""
    keys = {f"channel.{c['id']}" for c in document["channels"]}
    for category in document["categories"]:
        keys.add(f"category.{category['id']}")
        keys.update(f"publication.{p['id']}" for p in category["publications"])
    for attribute in document["attributes"]:
        keys.add(f"attribute.{attribute['id']}")
        for option in attribute.get("validation", {}).get("options", []):
            keys.add(f"option.{attribute['id']}.{option}")
    return keys


def _schema_problems(document: Any) -> Iterator[Problem]:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    for error in sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path))):
        yield Problem(_json_path(error.absolute_path), error.message, _schema_fix(error))


def _schema_fix(error: jsonschema.ValidationError) -> str:
    if error.validator == "required":
        return "add the missing key"
    if error.validator == "additionalProperties":
        return "remove the key or correct its spelling (see preference_center/config.schema.json)"
    if error.validator == "enum":
        return f"use one of {error.validator_value}"
    if error.validator == "pattern":
        return f"use a value matching {error.validator_value}"
    return "correct the value (see preference_center/config.schema.json)"


def _semantic_problems(doc: dict[str, Any]) -> Iterator[Problem]:
    yield from _duplicates("$.channels", [c["id"] for c in doc["channels"]])
    yield from _duplicates("$.categories", [c["id"] for c in doc["categories"]])
    yield from _duplicates("$.attributes", [a["id"] for a in doc["attributes"]])
    # Publication ids are SES topic names and audience keys, so they must be unique across categories.
    yield from _duplicates("$.categories[*].publications",
                           [p["id"] for c in doc["categories"] for p in c["publications"]])

    email_publications = [p["id"] for c in doc["categories"] for p in c["publications"] if "EMAIL" in p["channels"]]
    if len(email_publications) > SES_MAX_TOPICS:
        # Each EMAIL publication is a topic of the SES contact list, and SES refuses more than 20 per list.
        yield Problem("$.categories[*].publications", f"{len(email_publications)} publications are offered on EMAIL; "
                      f"an SES contact list holds at most {SES_MAX_TOPICS} topics",
                      f"offer at most {SES_MAX_TOPICS} publications on EMAIL")

    channels = {c["id"] for c in doc["channels"]}
    for ci, category in enumerate(doc["categories"]):
        for pi, publication in enumerate(category["publications"]):
            for extra in sorted(set(publication["channels"]) - channels):
                yield Problem(f"$.categories[{ci}].publications[{pi}].channels",
                              f"channel {extra} is not configured in $.channels",
                              f"add {{\"id\": \"{extra}\"}} to $.channels or remove {extra} here")

    yield from _attribute_problems(doc)

    if doc["default_language"] not in doc["languages"]:
        yield Problem("$.default_language", f"{doc['default_language']!r} is not in $.languages",
                      "add it to $.languages or pick one of them")
    yield from _text_problems(doc)


def _attribute_problems(doc: dict[str, Any]) -> Iterator[Problem]:
    for ai, attribute in enumerate(doc["attributes"]):
        where = f"$.attributes[{ai}].validation"
        rules = attribute.get("validation", {})
        has_options = "options" in rules
        if attribute["input_type"] == "text" and has_options:
            yield Problem(f"{where}.options", "a text attribute cannot have options",
                          "remove options or use input_type radio, select or checkbox")
        if attribute["input_type"] != "text" and not has_options:
            yield Problem(f"{where}.options", f"input_type {attribute['input_type']} needs options",
                          "list the allowed option ids")
        if "pattern" in rules:
            try:
                re.compile(rules["pattern"])
            except re.error as exc:
                yield Problem(f"{where}.pattern", f"not a valid regular expression ({exc})",
                              "correct the regular expression")
        if rules.get("min_length", 0) > rules.get("max_length", 500):
            yield Problem(f"{where}.min_length", "min_length is greater than max_length",
                          "lower min_length or raise max_length")


def _text_problems(doc: dict[str, Any]) -> Iterator[Problem]:
    required = required_label_keys(doc)
    # Descriptions are optional extras shown under a category or publication title.
    optional = {f"{key}.description" for key in required if key.startswith(("category.", "publication."))}
    for language in doc["languages"]:
        if language not in doc["text"]:
            yield Problem(f"$.text.{language}", f"no texts for language {language!r} listed in $.languages",
                          f"add a $.text.{language} object, or remove {language!r} from $.languages")
            continue
        names = doc["text"][language]["channel_names"]
        for channel in sorted({c["id"] for c in doc["channels"]} - names.keys()):
            yield Problem(f"$.text.{language}.channel_names", f"missing short name for channel {channel}",
                          f"add \"{channel}\": \"<short name for the subscription grid>\"")
        labels = doc["text"][language]["labels"]
        for key in sorted(required - labels.keys()):
            yield Problem(f"$.text.{language}.labels", f"missing label {key!r}",
                          f"add \"{key}\": \"<text shown to users>\"")
        for key in sorted(labels.keys() - required - optional):
            yield Problem(f"$.text.{language}.labels.{key}", "label for an item that is not configured",
                          "remove it or correct the id it refers to")
    for language in sorted(doc["text"].keys() - set(doc["languages"])):
        yield Problem(f"$.text.{language}", f"language {language!r} is not listed in $.languages",
                      f"add {language!r} to $.languages or remove these texts")


def _duplicates(path: str, ids: list[str]) -> Iterator[Problem]:
    seen: set[str] = set()
    for value in ids:
        if value in seen:
            yield Problem(path, f"duplicate id {value!r}", "give every item a unique id")
        seen.add(value)


def _json_path(parts: Any) -> str:
    path = "$"
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path
