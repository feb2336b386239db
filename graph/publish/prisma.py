"""The PRISMA 2020 flow diagram of a review, drawn from its screening records.

The diagram has PRISMA 2020's two columns: records identified by the review's searches of
databases, registers and indexes, and records identified by other methods (known-item look-ups,
citation searching, organisation websites, records carried in from another review or added on
request). Each column runs from identification through screening to the reports assessed; both
meet in the studies and reports included.

:func:`prisma_layout` turns a review's flow (``Review.prisma_flow()``: plain data) into boxes and
arrows; :func:`prisma_svg` draws them as one self-contained SVG document (no font, script or
image is loaded from anywhere), and :func:`prisma_png` as a PNG with Pillow. Every number in a
box comes from the flow, and every text from the data is escaped.

Examples
--------
>>> column = {"identified": 12, "sources": [("a web index", 12)], "duplicates": 2,
...           "screened": 10, "excluded_screening": 6, "sought": 4, "not_retrieved": 1,
...           "assessed": 3, "excluded_assessment": [("no outcome data", 1)]}
>>> empty = dict.fromkeys(column, 0) | {"sources": [], "excluded_assessment": []}
>>> flow = {"label": "A review", "columns": {"databases": column, "other": empty},
...         "studies_included": 2, "reports_included": 2, "notes": []}
>>> svg = prisma_svg(flow)
>>> text = svg.replace(chr(160), " ")  # "(n = 10)" is written with no-break spaces
>>> svg.startswith("<svg") and "Records screened (n = 10)" in text
True
>>> "Studies included in review (n = 2)" in text
True
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

__all__ = ["Box", "Layout", "prisma_layout", "prisma_png", "prisma_svg"]

#: Column headings, as PRISMA 2020 words them.
COLUMN_TITLES = {
    "databases": "Identification of studies via databases, registers and indexes",
    "other": "Identification of studies via other methods",
}
#: Characters per line in a main box and in a side box (the boxes' widths in em, roughly).
_MAIN_CHARS = 29
_SIDE_CHARS = 22
_LINE = 17  # pixels per line of text
_PAD = 10


@dataclass
class Box:
    """One box of the diagram: its place, its lines of text, and whether it is a heading."""

    x: int
    y: int
    width: int
    lines: list[str]
    heading: bool = False

    @property
    def height(self) -> int:
        return len(self.lines) * _LINE + 2 * _PAD


@dataclass
class Layout:
    """Boxes, arrows (x1, y1, x2, y2) and the page size."""

    width: int
    height: int
    title: str
    boxes: list[Box] = field(default_factory=list)
    arrows: list[tuple[int, int, int, int]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _wrap(text: str, width: int) -> list[str]:
    # "(n = 12)" never breaks across lines: its spaces are no-break spaces.
    text = text.replace("(n = ", "(n\u00a0=\u00a0")
    return textwrap.wrap(text, width=width, break_long_words=True) or [""]


def _lines(items: list[str], width: int) -> list[str]:
    out: list[str] = []
    for item in items:
        out.extend(_wrap(item, width))
    return out


def _column_texts(column: dict) -> list[tuple[list[str], list[str]]]:
    """The (main box, side box) texts of one column, from identification to assessment."""
    sources = [f"{name} (n = {n})" for name, n in column["sources"]]
    reasons = [f"{name} (n = {n})" for name, n in column["excluded_assessment"]]
    # A review in progress: the records not yet decided, shown only when there are any, so that
    # the diagram of a finished review is PRISMA 2020's own.
    awaiting = column.get("awaiting_screening", 0)
    waiting_screening = [f"Records awaiting screening (n = {awaiting})"] if awaiting else []
    awaiting = column.get("awaiting_assessment", 0)
    waiting_assessment = [f"Reports awaiting assessment (n = {awaiting})"] if awaiting else []
    return [
        (
            [f"Records identified (n = {column['identified']})", *sources],
            [
                "Records removed before screening:",
                f"duplicate records (n = {column['duplicates']})",
            ],
        ),
        (
            [f"Records screened (n = {column['screened']})", *waiting_screening],
            [f"Records excluded (n = {column['excluded_screening']})"],
        ),
        (
            [f"Reports sought for retrieval (n = {column['sought']})"],
            [f"Reports not retrieved or not verified (n = {column['not_retrieved']})"],
        ),
        (
            [f"Reports assessed for eligibility (n = {column['assessed']})", *waiting_assessment],
            [f"Reports excluded (n = {sum(n for _, n in column['excluded_assessment'])})"]
            + reasons,
        ),
    ]


def prisma_layout(flow: dict) -> Layout:
    """Place the boxes of ``flow``'s diagram: two columns of four rows, then the inclusion."""
    col_x = {"databases": 20, "other": 510}
    main_w, side_w, gap = 260, 200, 16
    top = 70
    rows = {key: _column_texts(flow["columns"][key]) for key in col_x}
    layout = Layout(width=1000, height=0, title=flow.get("label", ""))
    # Each row is as tall as its tallest box in either column, so the columns line up.
    y = top
    row_tops: list[int] = []
    for index in range(4):
        row_tops.append(y)
        tallest = 0
        for key, x in col_x.items():
            main_text, side_text = rows[key][index]
            main = Box(x, y, main_w, _lines(main_text, _MAIN_CHARS))
            side = Box(x + main_w + gap, y, side_w, _lines(side_text, _SIDE_CHARS))
            layout.boxes += [main, side]
            layout.arrows.append((x + main_w, y + main.height // 2, side.x, y + main.height // 2))
            tallest = max(tallest, main.height, side.height)
        y += tallest + 30
    for key, x in col_x.items():
        layout.boxes.append(Box(x, 30, main_w + gap + side_w, [COLUMN_TITLES[key]], heading=True))
        mains = [b for b in layout.boxes if b.x == x and not b.heading]
        for upper, lower in zip(mains, mains[1:], strict=False):
            mid = x + main_w // 2
            layout.arrows.append((mid, upper.y + upper.height, mid, lower.y))
        last = mains[-1]
        layout.arrows.append((x + main_w // 2, last.y + last.height, x + main_w // 2, y))
    included = Box(
        140,
        y,
        720,
        [
            f"Studies included in review (n = {flow['studies_included']})",
            f"Reports of included studies (n = {flow['reports_included']})",
        ],
    )
    layout.boxes.append(included)
    y += included.height + 20
    for note in flow.get("notes", []):
        layout.notes.extend(_wrap(note, 120))
    layout.height = y + len(layout.notes) * _LINE + 20
    return layout


def prisma_svg(flow: dict) -> str:
    """The diagram as one self-contained SVG document (its text escaped)."""
    layout = prisma_layout(flow)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{layout.width}" '
        f'height="{layout.height}" viewBox="0 0 {layout.width} {layout.height}" role="img" '
        f'aria-label="PRISMA 2020 flow diagram: {escape(layout.title, {chr(34): "&quot;"})}" '
        'font-family="DejaVu Sans, Arial, Helvetica, sans-serif" font-size="13">',
        f"<title>PRISMA 2020 flow diagram: {escape(layout.title)}</title>",
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" '
        'fill="#1a1a1a"/></marker></defs>',
        f'<rect width="{layout.width}" height="{layout.height}" fill="#ffffff"/>',
    ]
    for box in layout.boxes:
        fill = "#dbe7f3" if box.heading else "#ffffff"
        out.append(
            f'<rect x="{box.x}" y="{box.y}" width="{box.width}" height="{box.height}" '
            f'fill="{fill}" stroke="#1a1a1a" stroke-width="1"/>'
        )
        for i, line in enumerate(box.lines):
            weight = ' font-weight="bold"' if box.heading or i == 0 else ""
            out.append(
                f'<text x="{box.x + _PAD}" y="{box.y + _PAD + (i + 1) * _LINE - 4}"'
                f'{weight} fill="#1a1a1a">{escape(line)}</text>'
            )
    for x1, y1, x2, y2 in layout.arrows:
        out.append(
            f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#1a1a1a" '
            'stroke-width="1.2" marker-end="url(#arrow)"/>'
        )
    base = layout.height - len(layout.notes) * _LINE - 10
    for i, note in enumerate(layout.notes):
        out.append(f'<text x="20" y="{base + i * _LINE}" fill="#333333">{escape(note)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def prisma_png(flow: dict, scale: int = 2) -> bytes:
    """The same diagram as a PNG, drawn with Pillow at ``scale`` times the SVG's size."""
    # Pillow is imported here: only this command needs it, and the CLI must start fast.
    from PIL import Image, ImageDraw, ImageFont

    layout = prisma_layout(flow)
    image = Image.new("RGB", (layout.width * scale, layout.height * scale), "white")
    draw = ImageDraw.Draw(image)
    regular = _font(ImageFont, 13 * scale, bold=False)
    bold = _font(ImageFont, 13 * scale, bold=True)
    for box in layout.boxes:
        fill = (219, 231, 243) if box.heading else (255, 255, 255)
        draw.rectangle(
            [
                box.x * scale,
                box.y * scale,
                (box.x + box.width) * scale,
                (box.y + box.height) * scale,
            ],
            fill=fill,
            outline=(26, 26, 26),
            width=scale,
        )
        for i, line in enumerate(box.lines):
            font = bold if box.heading or i == 0 else regular
            top = box.y + _PAD + i * _LINE
            draw.text(((box.x + _PAD) * scale, top * scale), line, fill=(26, 26, 26), font=font)
    for x1, y1, x2, y2 in layout.arrows:
        draw.line([x1 * scale, y1 * scale, x2 * scale, y2 * scale], fill=(26, 26, 26), width=scale)
        _arrow_head(draw, x1 * scale, y1 * scale, x2 * scale, y2 * scale, 6 * scale)
    base = layout.height - len(layout.notes) * _LINE - 10 - _LINE + 4
    for i, note in enumerate(layout.notes):
        draw.text((20 * scale, (base + i * _LINE) * scale), note, fill=(51, 51, 51), font=regular)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _font(image_font, size: int, bold: bool):  # noqa: ANN001, ANN202 - Pillow's module and font
    """DejaVu Sans where the system has it, else Pillow's own scalable default font."""
    names = ["DejaVuSans-Bold.ttf", "DejaVuSans.ttf"] if bold else ["DejaVuSans.ttf"]
    for name in names:
        try:
            return image_font.truetype(name, size)
        except OSError:
            continue
    return image_font.load_default(size=size)


def _arrow_head(draw, x1: int, y1: int, x2: int, y2: int, size: int) -> None:  # noqa: ANN001
    if x1 == x2:  # downwards
        points = [(x2, y2), (x2 - size // 2, y2 - size), (x2 + size // 2, y2 - size)]
    else:  # to the right
        points = [(x2, y2), (x2 - size, y2 - size // 2), (x2 - size, y2 + size // 2)]
    draw.polygon(points, fill=(26, 26, 26))
