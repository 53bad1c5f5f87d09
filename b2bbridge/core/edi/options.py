"""Per-partner reading options, shared by the X12 and EDIFACT readers.

They come from the partner profile (or the command line for ``inspect``); defaults are
lenient where real traffic is messy and the meaning is not in doubt, and strict where
leniency would mean guessing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

CharsetPolicy = Literal["lenient", "strict"]


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How to read one file.

    ``file`` names the file in every Location. ``strip_preamble`` skips non-EDI bytes before
    the first ISA/UNA/UNB (and reports what was skipped as a warning); without it such bytes
    are an error. ``charset_policy`` decides what happens when EDIFACT bytes do not decode
    under the UNB syntax identifier: ``strict`` reports an error, ``lenient`` decodes them
    (UTF-8 first, then Latin-1) and reports a warning. ``chunk_size`` bounds memory: the
    readers hold one chunk plus one partial segment at a time.
    """

    file: str | None = None
    strip_preamble: bool = False
    charset_policy: CharsetPolicy = "lenient"
    chunk_size: int = 1 << 20
