"""Partner profiles: who a trading partner is on the wire, and what they expect back.

A profile is data an ops engineer edits (``connectors/partners/<name>.yaml``); this module
only validates it and answers the questions the pipeline asks: which partner sent this
envelope, which mapping reads their 850, which acks do they want, how strict to be.
The loader that reads the files lives at the edge; here profiles come in as mappings.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from b2bbridge.core.edi.events import PartyId
from b2bbridge.core.edi.options import ReadOptions
from b2bbridge.core.errors import ConfigError, UnknownPartnerError
from b2bbridge.core.location import Location

AckKind = Literal["997", "999", "TA1", "CONTRL"]


class EnvelopeId(BaseModel):
    """An ISA05/06, GS02 or UNB2 identity: qualifier (optional) and id."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    qualifier: str | None = None
    id: str

    def matches(self, party: PartyId) -> bool:
        if self.id != party.id:
            return False
        return self.qualifier is None or party.qualifier in (None, self.qualifier)


class SyntaxProfile(BaseModel):
    """The partner's identities and ack wishes for one syntax (X12 or EDIFACT)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ids: list[EnvelopeId] = Field(description="the partner's interchange sender ids")
    our_id: EnvelopeId = Field(description="our id in their interchanges (sender of our acks)")
    group_id: str | None = Field(None, description="X12 GS02/GS03 application code, if distinct")
    acks: list[AckKind] = Field(
        default_factory=list, description="acks to send for each interchange"
    )
    version: str | None = Field(None, description="syntax version for outbound documents")


class PartnerProfile(BaseModel):
    """One trading partner."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    partner: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", description="short stable name")
    name: str = ""
    x12: SyntaxProfile | None = None
    edifact: SyntaxProfile | None = None
    mappings: dict[str, str] = Field(
        default_factory=dict,
        description="document kind (x12/850, edifact/ORDERS) -> mapping file under mappings/",
    )
    outbox_connector: str | None = Field(None, description="connector acks and documents go to")
    strip_preamble: bool = False
    charset_policy: Literal["lenient", "strict"] = "lenient"
    validation: Literal["reject", "accept_with_errors", "off"] = Field(
        "reject",
        description="what a transaction that breaks its structure schema gets: rejected "
        "(AK5 R), accepted with its errors reported (AK5 E), or no validation",
    )
    duplicates: Literal["reject", "ignore", "accept"] = Field(
        "reject",
        description="a repeated ISA13/UNB5 inside the window: stored as a duplicate and "
        "answered with a rejecting TA1 (025) or CONTRL (26) (reject), stored as a duplicate "
        "with no answer (ignore), or processed as new (accept)",
    )

    def syntax(self, syntax: str) -> SyntaxProfile | None:
        return self.x12 if syntax == "x12" else self.edifact if syntax == "edifact" else None

    def read_options(self, file: str | None) -> ReadOptions:
        return ReadOptions(
            file=file, strip_preamble=self.strip_preamble, charset_policy=self.charset_policy
        )

    def mapping_for(self, syntax: str, doc_type: str) -> str | None:
        """The mapping file for a document kind, or None when this partner has none."""
        return self.mappings.get(f"{syntax}/{doc_type}")


class PartnerDirectory:
    """All profiles, with lookup by name and by envelope sender id."""

    def __init__(self, profiles: Iterable[PartnerProfile]) -> None:
        self._by_name: dict[str, PartnerProfile] = {}
        for p in profiles:
            if p.partner in self._by_name:
                raise ConfigError(
                    f"partner {p.partner!r} is defined twice", code="partner_duplicate"
                )
            self._by_name[p.partner] = p

    def __iter__(self) -> Iterator[PartnerProfile]:
        return iter(self._by_name.values())

    def names(self) -> list[str]:
        return sorted(self._by_name)

    def get(self, name: str) -> PartnerProfile:
        try:
            return self._by_name[name]
        except KeyError:
            raise UnknownPartnerError(
                f"no partner profile named {name!r}; known: {', '.join(self.names()) or 'none'}",
                location=Location(partner=name),
            ) from None

    def find(self, name: str | None) -> PartnerProfile | None:
        return self._by_name.get(name) if name else None

    def identify(self, syntax: str, sender: PartyId) -> PartnerProfile:
        """The partner whose profile lists this interchange sender id."""
        for profile in self._by_name.values():
            sp = profile.syntax(syntax)
            if sp is not None and any(i.matches(sender) for i in sp.ids):
                return profile
        qual = f"{sender.qualifier}:" if sender.qualifier else ""
        raise UnknownPartnerError(
            f"no partner profile lists {syntax} sender id {qual}{sender.id}",
        )
