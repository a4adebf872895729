"""Untrusted text made safe to print: file names, page titles, outlets, reasons, quotes.

A file name or a page field can hold terminal control sequences (``ESC [ 2 J`` clears the screen,
``ESC ] 8`` makes a link, a newline forges an extra line in a failure list) and Rich markup
(``[/bold]`` raises, ``[link=...]`` hides a link). Every such field is printed through ``printable``
(controls first), then either as a ``Text`` (``plain``: never read as markup) or through
``rich.markup.escape`` (``markup_safe``) where it sits inside a markup string.

Hand-written because neither Rich nor the standard library escapes every control character:
``rich.control.escape_control_codes`` escapes five of them and leaves ESC as it is.
"""

from __future__ import annotations

from rich.markup import escape
from rich.table import Table
from rich.text import Text

# C0 controls, DEL and C1 controls: Unicode category Cc, exactly. C1 (0x80-0x9F) counts: a terminal
# may read U+009B as CSI, the one-character form of ESC [.
_CONTROL_CODES = (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0))
# repr's own escapes: \n, \t, \r and \x1b, \x7f, \x9b; what a Python user would type to get the character.
_ESCAPES = {code: repr(chr(code))[1:-1] for code in _CONTROL_CODES}
_ESCAPES_BUT_NEWLINE = {code: shown for code, shown in _ESCAPES.items() if code != ord("\n")}


def printable(text: str, multiline: bool = False) -> str:
    """``text`` with every control character as a visible escape (ESC as ``\\x1b``, a newline as
    ``\\n``); with ``multiline`` newlines stay, for free text printed over several lines."""
    return text.translate(_ESCAPES_BUT_NEWLINE if multiline else _ESCAPES)


def plain(value: object, multiline: bool = False) -> Text:
    """A field as Rich ``Text``: printable, and never read as markup ("[AP]" stays as written). None is ""."""
    return Text(printable("" if value is None else str(value), multiline))


def markup_safe(value: object) -> str:
    """A field to put inside a Rich markup string: printable first, then markup-escaped."""
    return escape(printable(str(value)))


def add_plain_row(table: Table, *cells: object) -> None:
    """A table row whose cells are all fields (``plain``); a ``Text`` cell is the caller's, as built."""
    table.add_row(*(cell if isinstance(cell, Text) else plain(cell) for cell in cells))
