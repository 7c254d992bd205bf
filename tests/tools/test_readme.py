"""Generated parts of the README stay in step with their sources."""
from tools import config_reference, views_reference


def test_views_table_matches_the_view_lock_file():
    assert views_reference.main(["--check"]) == 0


def test_config_reference_matches_the_model():
    assert config_reference.main(["--check"]) == 0


def test_readme_gives_the_two_commands_that_ci_runs():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    readme = (root / "README.md").read_text()
    assert "make plan" in readme and "make test" in readme
    assert "make test" in (root / ".ci" / "run").read_text()


def test_readme_counts_the_packs_rules_per_pillar():
    """The Policy pack section's figures are the pack's own (they went stale once: 102 stated, 121 shipped)."""
    import re
    import sys
    from collections import Counter
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    sys.path.insert(0, str(root / "policy"))
    from rules import ALL_POLICIES

    stated = re.search(r"pack \(pulumi-policy, Python\) of (\d+) rules \(([^)]*)\)",
                       " ".join((root / "README.md").read_text().split()))
    assert stated, "README's Policy pack section no longer states the rule count"
    pillars = Counter(p.meta.pillar.value.replace("-", " ") for p in ALL_POLICIES)
    assert int(stated.group(1)) == len(ALL_POLICIES)
    assert {name: int(count) for count_name in stated.group(2).split(", ")
            for name, count in [count_name.rsplit(" ", 1)]} == dict(pillars)
