"""Differential corpus: decks written the way Marp users write them.

Each deck of fixtures/corpus reproduces one construct found in public Marp
decks; manifest.yml says which. Marp CLI converts every one of them, and
coursekit must agree with it: the same number of slides, one `#slide-N`
section per slide on the lecture page, the same directives on each slide.
Where coursekit disagrees today, the manifest holds the diagnosis and the case
is marked xfail(strict), so fixing the parser flips it.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

import markdown
import pytest
import yaml
from coursekit.directives import LOCAL_DIRECTIVES
from coursekit.errors import ContentError
from coursekit.model import Deck
from coursekit.parse import parse_deck

# The Markdown extensions every course's lecture pages are rendered with.
from coursekit.plugin.course import _REQUIRED_EXTENSIONS
from coursekit.render import LectureLinks, render_lecture
from coursekit.themes import load_theme_set
from mkdocs.utils.meta import get_data

from .support import FIXTURES, convert_to_html, html_slide_count, unparsed_source

# One Marp run converts the decks for every test here: keep them on one
# xdist worker (`--dist loadgroup`) rather than converting once per worker.
pytestmark = pytest.mark.xdist_group("marp-corpus")

CORPUS = FIXTURES / "corpus"
# Marp CLI writes `transition` as its own attribute format; the rest of the
# local directives appear as `data-<kebab-name>` on each slide's section,
# only when the value is not empty or false.
COMPARED_DIRECTIVES = sorted(LOCAL_DIRECTIVES - {"transition"})
_SECTION = re.compile(r'<section\b(?=[^>]*\bid="\d+")([^>]*)>')
_DATA_ATTRIBUTE = re.compile(r'\bdata-([a-z-]+)="([^"]*)"')
_PAGE_ANCHOR = re.compile(r'\bid="slide-(\d+)"')


@dataclass(frozen=True)
class CorpusDeck:
    stem: str
    covers: str
    refuse: bool
    slides_today: str | None
    """Why the slide count differs from Marp's today, if it does."""
    page_today: str | None
    directives_today: str | None
    source: str
    crlf: bool
    bom: bool
    replace: dict[str, str]

    def text(self) -> bytes:
        text = (CORPUS / f"{self.source}.md").read_text(encoding="utf-8")
        for old, new in self.replace.items():
            assert old in text, f"{self.stem}: `{old!r}` is not in {self.source}.md"
            text = text.replace(old, new)
        if self.crlf:
            text = text.replace("\n", "\r\n")
        return ("\ufeff" if self.bom else "").encode() + text.encode("utf-8")


def _read_manifest() -> list[CorpusDeck]:
    entries = yaml.safe_load((CORPUS / "manifest.yml").read_text(encoding="utf-8"))
    decks = [
        CorpusDeck(
            stem=stem,
            covers=entry["covers"],
            refuse=entry.get("expect", "same") == "refuse",
            slides_today=entry.get("slides"),
            page_today=entry.get("page"),
            directives_today=entry.get("directives"),
            source=entry.get("from", stem),
            crlf=entry.get("crlf", False),
            bom=entry.get("bom", False),
            replace=entry.get("replace", {}),
        )
        for stem, entry in entries.items()
    ]
    listed = {deck.source for deck in decks}
    unlisted = sorted(
        path.stem for path in CORPUS.glob("*.md") if path.stem not in listed
    )
    assert not unlisted, f"decks missing from manifest.yml: {unlisted}"
    return decks


DECKS = _read_manifest()


def _cases(*diagnoses: str, refused: bool = False) -> list:
    """One pytest param per deck, xfail(strict) with the first diagnosis found."""
    cases = []
    for deck in DECKS:
        if deck.refuse and not refused:
            continue
        reasons = [getattr(deck, name) for name in diagnoses if getattr(deck, name)]
        marks = [pytest.mark.xfail(strict=True, reason=reasons[0])] if reasons else []
        cases.append(pytest.param(deck, id=deck.stem, marks=marks))
    return cases


@pytest.fixture(scope="module")
def corpus(
    tmp_path_factory: pytest.TempPathFactory, marp: tuple[str, ...]
) -> tuple[Path, dict]:
    """The corpus written to a folder, and each deck's Marp HTML export."""
    folder = tmp_path_factory.mktemp("corpus")
    for deck in DECKS:
        (folder / f"{deck.stem}.md").write_bytes(deck.text())
    sources = [unparsed_source(folder / f"{deck.stem}.md") for deck in DECKS]
    themes = load_theme_set(folder / "themes")
    return folder, convert_to_html(marp, sources, themes, folder / "marp")


@pytest.mark.parametrize("deck", _cases("slides_today", refused=True))
def test_parser_counts_the_slides_marp_makes(corpus, deck: CorpusDeck):
    folder, exports = corpus
    marp_slides = html_slide_count(exports[deck.stem])
    if deck.refuse:
        assert marp_slides >= 1, "Marp was expected to convert this deck"
        with pytest.raises(ContentError) as refused:
            parse_deck(folder / f"{deck.stem}.md")
        assert refused.value.line, "the refusal must name the line to fix"
    else:
        assert len(parse_deck(folder / f"{deck.stem}.md").slides) == marp_slides


@pytest.mark.parametrize("deck", _cases("slides_today", "page_today"))
def test_lecture_page_has_a_section_per_marp_slide(corpus, deck: CorpusDeck):
    folder, exports = corpus
    marp_slides = html_slide_count(exports[deck.stem])
    parsed = parse_deck(folder / f"{deck.stem}.md")
    assert _page_anchors(parsed) == list(range(1, marp_slides + 1))


@pytest.mark.parametrize("deck", _cases("slides_today", "directives_today"))
def test_parser_reads_the_directives_marp_applies(corpus, deck: CorpusDeck):
    folder, exports = corpus
    parsed = parse_deck(folder / f"{deck.stem}.md")
    ours = [_as_marp_attributes(slide.directives) for slide in parsed.slides]
    assert ours == _marp_directives(exports[deck.stem])


def test_manifest_says_what_each_deck_covers():
    assert len(DECKS) >= 40
    assert all(deck.covers.strip() for deck in DECKS)


def _page_anchors(deck: Deck) -> list[int]:
    """The slide numbers of the `#slide-N` anchors on the deck's lecture page."""
    page, _ = get_data(render_lecture(deck, LectureLinks(image_url=lambda i: i.src)))
    configs = {name: config for name, config in _REQUIRED_EXTENSIONS.items() if config}
    body = markdown.markdown(
        page, extensions=list(_REQUIRED_EXTENSIONS), extension_configs=configs
    )
    return [int(number) for number in _PAGE_ANCHOR.findall(body)]


def _marp_directives(export: Path) -> list[dict[str, str]]:
    """The compared directives on each slide of a Marp HTML deck."""
    wanted = {_kebab(name): name for name in COMPARED_DIRECTIVES}
    slides = []
    for attributes in _SECTION.findall(export.read_text(encoding="utf-8")):
        found = dict(_DATA_ATTRIBUTE.findall(attributes))
        slides.append(
            {
                wanted[key]: html.unescape(value)
                for key, value in found.items()
                if key in wanted
            }
        )
    return slides


def _as_marp_attributes(directives: dict[str, object]) -> dict[str, str]:
    """Our directive values written as Marp writes its `data-` attributes."""
    written = {}
    for name in COMPARED_DIRECTIVES:
        value = directives.get(name)
        if isinstance(value, list):
            value = " ".join(str(item) for item in value)
        if value is True:
            value = "true"
        if value not in (None, False, ""):
            written[name] = str(value)
    return written


def _kebab(name: str) -> str:
    return re.sub(r"[A-Z]", lambda upper: "-" + upper.group(0).lower(), name)
