"""The "Git conventions" page is rendered from the rules the hooks apply."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from coursekit.hooks import rules
from coursekit.hooks.conventions_page import configured_branch_types, render
from hook_testing import REPO_ROOT

ALL_RULES = rules.BRANCH_RULES + rules.MESSAGE_RULES
# The extensions mkdocs.yml enables that the page relies on.
SITE_EXTENSIONS = ["admonition", "attr_list", "tables", "pymdownx.superfences"]


@pytest.fixture(scope="module")
def page() -> str:
    return render()


@pytest.fixture(scope="module")
def page_html(page: str) -> str:
    return markdown.markdown(page, extensions=SITE_EXTENSIONS)


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_every_rule_has_an_anchored_section(page_html: str, rule: rules.Rule) -> None:
    assert f'id="{rule.code}"' in page_html


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_every_example_is_shown(page: str, rule: rules.Rule) -> None:
    for example in (*rule.good, *rule.bad):
        for line in example.splitlines() or ["*(an empty message)*"]:
            assert line in page


def test_the_corrections_shown_are_the_hooks_own(page: str) -> None:
    assert "| `Added logger` | `Add logger` |" in page
    assert (
        "| `This commit adds a connection to db` | `Add a connection to db` |" in page
    )
    assert "| `Feature/Add_Login` | `feature/add-login` |" in page


def test_admonitions_and_tables_render_for_the_site(page_html: str) -> None:
    assert page_html.count('class="admonition success"') > len(rules.MESSAGE_RULES)
    assert 'class="admonition failure"' in page_html
    assert "<table>" in page_html
    assert "&lt;type&gt;" in page_html  # shown, not swallowed as an HTML tag


def test_the_branch_types_come_from_the_configuration(tmp_path: Path) -> None:
    ours = configured_branch_types(REPO_ROOT / ".pre-commit-config.yaml")
    assert ours == rules.DEFAULT_BRANCH_TYPES
    config = tmp_path / ".pre-commit-config.yaml"
    config.write_text(
        "repos:\n- repo: local\n  hooks:\n  - id: check-branch-name\n"
        "    args: [--types, 'feature,spike']\n",
        encoding="utf-8",
    )
    types = configured_branch_types(config)
    assert types == ("feature", "spike")
    page = render(types)
    assert "| `spike/<description>` |" in page
    assert "`docs/<description>`" not in page
    config.write_text("repos: []\n", encoding="utf-8")
    assert configured_branch_types(config) == rules.DEFAULT_BRANCH_TYPES
