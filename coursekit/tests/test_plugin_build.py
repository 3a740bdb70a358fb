import re
from types import SimpleNamespace

import nbformat
import pytest
from coursekit.decks import DeckReader
from coursekit.html_policy import live_html
from coursekit.plugin.course import CoursePlugin
from coursekit.plugin.options import load_course_config
from mkdocs.exceptions import PluginError

SLIDE_HEADING = re.compile(r'<h[2-6] id="slide-(\d+)"')


def test_each_deck_becomes_a_page_with_one_section_per_slide(course):
    result = course.build()
    assert result.returncode == 0, result.stderr
    html = course.page("lectures/01_fixture/index.html")
    assert SLIDE_HEADING.findall(html) == ["1", "2", "3"]
    assert "<title>Fixture lecture - Fixture course</title>" in html


def test_directives_are_consumed_and_notes_are_collapsible(course):
    course.build()
    html = course.page("lectures/01_fixture/index.html")
    assert "_class" not in html and "paginate" not in html
    assert '<details class="note">' in html
    assert "Welcome everyone." in html


def test_marp_markdown_renders_as_marp_renders_it(course):
    course.build()
    html = course.page("lectures/01_fixture/index.html")
    # A list right after a paragraph, nested lists, a table, a quote, math.
    assert re.search(r"<ul>\s*<li>Latency is measured", html)
    assert re.search(r"<li>p99 under 100 ms\.<br />\s*A second line\.", html)
    assert "<table>" in html and "<th>Production</th>" in html
    assert "<blockquote>" in html
    assert '<span class="arithmatex">' in html
    assert "a slide break" in html


def test_background_image_becomes_a_figure_and_is_copied(course):
    course.build()
    html = course.page("lectures/01_fixture/index.html")
    figure = re.search(
        r'<figure class="ck-figure ck-figure--right">(.*?)</figure>', html, re.S
    )
    assert figure and 'src="../../slides/images/chart.svg"' in figure.group(1)
    assert 'width="400"' in figure.group(1)
    assert (course.root / "site/slides/images/chart.svg").is_file()


def test_search_indexes_every_slide_with_its_anchor(course):
    course.build()
    docs = course.search_index()
    hits = [d["location"] for d in docs if "percentiles" in d["text"]]
    assert hits == ["lectures/01_fixture/#slide-2"]


def test_home_page_lists_the_lectures_found(course):
    course.write(
        "slides/02_second.md", "---\nmarp: true\n---\n\n# Second\n\n---\n\n# B\n"
    )
    course.build()
    home = course.page("index.html")
    assert re.search(r'<a href="lectures/01_fixture/">Fixture lecture</a>', home)
    assert re.search(
        r'<a href="lectures/02_second/">Second</a></td>\s*<td[^>]*>2</td>', home
    )


def test_plugin_writes_nothing_into_docs_or_slides(course):
    before = sorted(p for p in course.root.rglob("*") if "site" not in p.parts)
    course.build()
    after = sorted(
        p
        for p in course.root.rglob("*")
        if "site" not in p.parts
        and ".cache" not in p.parts
        and not p.name.startswith(".site.lock")
    )
    assert after == before


def test_markdown_files_without_marp_are_not_lectures(course):
    course.write("slides/README.md", "# How to write decks\n")
    assert course.build().returncode == 0
    assert not (course.root / "site/lectures/README").exists()


def test_missing_image_fails_the_build_naming_file_and_line(course):
    (course.root / "slides/images/chart.svg").unlink()
    result = course.build()
    assert result.returncode != 0
    assert (
        "slides/01_fixture.md:20:1: deck-image image './images/chart.svg' not found"
        in result.stderr
    )


def test_image_path_case_must_match(course):
    (course.root / "slides/images/chart.svg").rename(
        course.root / "slides/images/Chart.svg"
    )
    result = course.build()
    assert result.returncode != 0
    assert "01_fixture.md:20" in result.stderr


def test_unknown_theme_fails_the_build_naming_the_front_matter_line(course):
    course.write("slides/themes/fixture.css", "/* @theme other */\n")
    result = course.build()
    assert result.returncode != 0
    assert (
        "slides/01_fixture.md:3:8: deck-theme theme 'fixture-theme' is not in "
        "the theme set themes/" in result.stderr
    )


def test_broken_front_matter_fails_the_build(course):
    course.write("slides/03_broken.md", "---\nmarp: true\ntitle: [oops\n---\n# A\n")
    result = course.build()
    assert result.returncode != 0
    assert (
        "slides/03_broken.md:3:1: deck-front-matter front matter is not valid YAML"
        in result.stderr
    )


def test_navigation_puts_lectures_before_hand_written_pages(course):
    course.write("docs/about.md", "# About\n")
    course.build()
    home = course.page("index.html")
    primary = home[home.index("md-nav--primary") :]
    titles = re.findall(r'md-ellipsis">\s*([^<]+?)\s*<', primary)
    order = [t for t in ("Home", "Lectures", "Fixture lecture", "About") if t in titles]
    assert order == ["Home", "Lectures", "Fixture lecture", "About"]
    assert titles.index("Lectures") < titles.index("About")


def test_labs_are_published_executed_under_labs(course):
    course.write_lab("01_materials/labs/lab_1.ipynb", "print(6 * 7)")
    result = course.build()
    assert result.returncode == 0, result.stderr
    lab = course.page("labs/lab_1/index.html")
    assert re.search(r'class="ck-output[^>]*>.*?>42\n?<', lab, re.DOTALL)
    assert (course.root / "site/labs/lab_1.ipynb").is_file()
    home = course.page("index.html")
    primary = home[home.index("md-nav--primary") :]
    assert "Labs" in re.findall(r'md-ellipsis">\s*([^<]+?)\s*<', primary)


def test_a_lab_that_raises_fails_the_build_naming_the_cell(course):
    course.write_lab("01_materials/labs/lab_1.ipynb", "x = 1", "1 / 0")
    result = course.build()
    assert result.returncode != 0
    assert re.search(
        r"labs/lab_1.ipynb:\d+:1: notebook-execution cell 3 \(`1 / 0`\): "
        "ZeroDivisionError",
        result.stderr,
    )


def test_lecture_page_embeds_the_exported_deck_and_links_each_slide(course):
    result = course.build()
    assert result.returncode == 0, result.stderr
    html = course.page("lectures/01_fixture/index.html")
    assert '<iframe src="../../slides/01_fixture.html"' in html
    assert re.search(r'href="../../slides/01_fixture.html"[^>]*>Present</a>', html)
    assert 'href="../../slides/01_fixture.html#2"' in html
    exported = course.page("slides/01_fixture.html")
    assert exported.count('data-theme="fixture-theme"') >= 3
    assert "Exported slides of 01_fixture" in result.stderr


def test_rebuild_with_nothing_changed_exports_nothing(course):
    course.build()
    again = course.build()
    assert again.returncode == 0, again.stderr
    assert "Exported slides" not in again.stderr
    assert (course.root / "site/slides/01_fixture.html").is_file()


def test_git_conventions_page_follows_the_hook_configuration(course):
    course.write(
        ".pre-commit-config.yaml",
        "repos:\n  - repo: local\n    hooks:\n      - id: check-branch-name\n"
        "        name: branch\n        entry: true\n        language: system\n"
        "        args: [--types, 'feature,spike']\n",
    )
    assert course.build().returncode == 0
    page = course.page("git-conventions/index.html")
    assert "<code>spike</code>" in page or "spike/" in page


def test_a_theme_named_in_a_comment_is_judged_as_course_check_judges_it(course):
    deck = course.root / "slides/01_fixture.md"
    text = deck.read_text(encoding="utf-8")
    deck.write_text(text + "\n---\n\n<!-- theme: nosuch -->\n# Late\n", "utf-8")
    result = course.build()
    assert result.returncode != 0
    line = text.count("\n") + 4
    assert f"slides/01_fixture.md:{line}:13: deck-theme theme 'nosuch'" in result.stderr


def test_a_faint_theme_colour_fails_the_build_once_for_all_its_decks(course):
    course.write(
        "slides/themes/fixture.css",
        "/* @theme fixture-theme */\nsection { color: #999; background: #fff; }\n",
    )
    course.write(
        "slides/02_second.md", "---\nmarp: true\ntheme: fixture-theme\n---\n\n# B\n"
    )
    result = course.build()
    assert result.returncode != 0
    assert result.stderr.count("theme-contrast") == 1, result.stderr
    assert (
        "slides/themes/fixture.css:2:11: theme-contrast text #999999 on #ffffff "
        "(background at line 2) has contrast 2.84:1, below 4.5:1" in result.stderr
    )


HTML_DECK = """\
---
marp: true
theme: fixture-theme
---

# Raw HTML

<script>window.ckRan = 1</script>

<div class="box">
<img src="images/chart.svg" onerror="window.ckRan = 2" alt="Chart">

---

## After the box
"""


def test_raw_html_follows_the_html_option_on_page_and_deck(course):
    course.write("slides/02_html.md", HTML_DECK)
    assert course.build().returncode == 0
    page = course.page("lectures/02_html/index.html")
    deck = course.page("slides/02_html.html")
    assert "&lt;script&gt;window.ckRan = 1&lt;/script&gt;" in page
    assert '<img src="../../slides/images/chart.svg" alt="Chart">' in page
    article = page.split('<article class="md-content__inner', 1)[1]
    assert live_html(article.split("</article>", 1)[0]) == []
    assert SLIDE_HEADING.findall(page) == ["1", "2"], "the open div swallowed"
    assert "&lt;script&gt;" in deck and "onerror" not in deck

    config = course.root / "mkdocs.yml"
    config.write_text(
        config.read_text().replace(
            "exports: [html]", "exports: [html]\n      html: full"
        )
    )
    assert course.build().returncode == 0
    page = course.page("lectures/02_html/index.html")
    deck = course.page("slides/02_html.html")
    assert "<script>window.ckRan = 1</script>" in page
    assert "<script>window.ckRan = 1</script>" in deck


def test_a_lecture_page_that_would_run_script_stops_the_build(course):
    # The renderer lets nothing live through; this is the net under it,
    # should markdown-it and Python-Markdown ever read a deck differently.
    plugin = CoursePlugin()
    plugin._course = load_course_config(course.root / "mkdocs.yml")
    (deck,) = DeckReader().lectures(plugin.course.slides_dir, plugin.course.root)
    plugin._course_pages = {plugin.course.lecture_uri(deck): deck.path}
    lecture = SimpleNamespace(file=SimpleNamespace(src_uri="lectures/01_fixture.md"))
    other = SimpleNamespace(file=SimpleNamespace(src_uri="about.md"))
    live = '<p><img src="x.png" onerror="steal()"></p>'

    with pytest.raises(PluginError, match=r"01_fixture\.md:1:1: deck-html"):
        plugin.on_page_content(live, page=lecture, config=None, files=None)
    assert plugin.on_page_content("<p>x</p>", page=lecture, config=None, files=None)
    assert plugin.on_page_content(live, page=other, config=None, files=None) == live


def test_a_lab_cell_that_would_run_script_stops_the_build(course):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# A lab\n\n<b>Bold is fine.</b>"),
        nbformat.v4.new_markdown_cell('<img src="x.png" onerror="steal()">'),
    ]
    lab = course.write("01_materials/labs/lab_1.ipynb", nbformat.writes(notebook))

    result = course.build()

    assert result.returncode != 0
    shown = lab.relative_to(course.root).as_posix()
    assert f"{shown}:1:1: lab-html the lab page would run script" in result.stderr
    assert not (course.root / "site").exists()
