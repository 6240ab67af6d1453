"""The PDF rendering of an export document: A4, marked, the CRN and page number on every page.

It uses fpdf2's core Helvetica so that nothing is downloaded or embedded; core fonts
cover Windows-1252, so text outside it is brought to the nearest letter (or '?').
"""

from __future__ import annotations

import unicodedata

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from court_tui.domain.summary import NOT_PROVIDED
from court_tui.export.document import Block, Document, Paragraph, Part, Row, Section

ENCODING = "windows-1252"
FONT = "Helvetica"

MARGIN = 18.0
TOP = 25.0
BOTTOM = 24.0
LINE = 5.0
LABEL_WIDTH = 60.0
GAP = 5.0
ROW_SPACE = 1.5
NOT_KNOWN_WORDS = "Not known"

INK = (20, 20, 20)
LABEL_INK = (60, 60, 60)
QUIET_INK = (90, 90, 90)
RULE = (190, 190, 190)
HAIRLINE = (225, 225, 225)
PANEL = (240, 240, 240)

# Letters with no decomposition to a Windows-1252 letter.
_NEAREST = str.maketrans(
    {
        "\u0141": "L",
        "\u0142": "l",
        "\u0110": "D",
        "\u0111": "d",
        "\u0131": "i",
        "\u0127": "h",
        "\u0126": "H",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2212": "-",
        "\u2044": "/",
        "\u2192": "->",
        "\u2190": "<-",
        "\u2264": "<=",
        "\u2265": ">=",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\t": "    ",
        "\r": "",
    }
)


def _fits(char: str) -> bool:
    try:
        char.encode(ENCODING)
    except UnicodeEncodeError:
        return False
    return True


def pdf_safe(text: str) -> str:
    """TEXT in characters the core fonts can show: accents kept where Windows-1252 has them."""
    out = []
    for char in text.translate(_NEAREST):
        if _fits(char) and (char >= " " or char == "\n"):
            out.append(char)
            continue
        if char < " ":
            continue
        plain = "".join(
            c
            for c in unicodedata.normalize("NFKD", char)
            if not unicodedata.combining(c) and _fits(c)
        )
        out.append(plain or "?")
    return "".join(out)


class _Pdf(FPDF):
    def __init__(self, document: Document) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.core_fonts_encoding = ENCODING
        self.document = document
        self.part_title = ""
        self.set_margins(MARGIN, TOP, MARGIN)
        self.set_auto_page_break(True, margin=BOTTOM)
        self.set_title(pdf_safe(f"{document.title}, CRN {document.crn}"))
        self.set_subject(pdf_safe(document.subject or document.title))
        self.set_creator("court-tui")
        self.set_lang("en-GB")

    def _font(self, size: float, bold: bool = False, ink: tuple[int, int, int] = INK) -> None:
        self.set_font(FONT, "B" if bold else "", size)
        self.set_text_color(*ink)

    def _rule(self, y: float, colour: tuple[int, int, int], width: float = 0.2) -> None:
        self.set_draw_color(*colour)
        self.set_line_width(width)
        self.line(MARGIN, y, self.w - MARGIN, y)

    def header(self) -> None:
        document = self.document
        self.set_y(8)
        self._font(10, bold=True)
        self.cell(0, 5, document.marking, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self._font(9, bold=True)
        who = pdf_safe(f"{document.name}   CRN {document.crn}")
        self.cell(self.epw / 2, 5, who, align="L")
        self._font(9, ink=QUIET_INK)
        self.cell(self.epw / 2, 5, pdf_safe(self.part_title), align="R")
        self._rule(19.5, RULE)
        self.set_xy(MARGIN, TOP)

    def footer(self) -> None:
        document = self.document
        self._rule(self.h - 19.5, RULE)
        self.set_y(-18)
        self._font(9)
        self.cell(self.epw / 2, 5, pdf_safe(f"CRN {document.crn}"), align="L")
        self.cell(self.epw / 2, 5, f"Page {self.page_no()} of {{nb}}", align="R")
        self.set_y(-12)
        self._font(10, bold=True)
        self.cell(0, 5, document.marking, align="C")

    def room(self) -> float:
        """Height left on this page above the bottom margin."""
        return float(self.page_break_trigger - self.get_y())

    def need(self, height: float) -> None:
        """Start a new page unless HEIGHT fits on this one."""
        if self.room() < height:
            self.add_page()

    def title_block(self, title: str, caption: tuple[Row, ...]) -> None:
        self._font(18, bold=True)
        self.multi_cell(0, 8, pdf_safe(title), align="L", new_x=XPos.LMARGIN)
        self.ln(2)
        top = self.get_y()
        # The caption sits on a light panel so the case is found at a glance.
        height = sum(self._row_height(row, LABEL_WIDTH, 10) for row in caption) + 3
        self.set_fill_color(*PANEL)
        self.rect(MARGIN - 2, top, self.epw + 4, height, style="F")
        self.set_y(top + 1.5)
        for row in caption:
            self.row(row, size=10, rule=False)
        self.set_y(top + height)
        self.ln(2)

    def part_heading(self, title: str) -> None:
        self.ln(3)
        self._font(16, bold=True)
        self.multi_cell(0, 7.5, pdf_safe(title), align="L", new_x=XPos.LMARGIN)
        self._rule(self.get_y() + 1, INK, 0.5)
        self.ln(4)

    def heading(self, section: Section) -> None:
        size = 13.5 if section.level == 1 else 11.5
        before = 5.0 if section.level == 1 else 3.0
        # Keep a heading with at least two lines of what follows it; a heading with nothing
        # under it is kept with the heading that follows too.
        follows = 3 * LINE if section.blocks else 3 * LINE + 12
        self.need(before + size * 0.5 + follows)
        self.ln(before)
        self._font(size, bold=True)
        self.multi_cell(0, size * 0.5, pdf_safe(section.heading), align="L", new_x=XPos.LMARGIN)
        if section.level == 1:
            self._rule(self.get_y() + 0.8, RULE, 0.3)
        self.ln(2.5)

    def _lines(self, text: str, width: float, bold: bool, size: float) -> list[str]:
        self.set_font(FONT, "B" if bold else "", size)
        lines = self.multi_cell(width, LINE, pdf_safe(text), dry_run=True, output="LINES")
        if not isinstance(lines, list):
            raise TypeError("fpdf2 did not return the lines of the text")
        # fpdf2 hands back the lines already encoded for the font; undo that before reuse.
        return [line.encode("latin-1").decode(ENCODING) for line in lines] or [""]

    def _row_height(self, row: Row, label_width: float, size: float) -> float:
        labels = self._lines(row.label, label_width, True, size)
        loud = row.text.startswith(NOT_KNOWN_WORDS)
        values = self._lines(row.text, self.epw - label_width - GAP, loud, size)
        return max(len(labels), len(values)) * LINE + ROW_SPACE

    def row(
        self, row: Row, label_width: float = LABEL_WIDTH, size: float = 10.5, rule: bool = True
    ) -> None:
        value_width = self.epw - label_width - GAP
        # 'Not provided' steps back and 'Not known' stands out, so gaps are seen at a glance.
        quiet = row.text == NOT_PROVIDED
        loud = row.text.startswith(NOT_KNOWN_WORDS)
        labels = self._lines(row.label, label_width, True, size)
        values = self._lines(row.text, value_width, loud, size)
        count = max(len(labels), len(values))
        # Keep a row on one page when it can be; a row longer than a page runs on.
        if count * LINE + ROW_SPACE <= self.page_break_trigger - TOP:
            self.need(count * LINE + ROW_SPACE)
        start = 0
        while start < count:
            self.need(LINE)
            # The label then the value, each whole on this page, so text extraction and
            # screen readers get each one in one piece.
            stop = min(count, start + max(1, int(self.room() // LINE)))
            y = self.get_y()
            self._font(size, bold=True, ink=LABEL_INK)
            self._column(labels[start:stop], MARGIN, y, label_width)
            self._font(size, bold=loud, ink=QUIET_INK if quiet else INK)
            self._column(values[start:stop], MARGIN + label_width + GAP, y, value_width)
            self.set_xy(MARGIN, y + (stop - start) * LINE)
            start = stop
        if rule:
            self._rule(self.get_y() + 0.7, HAIRLINE)
        self.ln(ROW_SPACE)

    def _column(self, lines: list[str], x: float, y: float, width: float) -> None:
        for offset, line in enumerate(lines):
            self.set_xy(x, y + offset * LINE)
            self.cell(width, LINE, line)

    def paragraph(self, paragraph: Paragraph) -> None:
        self._font(10.5)
        self.multi_cell(0, LINE, pdf_safe(paragraph.text), align="L", new_x=XPos.LMARGIN)
        self.ln(1.5)

    def block(self, block: Block) -> None:
        if isinstance(block, Row):
            self.row(block)
        else:
            self.paragraph(block)

    def part(self, part: Part, heading: bool) -> None:
        if heading:
            self.part_heading(part.title)
        for section in part.sections:
            self.heading(section)
            for block in section.blocks:
                self.block(block)


def to_pdf(document: Document) -> bytes:
    """DOCUMENT as an A4 PDF."""
    pdf = _Pdf(document)
    several = len(document.parts) > 1
    for index, part in enumerate(document.parts):
        pdf.part_title = part.title
        if index == 0:
            pdf.add_page()
            pdf.title_block(document.title, document.caption)
        else:
            pdf.add_page()
        pdf.part(part, heading=several)
    return bytes(pdf.output())
