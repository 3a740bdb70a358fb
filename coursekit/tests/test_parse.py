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
