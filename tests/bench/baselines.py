"""The two baselines `make bench` runs over the same files as the parser: the floor (PDFium's text, no
structure at all) and the naive table extractor (pdfplumber's extract_tables on every page)."""
from __future__ import annotations

from pathlib import Path


def pdfium_text(path: Path) -> int:
    """Every page's text through pypdfium2: the least any PDF reader must do. Returns the characters read."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    n = 0
    try:
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            n += len(textpage.get_text_range())
            textpage.close()
            page.close()
    finally:
        document.close()
    return n


def pdfplumber_tables(path: Path) -> int:
    """pdfplumber's extract_tables() on every page, nothing else. Returns the cells read."""
    import pdfplumber

    n = 0
    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            for table in page.extract_tables():
                n += sum(len(row) for row in table)
            page.close()
    return n
