"""EDIFACT character sets: the UNB syntax identifier's codec, and what to do when bytes disagree.

The syntax identifier (UNB1 component 1) names the repertoire the sender promises. Real
traffic breaks that promise often: UNOA or UNOC interchanges carrying UTF-8 bytes are
common. :func:`choose_codec` looks at the bytes actually read and picks a Python codec
that decodes them without error, saying whether that departs from the declaration, so
the reader can report a ``charset_mismatch`` under the partner's ``charset_policy``.

UNOA and UNOB are checked only for bytes outside ASCII: their repertoires formally
exclude lower-case letters and some punctuation, but so many senders use those that
flagging them would bury real problems.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

#: UNB syntax identifier → Python codec. IATA's IATA/IATB are upper-case ASCII like UNOA.
SYNTAX_CODECS: dict[str, str] = {
    "UNOA": "ascii",
    "UNOB": "ascii",
    "UNOC": "iso8859_1",
    "UNOD": "iso8859_2",
    "UNOE": "iso8859_5",
    "UNOF": "iso8859_7",
    "UNOG": "iso8859_3",
    "UNOH": "iso8859_4",
    "UNOI": "iso8859_6",
    "UNOJ": "iso8859_8",
    "UNOK": "iso8859_9",
    "UNOL": "iso8859_15",
    "UNOW": "utf_8",
    "UNOY": "utf_8",
    "IATA": "ascii",
    "IATB": "ascii",
    "KECA": "euc_kr",
}

#: The codec used when the declaration is unknown and the bytes are not UTF-8.
FALLBACK_CODEC = "latin_1"


def codec_for(syntax_identifier: str) -> str | None:
    """The codec for a syntax identifier (case-insensitive), or None when it is unknown."""
    return SYNTAX_CODECS.get(syntax_identifier.strip().upper())


def is_single_byte(codec: str) -> bool:
    """True when one character is always one byte, so text lengths are byte lengths."""
    name = codecs.lookup(codec).name
    return name in {"ascii", "latin-1", "iso8859-1"} or name.startswith("iso8859")


@dataclass(frozen=True, slots=True)
class CodecChoice:
    """The codec to decode a run of bytes with, and whether the declaration was kept.

    ``first_bad`` is the offset, within the bytes examined, of the first byte the
    declared codec could not take (or of the first multibyte UTF-8 sequence when that is
    what gave the sender away); None when the declaration held.
    """

    codec: str
    mismatch: bool
    first_bad: int | None = None


def _decodes(data: bytes, codec: str) -> bool:
    try:
        data.decode(codec)
    except UnicodeDecodeError:
        return False
    return True


def _first_non_ascii(data: bytes) -> int:
    return next(i for i, b in enumerate(data) if b >= 0x80)


def choose_codec(data: bytes, declared: str | None) -> CodecChoice:
    """Pick the codec for ``data`` given the declared one (None: the identifier was unknown).

    ASCII bytes keep the declared codec. Otherwise UTF-8 wins when the bytes are valid
    UTF-8 with multibyte sequences and the declaration is a single-byte set (a Latin-1
    reading would be mojibake); then the declared codec if it decodes; then Latin-1,
    which decodes anything.
    """
    if data.isascii():
        return CodecChoice(declared or "ascii", False)
    utf8 = _decodes(data, "utf_8")
    if declared is None:  # unknown identifier: reported on its own, not as a mismatch
        return CodecChoice("utf_8" if utf8 else FALLBACK_CODEC, False)
    if declared is not None and codecs.lookup(declared).name == "utf-8":
        if utf8:
            return CodecChoice(declared, False)
        return CodecChoice(FALLBACK_CODEC, True, _first_bad_utf8(data))
    if utf8:
        return CodecChoice("utf_8", True, _first_non_ascii(data))
    if declared is not None and _decodes(data, declared):
        return CodecChoice(declared, False)
    return CodecChoice(FALLBACK_CODEC, True, _first_bad(data, declared))


def _first_bad_utf8(data: bytes) -> int:
    try:
        data.decode("utf_8")
    except UnicodeDecodeError as exc:
        return exc.start
    return 0


def _first_bad(data: bytes, declared: str | None) -> int:
    if declared is None:
        return _first_non_ascii(data)
    try:
        data.decode(declared)
    except UnicodeDecodeError as exc:
        return exc.start
    return 0
