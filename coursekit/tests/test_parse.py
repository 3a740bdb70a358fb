from pathlib import Path

import pytest
from coursekit.errors import ContentError
from coursekit.parse import parse_text

DECK = Path("slides/deck.md")


def parse(text: str):
    return parse_text(text, DECK)


def test_front_matter_is_read_and_not_part_of_any_slide():
    deck = parse("---\nmarp: true\ntheme: course\n---\n\n# One\n\n---\n\n# Two\n")
    assert deck.is_marp
    assert deck.theme == "course"
    assert [s.title for s in deck.slides] == ["One", "Two"]
    assert "marp" not in deck.slides[0].markdown


def test_deck_without_front_matter_is_parsed_but_not_marp():
    deck = parse("# Only\n\ntext\n")
    assert not deck.is_marp
    assert len(deck.slides) == 1
    assert deck.slides[0].line == 1


def test_dashes_inside_a_code_fence_do_not_split_a_slide():
    deck = parse("# A\n\n```yaml\n---\nkey: value\n---\n```\n\n---\n\n# B\n")
    assert len(deck.slides) == 2
    assert "key: value" in deck.slides[0].markdown


def test_setext_heading_underline_is_not_a_slide_break():
    deck = parse("Title\n---\n\ntext\n")
    assert len(deck.slides) == 1
    assert deck.slides[0].headings[0].level == 2
    assert deck.slides[0].title == "Title"


def test_every_thematic_break_style_splits_slides():
    deck = parse("a\n\n---\n\nb\n\n***\n\nc\n\n___\n\nd\n")
    assert len(deck.slides) == 4


def test_empty_slides_are_counted_as_marp_counts_them():
    deck = parse("# A\n\n---\n\n---\n\n# C\n")
    assert len(deck.slides) == 3
    assert deck.slides[1].is_empty
    assert [s.number for s in deck.slides] == [1, 2, 3]


def test_heading_divider_starts_a_slide_before_each_heading():
    deck = parse(
        "---\nheadingDivider: 2\n---\n\n# A\n\ntext\n\n## B\n\n### c\n\n## D\n"
    )
    assert [s.title for s in deck.slides] == ["A", "B", "D"]


def test_directive_comments_are_consumed_and_applied():
    deck = parse(
        "---\npaginate: true\n_class: invert\n---\n\n# A\n\n---\n\n"
        "<!-- _class: lead -->\n<!-- backgroundColor: white -->\n# B\n\n---\n\n# C\n"
    )
    first, second, third = deck.slides
    assert first.directives["class"] == "invert"
    assert second.directives["class"] == "lead"
    assert "class" not in third.directives
    assert third.directives["backgroundColor"] == "white"
    assert all(s.directives["paginate"] is True for s in deck.slides)
    assert "<!--" not in second.markdown
    assert second.notes == ()


def test_multi_line_directive_comment_is_consumed():
    deck = parse("<!--\n_class: lead\npaginate: false\n-->\n# A\n")
    assert deck.slides[0].directives == {"class": "lead", "paginate": False}
    assert deck.slides[0].markdown == "# A"


def test_other_comments_are_speaker_notes_with_their_line():
    deck = parse("# A\n\ntext\n\n<!--\nSay hello.\n  Then explain.\n-->\n")
    (note,) = deck.slides[0].notes
    assert note.text == "Say hello.\n  Then explain."
    assert note.line == 5
    assert "Say hello" not in deck.slides[0].markdown


def test_comment_with_unknown_keys_is_a_note_not_a_directive():
    deck = parse("# A\n\n<!-- reminder: show the demo -->\n")
    assert deck.slides[0].notes[0].text == "reminder: show the demo"
    assert "reminder" not in deck.slides[0].directives


def test_comments_inside_code_stay_code():
    deck = parse("```html\n<!-- _class: lead -->\n```\n")
    assert "<!-- _class: lead -->" in deck.slides[0].markdown
    assert deck.slides[0].directives == {}


def test_fit_keyword_in_a_heading_is_neither_note_nor_text():
    deck = parse("# <!-- fit --> Big title\n")
    assert deck.slides[0].notes == ()
    assert "fit" not in deck.slides[0].markdown


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("![bg right:50% w:500](img/a.png)", (True, "right", "500px", "")),
        ("![bg left](img/a.png)", (True, "left", None, "")),
        ("![bg](img/a.png)", (True, None, None, "")),
        ("![w:900](img/a.png)", (False, None, "900px", "")),
        ("![bg contain sepia blur:4px](img/a.png)", (True, None, None, "")),
        ("![A cat w:30%](img/a.png)", (False, None, "30%", "A cat")),
        ("![width:12em grayscale A plot](img/a.png)", (False, None, "12em", "A plot")),
    ],
)
def test_marp_image_keywords(markup, expected):
    (image,) = parse(f"# A\n\n{markup}\n").slides[0].images
    assert (image.background, image.side, image.width, image.alt) == expected
    assert image.src == "img/a.png"
    assert image.markup == markup
    assert image.line == 3


@pytest.mark.parametrize(
    ("markup", "decorative"),
    [
        ('![bg](img/a.png "decorative")', True),
        ('![bg opacity:.3](img/a.png "Decorative")', True),
        ('![bg right](img/a.png "decorative")', True),
        ('![bg](img/a.png "A photo")', False),
        # An image inline on the slide is content, whatever its title says.
        ('![w:200](img/a.png "decorative")', False),
    ],
)
def test_decorative_background_is_marked_by_its_title(markup, decorative):
    (image,) = parse(f"# A\n\n{markup}\n").slides[0].images
    assert image.decorative is decorative
    assert (image.src, image.alt) == ("img/a.png", "")


def test_crlf_line_endings_give_the_same_slides():
    text = "---\nmarp: true\n---\n\n# A\n\n- x\n\n---\n\n# B\n"
    lf, crlf = parse(text), parse(text.replace("\n", "\r\n"))
    assert [s.markdown for s in crlf.slides] == [s.markdown for s in lf.slides]
    assert crlf.line_ending == "\r\n"


def test_slide_lines_point_into_the_file():
    deck = parse("---\nmarp: true\n---\n\n# A\n\n---\n\n\n# B\n")
    assert [s.line for s in deck.slides] == [5, 10]


def test_title_prefers_the_title_directive():
    assert parse("---\ntitle: Given\n---\n# Heading\n").title == "Given"
    assert parse("# Heading\n").title == "Heading"


def test_broken_front_matter_names_the_line():
    with pytest.raises(ContentError) as caught:
        parse("---\nmarp: true\ntheme: [unclosed\n---\n# A\n")
    assert caught.value.line == 3
    assert "front matter is not valid YAML" in caught.value.message


def test_unclosed_front_matter_is_an_error():
    with pytest.raises(ContentError, match="front matter is not closed"):
        parse("---\nmarp: true\n# A\n")


# Front matter and directive values, read as Marp Core reads them.


def test_unquoted_directive_values_are_strings_as_marp_reads_them():
    deck = parse(
        "---\nmarp: true\nfooter: ![w:150](images/logo.svg)\n"
        "backgroundColor: #0F172A\nheader: Live: today at 10:00\n"
        "style: @import url('x.css');\nsize: 4:3\n---\n# A\n"
    )
    directives = deck.slides[0].directives
    assert directives["footer"] == "![w:150](images/logo.svg)"
    assert directives["backgroundColor"] == "#0F172A"
    assert directives["header"] == "Live: today at 10:00"
    assert directives["style"] == "@import url('x.css');"
    assert directives["size"] == "4:3"


def test_a_key_written_twice_is_refused_at_its_second_line():
    with pytest.raises(ContentError) as caught:
        parse("---\nmarp: true\ntheme: a\npaginate: true\ntheme: b\n---\n# A\n")
    assert caught.value.line == 5
    assert "`theme` is written twice" in caught.value.message


@pytest.mark.parametrize(
    "front_matter",
    ["---\nheadingDivider: 2\n...\n", "----\nheadingDivider: 2\n-----\n"],
    ids=["dots", "four-dashes"],
)
def test_front_matter_closes_as_markdown_it_front_matter_closes_it(front_matter):
    deck = parse(front_matter + "# A\n\n## B\n")
    assert deck.global_directives["headingDivider"] == 2
    assert [slide.title for slide in deck.slides] == ["A", "B"]


def test_a_three_dash_line_does_not_close_a_four_dash_front_matter():
    with pytest.raises(ContentError, match="not closed"):
        parse("----\nmarp: true\n---\n# A\n")


@pytest.mark.parametrize(
    ("value", "expected", "slides"),
    [
        ('"2"', 2, 2),
        ("[1, 3]", (1, 3), 2),
        ("7", None, 1),
        ("false", False, 1),
    ],
)
def test_heading_divider_values_as_marpit_reads_them(value, expected, slides):
    deck = parse(f"---\nheadingDivider: {value}\n---\n# A\n\n## B\n\n### C\n")
    assert deck.global_directives.get("headingDivider") == expected
    assert len(deck.slides) == slides


def test_an_ignored_directive_value_is_recorded_for_the_checks():
    deck = parse("---\nheadingDivider: 7\n---\n# A\n\n<!-- header: [a, b] -->\n")
    ignored = [(key.key, key.line, key.is_directive) for key in deck.ignored_keys]
    assert ignored == [("headingDivider", 2, True), ("header", 6, True)]


def test_a_comment_with_one_directive_sets_it_and_records_the_other_keys():
    deck = parse("# A\n\n<!--\n_class: lead\nbackgroundcolor: white\n-->\n")
    assert deck.slides[0].directives["class"] == "lead"
    assert deck.slides[0].notes == ()
    assert [(key.key, key.is_directive) for key in deck.ignored_keys] == [
        ("backgroundcolor", False)
    ]


def test_loose_comment_values_and_extra_dashes():
    deck = parse("<!--- header: Week 2: serving --->\n<!-- _color: #111 -->\n# A\n")
    assert deck.slides[0].directives["header"] == "Week 2: serving"
    assert deck.slides[0].directives["color"] == "#111"


def test_editor_comments_are_neither_notes_nor_directives():
    deck = parse(
        "# A\n\n<!-- prettier-ignore -->\n<!-- markdownlint-disable MD033 -->\n"
    )
    assert deck.slides[0].notes == ()


def test_a_comment_inside_an_html_block_is_part_of_the_block():
    deck = parse("<div>\n<!-- headingDivider: 1 -->\n</div>\n\n# A\n\n# B\n")
    assert "headingDivider" not in deck.global_directives
    assert len(deck.slides) == 1


def test_text_after_a_comment_on_its_line_is_hidden_like_the_comment():
    deck = parse("# A\n\n<!-- note --> hidden too\n\nshown\n")
    assert "hidden" not in deck.slides[0].markdown
    assert deck.slides[0].notes[0].text == "note"


def test_style_blocks_are_deck_css_not_slide_content():
    deck = parse("<style>\nsection { color: red }\n</style>\n\n# A\n")
    assert deck.slides[0].markdown == "# A"


# Slide splits.


def test_heading_divider_after_a_rule_makes_an_empty_slide_as_marpit_does():
    deck = parse("---\nheadingDivider: 2\n---\n# A\n\n---\n\n## B\n")
    assert [slide.title for slide in deck.slides] == ["A", None, "B"]
    assert [slide.separator_line for slide in deck.slides] == [0, 6, 8]


def test_heading_divider_splits_before_nested_headings():
    deck = parse("---\nheadingDivider: 2\n---\n# A\n\n> ## In a quote\n> text\n")
    assert [slide.title for slide in deck.slides] == ["A", "In a quote"]
    assert deck.slides[1].markdown == "> ## In a quote\n> text"


def test_a_math_block_ends_a_paragraph_and_the_rule_after_it_splits():
    deck = parse("Text\n$$\nx^2\n$$\n---\n# B\n")
    assert len(deck.slides) == 2


def test_an_unclosed_math_block_runs_to_the_end_of_the_deck():
    deck = parse("# A\n\n$$\nx\n\n---\n\n# B\n")
    assert len(deck.slides) == 1


def test_images_in_raw_html_are_images_of_the_slide():
    deck = parse('# A\n\n<div>\n<img src="images/a.png" alt="A">\n</div>\n')
    (image,) = deck.slides[0].images
    assert (image.src, image.alt, image.line, image.html) == (
        "images/a.png",
        "A",
        4,
        True,
    )


def test_images_in_code_are_not_images():
    deck = parse("# A\n\n`![x](a.png)`\n\n```\n![y](b.png)\n```\n")
    assert deck.slides[0].images == ()


@pytest.mark.parametrize("enabled", [True, False])
def test_parsing_leaves_the_garbage_collector_as_it_found_it(enabled):
    import gc

    (gc.enable if enabled else gc.disable)()
    try:
        parse("# A\n\n---\n\n# B\n")
        assert gc.isenabled() is enabled
    finally:
        gc.enable()
