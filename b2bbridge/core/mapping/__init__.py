"""The mapping engine: ops-edited mapping tables between formats and the canonical model.

Load a mapping with :func:`load_mapping` (text in, the caller resolves ``extends`` and code
tables), then map EDI transactions with :func:`map_transaction` or :func:`map_order`, and
XML, JSON, CSV or XLSX payloads with :func:`map_payload` (:func:`detect_format` and
:func:`read_kind` say which map a payload needs; :func:`translate_file` does all three for
a partner profile). :func:`lint_mapping` lists every problem in a map. See
``mappings/README.md`` for the file format.
"""

from b2bbridge.core.mapping.failures import MappingRuleError, PayloadError, UnsafePayloadError
from b2bbridge.core.mapping.formats import detect_format
from b2bbridge.core.mapping.inbound import map_order, map_transaction
from b2bbridge.core.mapping.limits import PayloadLimits
from b2bbridge.core.mapping.lint import LintProblem, lint_mapping
from b2bbridge.core.mapping.loader import load_mapping
from b2bbridge.core.mapping.payload import map_payload, read_kind
from b2bbridge.core.mapping.spec import MappingSpec, mapping_json_schema
from b2bbridge.core.mapping.translation import translate_file

__all__ = [
    "LintProblem",
    "MappingRuleError",
    "MappingSpec",
    "PayloadError",
    "PayloadLimits",
    "UnsafePayloadError",
    "detect_format",
    "lint_mapping",
    "load_mapping",
    "map_order",
    "map_payload",
    "map_transaction",
    "mapping_json_schema",
    "read_kind",
    "translate_file",
]
