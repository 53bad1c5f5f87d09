"""The mapping engine: ops-edited mapping tables between formats and the canonical model.

Load a mapping with :func:`load_mapping` (text in, the caller resolves ``extends`` and code
tables), then map transactions with :func:`map_transaction` or :func:`map_order`. See
``mappings/README.md`` for the file format.
"""

from b2bbridge.core.mapping.failures import MappingRuleError
from b2bbridge.core.mapping.inbound import map_order, map_transaction
from b2bbridge.core.mapping.loader import load_mapping
from b2bbridge.core.mapping.spec import MappingSpec, mapping_json_schema

__all__ = [
    "MappingRuleError",
    "MappingSpec",
    "load_mapping",
    "map_order",
    "map_transaction",
    "mapping_json_schema",
]
