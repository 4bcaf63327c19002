"""HTML papers and reports to PDF, through WeasyPrint (the optional extra `ereje[pdf]`).

The page style names DejaVu Sans, which has every Kazakh letter (ә ғ қ ң ө ұ ү һ і); WeasyPrint finds it
through fontconfig (Debian: fonts-dejavu-core). Without the extra, `PdfUnavailable` names what to install.
"""

from __future__ import annotations


class PdfUnavailable(RuntimeError):
    """WeasyPrint (or the system libraries it loads, pango) is not installed."""


def to_pdf(page: str) -> bytes:
    """The HTML page as PDF bytes (A4, the page's own style)."""
    try:
        from weasyprint import HTML  # type: ignore[import-untyped]
    except (ImportError, OSError) as e:  # OSError: pango or its fonts missing from the system
        raise PdfUnavailable(
            f"PDF output needs WeasyPrint: pip install 'ereje[pdf]' (and the system's pango, e.g. Debian's "
            f"libpango-1.0-0 and fonts-dejavu-core); {type(e).__name__}: {e}"
        ) from None
    pdf = HTML(string=page).write_pdf()
    assert pdf is not None  # write_pdf() without a target returns the bytes
    return bytes(pdf)


__all__ = ["PdfUnavailable", "to_pdf"]
