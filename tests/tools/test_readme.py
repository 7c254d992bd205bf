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
