"""A report version as a Word board paper the QA Lead can edit: a cover, real headings
(Word's navigation pane lists them), bullet lists, tables whose header row repeats on
each page, and each chart as a picture with its words as alt text, above the table of
its numbers."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from ..models import ReportVersion
from ..report_tables import TEXT, Section, Table, cell_text, report_sections
from . import charts
from .parts import KEPT_TOGETHER, NOTHING_WRITTEN, WIDE_TABLE, Cover, cover, is_empty, placed

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FONT = "Arial"
INK = RGBColor(0x0B, 0x0C, 0x0C)
GREY = RGBColor(0x50, 0x5A, 0x5F)
HEADER_FILL = "F3F2F1"
#: A4 with 2 cm margins leaves 17 cm for text, tables and charts
PAGE_WIDTH, PAGE_HEIGHT, MARGIN = Cm(21), Cm(29.7), Cm(2)
TEXT_WIDTH_CM = 17.0


def _set_font(style, size: float | None = None, *, colour: RGBColor = INK) -> None:
    """Arial in the style, replacing the template's theme fonts (which win over a plain
    font name in Word)."""
    style.font.name = FONT
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    fonts.set(qn("w:cs"), FONT)
    style.font.color.rgb = colour
    if size:
        style.font.size = Pt(size)


def _styles(document) -> None:
    styles = document.styles
    _set_font(styles["Normal"], 11)
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "en-GB")
    styles["Normal"].element.get_or_add_rPr().append(language)
    for name, size in (("Title", 28), ("Subtitle", 16), ("Heading 1", 16), ("Heading 2", 13)):
        _set_font(styles[name], size)
    styles["Subtitle"].font.italic = False
    for name in ("Header", "Footer"):
        _set_font(styles[name], 9, colour=GREY)


def _page(document, cover_: Cover) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)
    section.different_first_page_header_footer = True  # the cover has neither
    header = section.header.paragraphs[0]
    header.text = f"{cover_.title} {cover_.period}, {cover_.scope}"
    if cover_.draft:
        header.add_run(" (draft)").bold = True
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer.add_run("Page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")


def _field(paragraph, instruction: str) -> None:
    """A field Word computes when it lays out the page (page numbers)."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None), ("end", None)):
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)
        if kind == "separate":
            shown = OxmlElement("w:t")
            shown.text = "1"
            run._r.append(shown)


def _cover(document, cover_: Cover) -> None:
    council = document.add_paragraph(cover_.council, style="Subtitle")
    council.paragraph_format.space_before = Pt(120)
    document.add_paragraph(cover_.title, style="Title")
    document.add_paragraph(cover_.period, style="Subtitle")
    document.add_paragraph(cover_.scope, style="Subtitle")
    for line in cover_.details:
        last = document.add_paragraph(line)
    last.add_run().add_break(WD_BREAK.PAGE)


#: Arial's advance widths in ems, by kind of character: close enough to share out columns
_NARROW, _SLIM, _WIDE = set("ijl.,:;'!|"), set("ftrI()-/ "), set("mwMW%")


def _text_cm(text: str, points: float, *, bold: bool = False) -> float:
    ems = sum(
        0.25
        if c in _NARROW
        else 0.33
        if c in _SLIM
        else 0.86
        if c in _WIDE
        else 0.68
        if c.isupper()
        else 0.56
        for c in text
    )
    return ems * (1.08 if bold else 1) * points / 72 * 2.54


def _widths(table: Table, points: float, padding: float) -> list[float]:
    """Column widths in cm filling the text width, as a browser lays out a table: each
    column at least as wide as its longest word, and the room left shared by how much
    more each column's longest text wants."""
    narrowest, widest = [], []
    for i, kind in enumerate(table.kinds):
        texts = [(table.headers[i], True)] + [
            (cell_text(row[i], kind), False) for row in table.rows
        ]
        word = max(_text_cm(w, points, bold=b) for text, b in texts for w in text.split() or [""])
        line = max(_text_cm(text, points, bold=b) for text, b in texts)
        narrowest.append(word * 1.15 + padding + 0.25)  # spare: fonts and margins differ
        widest.append(line + padding)
    room, wanted = TEXT_WIDTH_CM - sum(narrowest), sum(widest) - sum(narrowest)
    if room <= 0:  # too many columns: every one as narrow as it goes, scaled to fit
        return [n * TEXT_WIDTH_CM / sum(narrowest) for n in narrowest]
    share = min(room / wanted, 1.0) if wanted else 0.0
    widths = [n + (w - n) * share for n, w in zip(narrowest, widest, strict=True)]
    return [w * TEXT_WIDTH_CM / sum(widths) for w in widths]


def _margins(table, cm: float) -> None:
    """The space between a cell's border and its text, left and right."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(round(cm / 2.54 * 1440)))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    look = table._tbl.tblPr.find(qn("w:tblLook"))
    if look is not None:
        look.addprevious(margins)
    else:
        table._tbl.tblPr.append(margins)


def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _row_flag(row, name: str) -> None:
    flag = OxmlElement(f"w:{name}")
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def _write_row(
    cells, texts: list[str], kinds: list[str], *, bold: bool, size: Pt, keep: bool
) -> None:
    for cell, text, kind in zip(cells, texts, kinds, strict=True):
        paragraph = cell.paragraphs[0]
        paragraph.paragraph_format.keep_with_next = keep
        paragraph.paragraph_format.space_before = Pt(1)
        paragraph.paragraph_format.space_after = Pt(1)
        if kind != TEXT:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = paragraph.add_run(text)
        run.bold = bold
        run.font.size = size


def _table(document, table: Table) -> None:
    wide = len(table.headers) > WIDE_TABLE
    points, padding = (8, 0.2) if wide else (10, 0.4)
    size = Pt(points)
    grid = document.add_table(rows=1 + len(table.rows), cols=len(table.headers))
    grid.style = document.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.LEFT
    grid.autofit = False
    _margins(grid, padding / 2)
    properties = grid._tbl.tblPr
    for tag, text in (("w:tblCaption", table.caption), ("w:tblDescription", table.note)):
        if text:
            element = OxmlElement(tag)
            element.set(qn("w:val"), text)
            properties.append(element)
    rows = grid.rows
    header = rows[0]
    _row_flag(header, "tblHeader")  # repeated at the top of each page the table runs onto
    _write_row(header.cells, table.headers, table.kinds, bold=True, size=size, keep=True)
    for cell in header.cells:
        _shade(cell, HEADER_FILL)
    last = len(table.rows) - 1
    for index, values in enumerate(table.rows):
        row = rows[index + 1]
        _row_flag(row, "cantSplit")
        texts = [cell_text(v, k) for v, k in zip(values, table.kinds, strict=True)]
        bold = table.total_row and index == last
        keep = len(table.rows) <= KEPT_TOGETHER and index < last
        _write_row(row.cells, texts, table.kinds, bold=bold, size=size, keep=keep)
    for column, width in zip(grid.columns, _widths(table, points, padding), strict=True):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)
    if table.note:
        note = document.add_paragraph()
        run = note.add_run(table.note)
        run.italic, run.font.size = True, Pt(9)
    else:
        document.add_paragraph()


def _chart(document, chart, table: Table | None) -> None:
    picture = document.add_paragraph()
    picture.paragraph_format.keep_with_next = True
    image = io.BytesIO(charts.png(chart, table))
    shape = picture.add_run().add_picture(image, width=Cm(TEXT_WIDTH_CM))
    properties = shape._inline.docPr
    properties.set("descr", charts.describe(chart, table))
    properties.set("title", chart.title)


def _section(document, section: Section) -> None:
    document.add_heading(section.title, level=1)
    for text in section.paragraphs:
        document.add_paragraph(text)
    for text in section.bullets:
        document.add_paragraph(text, style="List Bullet")
    pairs, loose = placed(section)
    for table, drawn in pairs:
        document.add_heading(table.caption, level=2)
        for chart in drawn:
            _chart(document, chart, table)
        _table(document, table)
    for chart in loose:
        _chart(document, chart, None)
    if is_empty(section):
        document.add_paragraph().add_run(NOTHING_WRITTEN).italic = True


def build(version: ReportVersion) -> bytes:
    cover_ = cover(version)
    document = Document()
    _styles(document)
    _page(document, cover_)
    properties = document.core_properties
    properties.title = cover_.full_title
    properties.author = cover_.council
    properties.subject = f"{cover_.title} {cover_.period}"
    properties.language = "en-GB"
    properties.created = version.generated_at
    properties.revision = version.number
    _cover(document, cover_)
    for section in report_sections(version):
        _section(document, section)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
