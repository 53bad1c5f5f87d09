"""b2bbridge: EDI/ERP integration middleware.

Partner orders arrive as X12, EDIFACT, XML, JSON or CSV; b2bbridge validates them, maps
them into one canonical model, stores them with lineage and answers with acknowledgements.
"""

from b2bbridge.core.errors import B2BError, Disposition, Problem, Severity
from b2bbridge.core.location import Location

__version__ = "0.1.0"

__all__ = ["B2BError", "Disposition", "Location", "Problem", "Severity", "__version__"]
