"""preference_center.config: the sample is valid; each broken config is refused with a message naming path and fix."""
from __future__ import annotations

import copy
import json

import pytest

from preference_center.config import SAMPLE_PATH, ConfigError, load_config, required_label_keys, validate_config

SAMPLE = json.loads(SAMPLE_PATH.read_text(encoding="utf-8"))


def broken(change) -> dict:
    document = copy.deepcopy(SAMPLE)
    change(document)
    return document


def test_sample_is_valid_and_has_two_languages_two_categories_four_publications():
    config = load_config(SAMPLE_PATH)
    assert config["languages"] == ["en", "es"]
    assert len(config["categories"]) == 2
    assert sum(len(c["publications"]) for c in config["categories"]) == 4
    assert {ch for c in config["categories"] for p in c["publications"] for ch in p["channels"]} == {"EMAIL", "SMS"}


def test_required_labels_cover_every_item():
    keys = required_label_keys(SAMPLE)
    assert {"category.offers", "publication.new-arrivals", "attribute.shoe_size", "option.shoe_size.s42",
            "channel.SMS"} <= keys


CASES = [
    ("missing text for a publication in Spanish",
     lambda d: d["text"]["es"]["labels"].pop("publication.new-arrivals"),
     "$.text.es.labels: missing label 'publication.new-arrivals'. Fix: add \"publication.new-arrivals\""),
    ("publication on a channel that is not configured",
     lambda d: d.update(channels=[{"id": "EMAIL"}]),
     "$.categories[0].publications[1].channels: channel SMS is not configured in $.channels"),
    ("duplicate publication id across categories",
     lambda d: d["categories"][1]["publications"][0].update(id="runners-monthly"),
     "$.categories[*].publications: duplicate id 'runners-monthly'. Fix: give every item a unique id"),
    ("unknown channel id",
     lambda d: d["channels"].append({"id": "PUSH"}),
     "$.channels[2].id: 'PUSH' is not one of ['EMAIL', 'SMS']. Fix: use one of ['EMAIL', 'SMS']"),
    ("language without texts",
     lambda d: d["languages"].append("fr"),
     "$.text.fr: no texts for language 'fr' listed in $.languages. Fix: add a $.text.fr object"),
    ("default language not offered",
     lambda d: d.update(default_language="de"),
     "$.default_language: 'de' is not in $.languages"),
    ("select without options",
     lambda d: d["attributes"][2].update(validation={}),
     "$.attributes[2].validation.options: input_type select needs options. Fix: list the allowed option ids"),
    ("misspelt key",
     lambda d: d.update(unsubscribe_al={"enabled": True}),
     "$: Additional properties are not allowed ('unsubscribe_al' was unexpected). Fix: remove the key or correct"),
    ("missing button text",
     lambda d: d["text"]["en"]["buttons"].pop("submit"),
     "$.text.en.buttons: 'submit' is a required property. Fix: add the missing key"),
    ("label for an item that does not exist",
     lambda d: d["text"]["en"]["labels"].update({"publication.gone": "Gone"}),
     "$.text.en.labels.publication.gone: label for an item that is not configured"),
    ("invalid publication id (used as SES topic name)",
     lambda d: d["categories"][0]["publications"][0].update(id="Runners Monthly!"),
     "$.categories[0].publications[0].id: 'Runners Monthly!' does not match"),
    ("min_length above max_length",
     lambda d: d["attributes"][0]["validation"].update(min_length=60),
     "$.attributes[0].validation.min_length: min_length is greater than max_length"),
    ("missing short channel name",
     lambda d: d["text"]["es"]["channel_names"].pop("SMS"),
     "$.text.es.channel_names: missing short name for channel SMS"),
]


@pytest.mark.parametrize(("change", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_config_is_refused_with_path_and_fix(change, expected):
    with pytest.raises(ConfigError) as error:
        validate_config(broken(change), source="test.json")
    assert expected in str(error.value)
    assert "invalid preference-center config test.json" in str(error.value)


def test_all_problems_are_reported_at_once():
    def two_problems(d):
        d["text"]["en"]["labels"].pop("category.offers")
        d["text"]["es"]["labels"].pop("category.offers")

    with pytest.raises(ConfigError) as error:
        validate_config(broken(two_problems))
    assert [p.path for p in error.value.problems] == ["$.text.en.labels", "$.text.es.labels"]


def test_unreadable_files_name_the_problem(tmp_path):
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{ not json")
    with pytest.raises(ConfigError, match=r"not valid JSON .* Fix: fix the JSON syntax"):
        load_config(bad)
