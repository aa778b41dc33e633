"""The reports' HTML pieces, as Qt's rich text draws them: striped tables, headings, paragraphs without
Qt's default gaps, and RAG chips that carry the status in a word and a symbol, not in colour alone."""

from __future__ import annotations

from html import escape

from beatdesk.services.reports.wording import rag_text
from beatdesk.ui.dashboard import RAG_CHIPS

FONT = "DejaVu Sans, Arial, sans-serif"
MUTED = "#555555"
HEAD_FILL = "#DDE2E8"
_ZEBRA = " style='background-color:#F3F5F7;'"


def rag_chip(rag: str | None) -> str:
    """The RAG status as a filled chip carrying its word and symbol (readable without colour)."""
    if rag not in RAG_CHIPS:
        return f"<span style='color:{MUTED};'>{escape(rag_text(None))}</span>"
    text, fill, ink = RAG_CHIPS[rag]
    return (f"<span style='background-color:{fill}; color:{ink}; font-weight:bold;'>"
            f"&nbsp;{escape(text)}&nbsp;</span>")


def table(headers: list[str], rows: list[list[str]], widths: list[str] | None = None, align: str = "",
          wrap: tuple[int, ...] = (0,)) -> str:
    """A striped table; cells are HTML already. ``align`` has one letter a column: l(eft) or r(ight);
    only the columns in ``wrap`` break their text over lines (names, not figures)."""
    def cell(tag: str, i: int, content: str) -> str:
        width = f" width='{widths[i]}'" if widths and widths[i] else ""
        side = "right" if align[i:i + 1] == "r" else "left"
        nowrap = "" if i in wrap else " style='white-space:nowrap;'"
        return f"<{tag}{width} align='{side}'{nowrap}>{content}</{tag}>"

    head = "".join(cell("th", i, f"<b>{escape(h)}</b>") for i, h in enumerate(headers))
    body = "".join(f"<tr{_ZEBRA if n % 2 else ''}>" + "".join(cell("td", i, c) for i, c in enumerate(row)) + "</tr>"
                   for n, row in enumerate(rows))
    return (f"<table width='100%' cellspacing='0' cellpadding='2' border='0'>"
            f"<thead><tr style='background-color:{HEAD_FILL};'>{head}</tr></thead>{body}</table>")


def page_html(body: str, base_pt: float) -> str:
    return f"<html><body style='font-family:{FONT}; font-size:{base_pt:.2f}pt;'>{body}</body></html>"


def para(html: str, muted: bool = False, size: float | None = None) -> str:
    """A paragraph straight under what is above it (Qt's default leaves a line's gap)."""
    style = "margin-top:0; margin-bottom:2pt;" + (f" color:{MUTED};" if muted else "") + \
        (f" font-size:{size:.2f}pt;" if size else "")
    return f"<p style='{style}'>{html}</p>"


def title(text: str, base_pt: float) -> str:
    return f"<p style='font-size:{base_pt * 1.8:.2f}pt; font-weight:bold; margin:0;'>{escape(text)}</p>"


def heading(text: str, base_pt: float, first: bool = False) -> str:
    """A section heading (``first``: at the top of a column, no space above)."""
    above = 0 if first else base_pt * 0.9
    return (f"<p style='font-size:{base_pt * 1.25:.2f}pt; font-weight:bold; margin-top:{above:.1f}pt;"
            f" margin-bottom:{base_pt * 0.3:.1f}pt;'>{escape(text)}</p>")
