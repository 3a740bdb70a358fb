"""The offline site (`make build-offline`) opened from disk, without a server."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("site")]


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory: pytest.TempPathFactory, build_site) -> Path:
    return build_site(tmp_path_factory.mktemp("site-offline"), OFFLINE="true")


def test_offline_site_searches_from_file_urls(browser, offline_site: Path):
    context = browser.new_context()
    problems = []
    context.on("weberror", lambda error: problems.append(str(error.error)))
    page = context.new_page()
    page.goto((offline_site / "index.html").as_uri())
    page.locator(".md-search__input").press_sequentially("percentiles")
    result = page.locator(".md-search-result__item a").first
    result.wait_for()
    result.click()
    page.wait_for_load_state("load")
    assert page.url.startswith(offline_site.as_uri())
    assert "/lectures/01_introduction.html" in page.url
    assert not problems
    context.close()
