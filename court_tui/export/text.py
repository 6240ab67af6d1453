"""Plain text and Markdown renderings of an export document.

The plain text is for screen readers and for pasting into the case management system:
linear, no box drawing, no tables, headings as plain lines, 'Label: value' lines and a
blank line between sections.
"""

from __future__ import annotations

import re

from court_tui.export.document import Block, Document, Paragraph, Part, Row, Section


def row_label(label: str) -> str:
    """LABEL followed by its separator: a question keeps its own question mark."""
    return f"{label}" if label.endswith("?") else f"{label}:"


def _text_block(block: Block) -> str:
    if isinstance(block, Row):
        return f"{row_label(block.label)} {block.text}"
    return block.text


def _text_section(section: Section) -> list[str]:
    lines = [section.heading]
    if section.blocks:
        lines.append("")
        lines += [_text_block(block) for block in section.blocks]
    return lines


def _part_heading(document: Document, index: int, part: Part) -> str:
    return f"Part {index} of {len(document.parts)}: {part.title}"


def to_text(document: Document) -> str:
    """DOCUMENT as plain, linear text."""
    chunks: list[list[str]] = [
        [document.marking],
        [document.title, *(_text_block(row) for row in document.caption)],
    ]
    several = len(document.parts) > 1
    for index, part in enumerate(document.parts, start=1):
        if several:
            chunks.append([_part_heading(document, index, part)])
        chunks += [_text_section(section) for section in part.sections]
    chunks.append([f"End of document. CRN {document.crn}.", document.marking])
    return "\n\n".join("\n".join(chunk) for chunk in chunks) + "\n"


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
_MD_LINE_START = re.compile(r"^(\s*)([-+=]|\d+)([.)]?)")


def _escape_line_start(match: re.Match[str]) -> str:
    indent, mark, after = match.groups()
    if mark.isdigit():
        # '1.' starts a numbered list; '1\.' does not, and reads the same.
        return f"{indent}{mark}\\{after}" if after else match.group(0)
    return f"{indent}\\{mark}{after}"


def escape_markdown(text: str) -> str:
    """TEXT with Markdown's special characters escaped, so it reads as typed."""
    lines = []
    for line in _MD_SPECIAL.sub(r"\\\1", text).split("\n"):
        lines.append(_MD_LINE_START.sub(_escape_line_start, line))
    return "\n".join(lines)


def _md_value(text: str) -> str:
    # A value over several lines stays inside its list item, one hard break a line.
    return "\\\n  ".join(escape_markdown(text).split("\n"))


def _md_block(block: Block) -> str:
    if isinstance(block, Row):
        return f"- **{escape_markdown(row_label(block.label))}** {_md_value(block.text)}"
    return _md_value(block.text)


def _md_blocks(blocks: tuple[Block, ...]) -> list[str]:
    chunks: list[str] = []
    for block in blocks:
        line = _md_block(block)
        # Rows make one list; a paragraph stands on its own.
        if isinstance(block, Paragraph) or not chunks or not chunks[-1].startswith("- "):
            chunks.append(line)
        else:
            chunks[-1] += "\n" + line
    return chunks


def to_markdown(document: Document) -> str:
    """DOCUMENT as Markdown."""
    several = len(document.parts) > 1
    base = 2 if several else 1
    chunks = [f"**{document.marking}**", f"# {escape_markdown(document.title)}"]
    chunks += _md_blocks(document.caption)
    for index, part in enumerate(document.parts, start=1):
        if several:
            chunks.append(f"## {escape_markdown(_part_heading(document, index, part))}")
        for section in part.sections:
            hashes = "#" * (base + section.level)
            chunks.append(f"{hashes} {escape_markdown(section.heading)}")
            chunks += _md_blocks(section.blocks)
    chunks.append(f"**{document.marking}**")
    return "\n\n".join(chunks) + "\n"
