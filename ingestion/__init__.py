"""budget-warehouse ingestion: a disclosure document in; its metadata, tables, line items
(each with its lineage) and issues out. A plain library: no orchestration imports."""
__version__ = "0.1.0"

from .api import discover, parse_document  # noqa: E402
from .frames import frames  # noqa: E402
from .model import DocumentMeta, Issue, LineItem, ParsedDocument, TableInfo  # noqa: E402

__all__ = ["discover", "parse_document", "frames", "ParsedDocument", "DocumentMeta", "TableInfo", "LineItem",
           "Issue", "__version__"]
