"""Draw the lecture 1 figures as SVG files next to this script.

Every figure is plain SVG text built from small string templates, so a
label or a colour is changed here and the files are written again with
`python slides/images/draw_figures.py`. The generated files are committed
because the decks and the site reference them directly.

Each figure paints its own light, rounded background so it stays readable
on white slides, dark slides and the site's dark mode alike, and names only
system fonts so nothing is fetched when a slide is shown.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from html import escape
from pathlib import Path

FONT_STACK = (
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, "
    "'Noto Sans', 'DejaVu Sans', sans-serif"
)

INK = "#1e293b"
MUTED = "#475569"
PAPER = "#f8fafc"
EDGE = "#cbd5e1"
WHITE = "#ffffff"

# (fill, stroke) pairs: a pale fill keeps dark text readable on every box.
BLUE = ("#dbeafe", "#2563eb")
TEAL = ("#ccfbf1", "#0f766e")
AMBER = ("#fef3c7", "#b45309")
VIOLET = ("#ede9fe", "#6d28d9")
ROSE = ("#ffe4e6", "#be123c")
GREEN = ("#dcfce7", "#15803d")
SLATE = ("#e2e8f0", "#475569")
# Coloured text on a pale fill: the strokes above are under 4.5:1 on some
# fills (blue on blue is 4.2:1), this blue is 5.5:1 on its own fill.
BLUE_TEXT = "#1d4ed8"

ARROW_COLOURS = {"ink": INK, "muted": MUTED}


def svg(width: int, height: int, title: str, description: str, body: str) -> str:
    markers = "".join(
        f'<marker id="arrow-{name}" viewBox="0 0 10 10" refX="9" refY="5" '
        f'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>'
        for name, colour in ARROW_COLOURS.items()
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="title desc" font-family="{FONT_STACK}">\n'
        f'<title id="title">{escape(title)}</title>\n'
        f'<desc id="desc">{escape(description)}</desc>\n'
        f"<defs>{markers}</defs>\n"
        f'<rect x="1" y="1" width="{width - 2}" height="{height - 2}" rx="18" '
        f'fill="{PAPER}" stroke="{EDGE}" stroke-width="2"/>\n'
        f"{body}</svg>\n"
    )


def text(
    x: float,
    y: float,
    lines: str | Sequence[str],
    size: float = 16,
    weight: int = 400,
    fill: str = INK,
    anchor: str = "middle",
    line_height: float = 1.25,
    italic: bool = False,
) -> str:
    """Lines of text whose block is vertically centred on `y`."""
    if isinstance(lines, str):
        lines = [lines]
    step = size * line_height
    first = y - step * (len(lines) - 1) / 2 + size * 0.35
    style = ' font-style="italic"' if italic else ""
    spans = "".join(
        f'<tspan x="{x:g}" y="{first + i * step:g}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return (
        f'<text font-size="{size:g}" font-weight="{weight}" fill="{fill}" '
        f'text-anchor="{anchor}"{style}>{spans}</text>\n'
    )


def rect(
    x: float,
    y: float,
    w: float,
    h: float,
    colours: tuple[str, str],
    rx: float = 10,
    stroke_width: float = 2,
    dashed: bool = False,
) -> str:
    fill, stroke = colours
    dash = ' stroke-dasharray="6 5"' if dashed else ""
    return (
        f'<rect x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" rx="{rx:g}" '
        f'fill="{fill}" stroke="{stroke}" stroke-width="{stroke_width:g}"{dash}/>\n'
    )


def box(
    x: float,
    y: float,
    w: float,
    h: float,
    colours: tuple[str, str],
    title: str | Sequence[str],
    subtitle: str | Sequence[str] = (),
    size: float = 17,
    sub_size: float = 14,
) -> str:
    """A rounded box with a bold title and an optional smaller subtitle."""
    titles = [title] if isinstance(title, str) else list(title)
    subtitles = [subtitle] if isinstance(subtitle, str) else list(subtitle)
    title_height = len(titles) * size * 1.25
    sub_height = len(subtitles) * sub_size * 1.3
    gap = 6 if subtitles else 0
    top = y + (h - title_height - gap - sub_height) / 2
    out = rect(x, y, w, h, colours)
    out += text(x + w / 2, top + title_height / 2, titles, size, 700)
    if subtitles:
        out += text(
            x + w / 2,
            top + title_height + gap + sub_height / 2,
            subtitles,
            sub_size,
            fill=MUTED,
            line_height=1.3,
        )
    return out


def arrow(
    points: Sequence[tuple[float, float]],
    colour: str = "ink",
    width: float = 2.5,
    dashed: bool = False,
    both: bool = False,
) -> str:
    path = " ".join(
        f"{'M' if i == 0 else 'L'}{x:g},{y:g}" for i, (x, y) in enumerate(points)
    )
    dash = ' stroke-dasharray="7 6"' if dashed else ""
    start = f' marker-start="url(#arrow-{colour})"' if both else ""
    return (
        f'<path d="{path}" fill="none" stroke="{ARROW_COLOURS[colour]}" '
        f'stroke-width="{width:g}" stroke-linejoin="round"{dash}{start} '
        f'marker-end="url(#arrow-{colour})"/>\n'
    )


# --- small pictures --------------------------------------------------------


def cat_face(cx: float, cy: float, r: float, fur: str = "#f59e0b") -> str:
    ear = r * 0.75
    return (
        f'<g stroke="{INK}" stroke-width="1.5" stroke-linejoin="round">'
        f'<path d="M{cx - r * 0.9:g},{cy - r * 0.3:g} L{cx - r * 0.75:g},'
        f"{cy - r - ear * 0.6:g} L{cx - r * 0.15:g},{cy - r * 0.85:g} z"
        f'" fill="{fur}"/>'
        f'<path d="M{cx + r * 0.9:g},{cy - r * 0.3:g} L{cx + r * 0.75:g},'
        f"{cy - r - ear * 0.6:g} L{cx + r * 0.15:g},{cy - r * 0.85:g} z"
        f'" fill="{fur}"/>'
        f'<circle cx="{cx:g}" cy="{cy:g}" r="{r:g}" fill="{fur}"/>'
        f'<ellipse cx="{cx - r * 0.38:g}" cy="{cy - r * 0.15:g}" rx="{r * 0.13:g}" '
        f'ry="{r * 0.2:g}" fill="{INK}"/>'
        f'<ellipse cx="{cx + r * 0.38:g}" cy="{cy - r * 0.15:g}" rx="{r * 0.13:g}" '
        f'ry="{r * 0.2:g}" fill="{INK}"/>'
        f'<path d="M{cx - r * 0.12:g},{cy + r * 0.18:g} L{cx + r * 0.12:g},'
        f'{cy + r * 0.18:g} L{cx:g},{cy + r * 0.32:g} z" fill="#f472b6"/>'
        f'<path d="M{cx - r * 0.25:g},{cy + r * 0.35:g} L{cx - r * 1.1:g},'
        f"{cy + r * 0.2:g} M{cx - r * 0.25:g},{cy + r * 0.45:g} "
        f"L{cx - r * 1.05:g},{cy + r * 0.6:g} M{cx + r * 0.25:g},"
        f"{cy + r * 0.35:g} L{cx + r * 1.1:g},{cy + r * 0.2:g} "
        f"M{cx + r * 0.25:g},{cy + r * 0.45:g} L{cx + r * 1.05:g},"
        f'{cy + r * 0.6:g}" fill="none" stroke-width="1"/>'
        "</g>\n"
    )


def dog_face(cx: float, cy: float, r: float, fur: str = "#a16207") -> str:
    return (
        f'<g stroke="{INK}" stroke-width="1.5">'
        f'<ellipse cx="{cx - r * 0.95:g}" cy="{cy + r * 0.1:g}" rx="{r * 0.35:g}" '
        f'ry="{r * 0.75:g}" fill="#713f12" '
        f'transform="rotate(15 {cx - r * 0.95:g} {cy + r * 0.1:g})"/>'
        f'<ellipse cx="{cx + r * 0.95:g}" cy="{cy + r * 0.1:g}" rx="{r * 0.35:g}" '
        f'ry="{r * 0.75:g}" fill="#713f12" '
        f'transform="rotate(-15 {cx + r * 0.95:g} {cy + r * 0.1:g})"/>'
        f'<circle cx="{cx:g}" cy="{cy:g}" r="{r:g}" fill="{fur}"/>'
        f'<ellipse cx="{cx:g}" cy="{cy + r * 0.45:g}" rx="{r * 0.5:g}" '
        f'ry="{r * 0.38:g}" fill="#fde68a"/>'
        f'<circle cx="{cx - r * 0.35:g}" cy="{cy - r * 0.2:g}" r="{r * 0.12:g}" '
        f'fill="{INK}"/>'
        f'<circle cx="{cx + r * 0.35:g}" cy="{cy - r * 0.2:g}" r="{r * 0.12:g}" '
        f'fill="{INK}"/>'
        f'<ellipse cx="{cx:g}" cy="{cy + r * 0.3:g}" rx="{r * 0.2:g}" '
        f'ry="{r * 0.13:g}" fill="{INK}"/>'
        "</g>\n"
    )


# --- learning process (two figures, one layout) ----------------------------

Panel = Callable[[float, float, float, float], str]


def learning_process(
    examples_title: str,
    examples: Panel,
    new_input_title: str,
    new_input: Panel,
    evaluation: Sequence[str],
    prediction: str,
    prediction_note: Sequence[str],
) -> str:
    """Training lane on top, prediction lane below, one model shared by both."""
    out = text(24, 26, "TRAINING", 14, 700, MUTED, "start")
    out += text(24, 292, "PREDICTION", 14, 700, MUTED, "start")
    out += rect(20, 42, 275, 215, (WHITE, BLUE[1]))
    out += text(157, 64, examples_title, 16, 700)
    out += examples(30, 82, 255, 165)
    out += arrow([(295, 150), (333, 150)])
    out += box(
        335,
        100,
        190,
        100,
        AMBER,
        ["Learning", "algorithm"],
        ["finds patterns that", "link inputs to labels"],
    )
    out += arrow([(525, 150), (573, 150)])
    out += box(575, 110, 120, 280, VIOLET, "Model", ["learned", "patterns"], 20)
    out += arrow([(695, 150), (743, 150)], "muted", dashed=True)
    out += box(745, 100, 135, 100, SLATE, evaluation[0], evaluation[1:], 15, 14)
    out += rect(20, 305, 275, 110, (WHITE, BLUE[1]))
    out += text(157, 325, new_input_title, 16, 700)
    out += new_input(30, 340, 255, 68)
    out += arrow([(295, 360), (573, 360)])
    out += text(434, 344, "the model is applied", 14, fill=MUTED, italic=True)
    out += arrow([(695, 360), (743, 360)])
    out += rect(745, 300, 135, 115, GREEN)
    out += text(812, 322, "Prediction", 15, 700)
    out += text(812, 353, prediction, 26, 700, GREEN[1])
    out += text(812, 391, prediction_note, 13, fill=MUTED)
    return out


def picture_card(x: float, y: float, animal: str, label: str, fur: str) -> str:
    label_colour = {"cat": GREEN[1], "?": MUTED}.get(label, ROSE[1])
    out = rect(x, y, 120, 76, (PAPER, EDGE), rx=8, stroke_width=1.5)
    face = cat_face if animal == "cat" else dog_face
    out += face(x + 30, y + 42, 17, fur)
    out += text(x + 86, y + 38, label, 14, 700, label_colour)
    return out


def cat_examples(x: float, y: float, w: float, h: float) -> str:
    return (
        picture_card(x, y, "cat", "cat", "#f59e0b")
        + picture_card(x + 132, y, "dog", "not cat", "#a16207")
        + picture_card(x, y + 88, "dog", "not cat", "#d6d3d1")
        + picture_card(x + 132, y + 88, "cat", "cat", "#9ca3af")
    )


def cat_new_input(x: float, y: float, w: float, h: float) -> str:
    return picture_card(x, y - 6, "cat", "?", "#fdba74") + text(
        x + 190, y + 32, ["label", "unknown"], 14, fill=MUTED, italic=True
    )


LOAN_COLUMNS = (("rate", 58), ("LTV", 52), ("term", 52), ("prepaid?", 93))


def loan_table(x: float, y: float, rows: Sequence[Sequence[str]]) -> str:
    """A small table of loans; the last column is the label to learn."""
    row_height = 30
    label_x = x + sum(width for _, width in LOAN_COLUMNS[:-1])
    label_width = LOAN_COLUMNS[-1][1]
    out = rect(
        label_x,
        y,
        label_width,
        row_height * (len(rows) + 1),
        GREEN,
        rx=4,
        stroke_width=0,
    )
    for r, row in enumerate([[name for name, _ in LOAN_COLUMNS], *rows]):
        cy = y + row_height * (r + 0.5)
        left = x
        for (_, width), cell in zip(LOAN_COLUMNS, row, strict=True):
            colour = INK
            if cell == "yes":
                colour = GREEN[1]
            elif cell in ("no", "?"):
                colour = ROSE[1] if cell == "no" else MUTED
            out += text(left + width / 2, cy, cell, 15, 700 if r == 0 else 400, colour)
            left += width
        if r == 0:
            out += (
                f'<line x1="{x}" y1="{y + row_height}" x2="{x + 255}" '
                f'y2="{y + row_height}" stroke="{MUTED}" stroke-width="1.5"/>\n'
            )
    return out


def loan_examples(x: float, y: float, w: float, h: float) -> str:
    return loan_table(
        x,
        y - 4,
        [
            ("3.1%", "80%", "30y", "no"),
            ("6.8%", "75%", "15y", "yes"),
            ("4.2%", "90%", "30y", "no"),
            ("7.4%", "60%", "30y", "yes"),
        ],
    )


def loan_new_input(x: float, y: float, w: float, h: float) -> str:
    return loan_table(x, y, [("5.9%", "80%", "30y", "?")])


def learning_process_cat() -> str:
    body = learning_process(
        "Labelled pictures (E)",
        cat_examples,
        "A new picture (task T)",
        cat_new_input,
        ["Measure P", "accuracy on", "held-out images"],
        "cat",
        ["probability 0.94"],
    )
    return svg(
        900,
        430,
        "The learning process for classifying cat pictures",
        "Pictures labelled cat or not cat train a learning algorithm; the "
        "resulting model labels a new, unlabelled picture as cat with "
        "probability 0.94. Accuracy on held-out images measures performance.",
        body,
    )


def learning_process_prepayment() -> str:
    body = learning_process(
        "Past mortgages (E)",
        loan_examples,
        "A new mortgage (task T)",
        loan_new_input,
        ["Measure P", "AUC on", "held-out loans"],
        "0.27",
        ["chance it prepays", "within a year"],
    )
    return svg(
        900,
        430,
        "The learning process for predicting mortgage prepayment",
        "A table of past mortgages (rate, loan-to-value, term) with whether "
        "each was prepaid trains a learning algorithm; the model scores a new "
        "mortgage with a 0.27 chance of prepaying. AUC on held-out loans "
        "measures performance.",
        body,
    )


# --- object detection ------------------------------------------------------


def detection(x: float, y: float, w: float, h: float, label: str, colour: str) -> str:
    """A bounding box with its class and confidence on a tag above it."""
    tag_width = len(label) * 8.6 + 14
    tag_x = x + w - tag_width if x + tag_width > 488 else x
    return (
        f'<rect x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" fill="none" '
        f'stroke="{colour}" stroke-width="3.5" rx="3"/>\n'
        f'<rect x="{tag_x:g}" y="{y - 26:g}" width="{tag_width:g}" height="26" '
        f'rx="4" fill="{colour}"/>\n'
        + text(tag_x + 7, y - 13, label, 15, 700, WHITE, "start")
    )


def object_detection() -> str:
    scene = (
        # sky, pavement, road with a dashed lane marking
        '<rect x="20" y="20" width="460" height="300" rx="10" fill="#e0f2fe"/>\n'
        '<rect x="20" y="300" width="460" height="60" fill="#e7e5e4"/>\n'
        '<rect x="20" y="360" width="460" height="90" fill="#78716c"/>\n'
        '<path d="M30,410 H470" stroke="#fafaf9" stroke-width="4" '
        'stroke-dasharray="26 18"/>\n'
        # a tree nobody asked the detector about
        '<rect x="54" y="180" width="14" height="120" fill="#92400e"/>\n'
        '<circle cx="61" cy="160" r="32" fill="#86efac" stroke="#15803d" '
        'stroke-width="2"/>\n'
        # traffic light
        '<rect x="446" y="160" width="8" height="150" fill="#334155"/>\n'
        '<rect x="434" y="92" width="32" height="76" rx="6" fill="#1e293b"/>\n'
        '<circle cx="450" cy="108" r="8" fill="#ef4444"/>\n'
        '<circle cx="450" cy="130" r="8" fill="#57534e"/>\n'
        '<circle cx="450" cy="152" r="8" fill="#57534e"/>\n'
        # person
        f'<g stroke="{INK}" stroke-width="2">'
        '<circle cx="120" cy="214" r="16" fill="#fcd34d"/>'
        '<rect x="104" y="232" width="32" height="62" rx="10" fill="#6366f1"/>'
        '<path d="M112,292 L108,346 M128,292 L134,346" stroke-width="7" '
        'stroke-linecap="round"/>'
        '<path d="M104,242 L88,286 M136,242 L156,282" stroke-width="6" '
        'stroke-linecap="round"/></g>\n'
        # dog on a lead
        f'<path d="M156,282 Q180,300 196,314" fill="none" stroke="{INK}" '
        'stroke-width="1.5"/>\n'
        f'<g stroke="{INK}" stroke-width="2">'
        '<path d="M190,322 L188,348 M204,322 L204,348 M230,322 L230,348 '
        'M244,320 L246,348" stroke-width="5" stroke-linecap="round"/>'
        '<ellipse cx="218" cy="318" rx="32" ry="14" fill="#a16207"/>'
        '<circle cx="190" cy="302" r="13" fill="#a16207"/>'
        '<ellipse cx="181" cy="300" rx="5" ry="10" fill="#713f12"/>'
        '<path d="M249,312 Q262,298 260,290" fill="none" stroke-width="4" '
        'stroke-linecap="round"/></g>\n'
        # car
        f'<g stroke="{INK}" stroke-width="2">'
        '<path d="M262,392 L262,360 Q266,344 284,342 L306,318 Q312,312 322,312 '
        'L384,312 Q394,312 400,320 L418,342 Q440,344 444,360 L444,392 Z" '
        'fill="#3b82f6"/>'
        '<path d="M312,340 L324,322 L350,322 L350,340 Z M360,340 L360,322 '
        'L384,322 L398,340 Z" fill="#e0f2fe"/>'
        '<circle cx="298" cy="394" r="17" fill="#1e293b"/>'
        '<circle cx="410" cy="394" r="17" fill="#1e293b"/>'
        '<circle cx="298" cy="394" r="6" fill="#cbd5e1"/>'
        '<circle cx="410" cy="394" r="6" fill="#cbd5e1"/></g>\n'
    )
    boxes = (
        detection(80, 192, 86, 162, "person 0.93", "#6d28d9")
        + detection(172, 282, 94, 72, "dog 0.88", "#b45309")
        + detection(254, 302, 198, 116, "car 0.97", "#1d4ed8")
        + detection(428, 86, 44, 88, "traffic light 0.81", "#047857")
    )
    caption = text(
        250,
        492,
        ["Each detection is a class, a box", "and a confidence score"],
        18,
        600,
    )
    return svg(
        500,
        540,
        "Object detection",
        "A street scene in which a detector has drawn labelled boxes: person "
        "0.93, dog 0.88, car 0.97 and traffic light 0.81. The tree has no box.",
        scene + boxes + caption,
    )


# --- ML infrastructure -----------------------------------------------------


def ml_infrastructure() -> str:
    parts = (
        (20, 95, 460, 55, SLATE, "Configuration"),
        (20, 160, 145, 170, BLUE, ["Data", "collection"]),
        (175, 160, 150, 80, TEAL, ["Feature", "extraction"]),
        (335, 160, 145, 170, BLUE, ["Data", "verification"]),
        (20, 340, 225, 80, AMBER, ["Machine resource", "management"]),
        (255, 340, 225, 80, TEAL, ["Analysis tools"]),
        (20, 430, 145, 95, SLATE, ["Process", "management", "tools"]),
        (175, 430, 150, 95, VIOLET, ["Serving", "infrastructure"]),
        (335, 430, 145, 95, AMBER, ["Monitoring"]),
    )
    body = text(
        250, 50, ["The ML code is a small part", "of a production ML system"], 21, 700
    )
    for x, y, w, h, colours, label in parts:
        body += box(x, y, w, h, colours, label, size=16)
    body += rect(212, 260, 76, 56, ("#e11d48", "#9f1239"))
    body += text(250, 288, ["ML", "code"], 16, 700, WHITE)
    body += text(
        250,
        560,
        "Box sizes suggest effort; after Sculley et al. (2015)",
        14,
        fill=MUTED,
        italic=True,
    )
    return svg(
        500,
        590,
        "ML code among its infrastructure",
        "A small red box labelled ML code sits among much larger boxes: "
        "configuration, data collection, feature extraction, data verification, "
        "machine resource management, analysis tools, process management tools, "
        "serving infrastructure and monitoring.",
        body,
    )


# --- latency and throughput ------------------------------------------------

# (start, duration) in milliseconds of requests served within one second.
REQUESTS = (
    (20, 130),
    (140, 110),
    (300, 180),
    (360, 120),
    (520, 150),
    (610, 110),
    (700, 170),
    (820, 140),
)
HIGHLIGHT = 2
# How many requests fall in each 40 ms latency bin: most are fast, a few slow.
LATENCY_BINS = (2, 14, 40, 62, 70, 58, 42, 30, 21, 15, 10, 7, 5, 3, 2, 1)
BIN_MS = 40


def percentile(bins: Sequence[int], share: float) -> float:
    """The latency below which `share` of requests fall, read off the bins."""
    target = share * sum(bins)
    seen = 0
    for index, count in enumerate(bins):
        if seen + count >= target:
            return (index + (target - seen) / count) * BIN_MS
        seen += count
    return len(bins) * BIN_MS


def latency_throughput() -> str:
    left, right = 60, 380
    per_ms = (right - left) / 1000
    body = text(200, 34, "Latency vs throughput", 21, 700)
    for row, (start, duration) in enumerate(REQUESTS):
        cy = 70 + row * 27
        colours = ROSE if row == HIGHLIGHT else BLUE
        body += text(left - 10, cy, f"r{row + 1}", 13, fill=MUTED, anchor="end")
        body += rect(
            left + start * per_ms, cy - 9, duration * per_ms, 18, colours, 4, 1.5
        )
    cy = 70 + HIGHLIGHT * 27
    start, duration = REQUESTS[HIGHLIGHT]
    body += text(
        left + (start + duration) * per_ms + 8,
        cy,
        f"latency {duration} ms",
        14,
        700,
        ROSE[1],
        "start",
    )
    axis_y = 70 + len(REQUESTS) * 27 - 8
    body += (
        f'<line x1="{left}" y1="{axis_y}" x2="{right}" y2="{axis_y}" '
        f'stroke="{MUTED}" stroke-width="1.5"/>\n'
    )
    for ms in range(0, 1001, 250):
        x = left + ms * per_ms
        body += (
            f'<line x1="{x:g}" y1="{axis_y}" x2="{x:g}" y2="{axis_y + 5}" '
            f'stroke="{MUTED}" stroke-width="1.5"/>\n'
        )
        body += text(x, axis_y + 16, f"{ms}", 12, fill=MUTED)
    body += text(right, axis_y + 32, "time (ms)", 12, fill=MUTED, anchor="end")
    body += rect(40, axis_y + 46, 320, 36, BLUE, 8, 1.5)
    body += text(
        200,
        axis_y + 64,
        f"throughput: {len(REQUESTS)} requests per second",
        15,
        700,
        BLUE_TEXT,
    )

    top = axis_y + 112
    body += text(200, top, "Latency is reported as percentiles", 16, 700)
    base = top + 150
    bar_width = (right - left) / len(LATENCY_BINS)
    tallest = max(LATENCY_BINS)
    for index, count in enumerate(LATENCY_BINS):
        height = count / tallest * 110
        body += (
            f'<rect x="{left + index * bar_width + 1:g}" y="{base - height:g}" '
            f'width="{bar_width - 2:g}" height="{height:g}" fill="{BLUE[1]}" '
            'opacity="0.75"/>\n'
        )
    ms_to_x = bar_width / BIN_MS
    for name, share, colour in (("p50", 0.5, INK), ("p99", 0.99, ROSE[1])):
        value = percentile(LATENCY_BINS, share)
        x = left + value * ms_to_x
        body += (
            f'<line x1="{x:g}" y1="{base:g}" x2="{x:g}" y2="{base - 128:g}" '
            f'stroke="{colour}" stroke-width="2.5" stroke-dasharray="5 4"/>\n'
        )
        label = f"{name} ≈ {value:.0f} ms"
        if share < 0.9:
            body += text(x + 5, base - 118, label, 14, 700, colour, "start")
        else:
            body += text(x - 5, base - 96, label, 14, 700, colour, "end")
    body += (
        f'<line x1="{left}" y1="{base}" x2="{right}" y2="{base}" '
        f'stroke="{MUTED}" stroke-width="1.5"/>\n'
    )
    for ms in (0, 200, 400, 600):
        body += text(left + ms * ms_to_x, base + 14, f"{ms}", 12, fill=MUTED)
    body += text(
        right, base + 30, "latency of a request (ms)", 12, fill=MUTED, anchor="end"
    )
    return svg(
        400,
        int(base + 48),
        "Latency versus throughput",
        "A timeline of eight requests served in one second: the latency of "
        "one request is the length of its bar, the throughput is the number of "
        "requests completed per second. Below, a histogram of request "
        "latencies with the median and the 99th percentile marked.",
        body,
    )


# --- lead time to production -----------------------------------------------

# Illustrative shares of effort (data, models), not measurements.
EFFORT = (
    (
        "Research",
        0.2,
        "The data set is fixed: most effort goes into models.",
    ),
    (
        "Production",
        0.75,
        "Data keeps changing: most effort goes into data.",
    ),
)


def time_to_production() -> str:
    left, right = 180, 760
    body = text(400, 36, "Where the time goes", 22, 700)
    for row, (name, data_share, lesson) in enumerate(EFFORT):
        y = 70 + row * 120
        split = left + (right - left) * data_share
        body += text(left - 16, y + 30, name, 20, 700, anchor="end")
        body += rect(left, y, split - left, 60, TEAL, 6)
        body += rect(split, y, right - split, 60, VIOLET, 6)
        body += text((left + split) / 2, y + 30, "Data", 17, 700, TEAL[1])
        model_label = "Models" if right - split < 200 else "Model development"
        body += text((split + right) / 2, y + 30, model_label, 17, 700, VIOLET[1])
        body += text(left, y + 82, lesson, 16, fill=MUTED, anchor="start", italic=True)
    body += rect(180, 318, 22, 16, TEAL, 3, 1.5)
    body += text(210, 326, "data: collect, label, clean, validate", 14, anchor="start")
    body += rect(500, 318, 22, 16, VIOLET, 3, 1.5)
    body += text(530, 326, "models and algorithms", 14, anchor="start")
    body += text(
        400, 358, "Illustrative shares, not measurements", 13, fill=MUTED, italic=True
    )
    return svg(
        800,
        380,
        "Lead time to production: where the time goes",
        "Two bars split by effort. In research most of the time goes into model "
        "development and little into data, because the data set is fixed. In "
        "production most of the time goes into data, because it keeps changing.",
        body,
    )


# --- data-intensive applications -------------------------------------------


def database(x: float, y: float, w: float, h: float, title: str, note: str) -> str:
    fill, stroke = BLUE
    cap = 12
    return (
        f'<path d="M{x:g},{y + cap:g} V{y + h - cap:g} '
        f'A{w / 2:g},{cap:g} 0 0 0 {x + w:g},{y + h - cap:g} V{y + cap:g}" '
        f'fill="{fill}" stroke="{stroke}" stroke-width="2"/>\n'
        f'<ellipse cx="{x + w / 2:g}" cy="{y + cap:g}" rx="{w / 2:g}" ry="{cap:g}" '
        f'fill="{fill}" stroke="{stroke}" stroke-width="2"/>\n'
        + text(x + w / 2, y + h / 2 + 2, title, 16, 700)
        + text(x + w / 2, y + h / 2 + 22, note, 13, fill=MUTED)
    )


def data_intensive_products() -> str:
    body = box(160, 20, 200, 46, SLATE, "Users & client apps", size=16)
    body += arrow([(220, 68), (220, 120)], both=True)
    body += box(30, 122, 250, 60, BLUE, "Application code", "handles each request", 18)
    body += box(340, 122, 148, 60, ROSE, "ML model", "serves predictions", 17)
    body += arrow([(282, 152), (338, 152)], both=True)
    body += box(20, 240, 140, 62, AMBER, "Cache", "fast reads", 16)
    body += database(180, 232, 140, 82, "Database", "source of truth")
    body += box(340, 240, 148, 62, TEAL, "Search index", "find by keyword", 16)
    body += arrow([(90, 184), (90, 238)], both=True)
    body += arrow([(235, 184), (235, 230)], both=True)
    body += arrow([(270, 184), (370, 238)], both=True)
    body += arrow([(250, 316), (250, 358)])
    body += text(258, 337, "changes", 13, fill=MUTED, anchor="start", italic=True)
    body += box(60, 360, 380, 52, AMBER, "Message queue / change stream", size=16)
    body += arrow([(130, 412), (130, 458)])
    body += arrow([(380, 412), (380, 458)])
    body += box(
        20, 460, 220, 60, TEAL, "Stream processing", "seconds after an event", 16
    )
    body += box(
        268, 460, 220, 60, VIOLET, "Batch processing", "hourly or nightly jobs", 16
    )
    body += arrow([(130, 520), (130, 568)])
    body += arrow([(380, 520), (380, 568)])
    body += box(
        60,
        570,
        380,
        56,
        BLUE,
        "Data warehouse & features",
        "history for analysis and training",
        16,
    )
    body += arrow(
        [(440, 598), (505, 598), (505, 152), (490, 152)], "muted", dashed=True
    )
    body += text(472, 586, "training", 13, fill=MUTED, italic=True)
    return svg(
        520,
        646,
        "A data-intensive application",
        "Users call application code, which reads and writes a cache, a database "
        "and a search index and asks an ML model for predictions. Changes flow "
        "through a message queue into stream and batch processing, which fill a "
        "data warehouse; the warehouse supplies the data the ML model is trained on.",
        body,
    )


# --- developing ML systems -------------------------------------------------


STEP_WIDTH, STEP_HEIGHT = 290, 96
STEP_COLUMNS = (30, 355, 680)
STEP_ROWS = (56, 250)
# (column, row, title lines, note, colours), in the order of the cycle.
STEPS = (
    (0, 0, ["Project scoping"], "goals, constraints, stakeholders", SLATE),
    (1, 0, ["Data engineering"], "sources, pipelines, labels", TEAL),
    (2, 0, ["ML model development"], "features, training, evaluation", VIOLET),
    (2, 1, ["Deployment"], "put the model in front of users", BLUE),
    (1, 1, ["Monitoring &", "continual learning"], "watch it, retrain, update", AMBER),
    (0, 1, ["Business analysis"], "did it move the goals?", ROSE),
)


def developing_ml_systems() -> str:
    body = ""
    for number, (column, row, title, note, colours) in enumerate(STEPS, start=1):
        x, y = STEP_COLUMNS[column], STEP_ROWS[row]
        body += box(x, y, STEP_WIDTH, STEP_HEIGHT, colours, title, note, 18, 14)
        body += f'<circle cx="{x + 6:g}" cy="{y + 6:g}" r="17" fill="{colours[1]}"/>\n'
        body += text(x + 6, y + 6, str(number), 16, 700, WHITE)
    top, bottom = STEP_ROWS
    height = STEP_HEIGHT
    top_mid, bottom_mid = top + height / 2, bottom + height / 2
    gap_mid = (top + height + bottom) / 2
    body += arrow([(320, top_mid), (353, top_mid)])
    body += arrow([(645, top_mid), (678, top_mid)])
    body += arrow([(825, top + height + 2), (825, bottom - 2)])
    body += arrow([(680, bottom_mid), (647, bottom_mid)])
    body += arrow([(355, bottom_mid), (322, bottom_mid)])
    body += arrow([(175, bottom), (175, top + height + 2)])
    body += text(185, gap_mid, "next iteration", 14, fill=MUTED, anchor="start")
    body += arrow([(500, bottom), (500, top + height + 2)], "muted", dashed=True)
    body += text(510, gap_mid, "drift: new data", 14, fill=MUTED, anchor="start")
    body += arrow(
        [(760, top), (760, top - 26), (440, top - 26), (440, top - 2)],
        "muted",
        dashed=True,
    )
    body += text(600, top - 38, "need more or better data", 14, fill=MUTED)
    return svg(
        1000,
        bottom + height + 20,
        "Developing ML systems is an iterative process",
        "Six steps in a loop: project scoping, data engineering, ML model "
        "development, deployment, monitoring and continual learning, business "
        "analysis, and back to scoping. Dashed arrows go back from model "
        "development and from monitoring to data engineering.",
        body,
    )


# --- Flock reference architecture ------------------------------------------


def flock_column(
    x: float,
    title: Sequence[str],
    colours: tuple[str, str],
    items: Sequence[Sequence[str]],
) -> str:
    width = 225
    out = rect(x, 64, width, 250, (WHITE, colours[1]))
    out += (
        f'<path d="M{x:g},124 V74 Q{x:g},64 {x + 10:g},64 H{x + width - 10:g} '
        f'Q{x + width:g},64 {x + width:g},74 V124 Z" fill="{colours[0]}" '
        f'stroke="{colours[1]}" stroke-width="2"/>\n'
    )
    out += text(x + width / 2, 94, title, 17, 700)
    for index, item in enumerate(items):
        y = 134 + index * 59
        out += rect(x + 12, y, width - 24, 50, (PAPER, EDGE), 8, 1.5)
        out += text(x + width / 2, y + 25, item, 14)
    return out


def flock_reference_architecture() -> str:
    columns = (
        (
            ["Data management", "& ingestion"],
            TEAL,
            (
                ["Enterprise data", "sources"],
                ["Ingest, clean,", "validate"],
                ["Catalog & discovery"],
            ),
        ),
        (
            ["Training"],
            AMBER,
            (
                ["Notebooks & scripts", "(Python, Spark)"],
                ["ML pipelines:", "features + model"],
                ["Experiments", "& tracking"],
            ),
        ),
        (
            ["Model management", "& deployment"],
            VIOLET,
            (
                ["Registry: versions,", "metadata"],
                ["Convert to a common", "format (e.g. ONNX)"],
                ["Deploy into", "the database"],
            ),
        ),
        (
            ["Inference", "in the DBMS"],
            BLUE,
            (
                ["Apps send SQL with", "a PREDICT call"],
                ["Optimizer plans", "query + model together"],
                ["Score next to the data,", "no copies out"],
            ),
        ),
    )
    lefts = (20, 265, 510, 755)
    body = text(375, 30, "Offline: build and manage models", 15, 700, MUTED)
    body += text(755 + 112, 30, "Online: use them", 15, 700, MUTED)
    body += (
        f'<path d="M745,18 V44" stroke="{EDGE}" stroke-width="2" '
        'stroke-dasharray="4 4"/>\n'
    )
    for left, (title, colours, items) in zip(lefts, columns, strict=True):
        body += flock_column(left, title, colours, items)
    for left in lefts[:-1]:
        body += arrow([(left + 226, 94), (left + 243, 94)])
    for left in lefts:
        body += (
            f'<path d="M{left + 112:g},314 V336" stroke="{VIOLET[1]}" '
            'stroke-width="2" stroke-dasharray="4 4"/>\n'
        )
    body += rect(20, 338, 960, 62, VIOLET)
    body += text(
        500,
        359,
        "Provenance & governance across every step",
        17,
        700,
    )
    body += text(
        500,
        382,
        "which data, code and model produced each prediction; policies, access, audit",
        14,
        fill=MUTED,
    )
    return svg(
        1000,
        416,
        "The Flock reference architecture",
        "Four columns from left to right: data management and ingestion, "
        "training, model management and deployment, and inference inside the "
        "database system. A band underneath tracks provenance and governance "
        "for every step. After Agrawal et al. (2019).",
        body,
    )


FIGURES: dict[str, Callable[[], str]] = {
    "01_learning_process_cat.svg": learning_process_cat,
    "01_learning_process_prepayment.svg": learning_process_prepayment,
    "01_object_detection.svg": object_detection,
    "01_ml_infrastructure.svg": ml_infrastructure,
    "01_latency_throughput.svg": latency_throughput,
    "01_time_to_production.svg": time_to_production,
    "01_data_intensive_products.svg": data_intensive_products,
    "01_developing_ml_systems.svg": developing_ml_systems,
    "01_flock_reference_architecture.svg": flock_reference_architecture,
}


def main(argv: Sequence[str] | None = None) -> int:
    target = Path(argv[0]) if argv else Path(__file__).parent
    for name, draw in FIGURES.items():
        (target / name).write_text(draw(), encoding="utf-8", newline="\n")
        print(f"wrote {target / name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
