"""Lineage as rich trees: a message down to its effects, a document up to its file."""

from __future__ import annotations

from rich.markup import escape
from rich.tree import Tree

from b2bbridge.ports import DocumentRecord
from b2bbridge.services.lineage import DocumentTrail, MessageLineage, OutboundNode


def render_lineage(found: MessageLineage) -> Tree:
    """file → interchanges → transactions → documents; then acks sent and dead letters."""
    m = found.message
    root = Tree(f"[bold]file[/bold] {escape(m.filename or '-')} (message {m.id}, {m.status})")
    for icx in found.interchanges:
        rec = icx.record
        branch = root.add(
            f"interchange {rec.syntax.upper()} {rec.control_number} "
            f"{rec.sender} → {rec.receiver} ({rec.status})"
        )
        for tx in icx.transactions:
            t = tx.record
            leaf = branch.add(
                f"transaction {t.type} {t.control_number}"
                f"{f' group {t.group_control_number}' if t.group_control_number else ''}"
                f" ({t.status}, {t.segment_count} segments)"
            )
            for doc in tx.documents:
                leaf.add(_document(doc))
    for out in found.outbound:
        root.add(_outbound(out))
    for dl in found.dead_letters:
        replay = f", replay of {dl.replay_of}" if dl.replay_of else ""
        root.add(
            f"[red]dead letter {dl.id}[/red] {dl.code}: {escape(dl.reason)} "
            f"({dl.status}, {dl.attempts} attempt(s){replay})"
        )
    return root


def _document(doc: DocumentRecord) -> str:
    when = doc.doc_date.isoformat() if doc.doc_date else "no date"
    return f"[green]document {doc.id}[/green] {doc.doc_type} {escape(doc.doc_number)} ({when})"


def _outbound(out: OutboundNode) -> str:
    o = out.record
    text = f"sent {o.kind} ICN {o.interchange_control_number} → {o.destination or '-'}: {o.status}"
    for exp in out.expectations:
        text += f"; ack {exp.status}" + (
            f" by message {exp.ack_message_id}" if exp.ack_message_id else ""
        )
    return text


def render_trail(trail: DocumentTrail) -> Tree:
    """document ← transaction ← interchange ← file."""
    root = Tree(_document(trail.document))
    node = root
    if trail.transaction is not None:
        t = trail.transaction
        node = node.add(f"from transaction {t.type} {t.control_number} ({t.status})")
    if trail.interchange is not None:
        i = trail.interchange
        node = node.add(f"in interchange {i.syntax.upper()} {i.control_number} from {i.sender}")
    m = trail.message
    node.add(
        f"in file [bold]{escape(m.filename or '-')}[/bold] (message {m.id}, via {m.connector}, "
        f"received {m.created_at:%Y-%m-%d %H:%M:%S})"
    )
    return root
