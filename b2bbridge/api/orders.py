"""Reading the body of ``POST /v1/orders``: a canonical order, or the partner's own JSON.

``application/json`` is the canonical order (its JSON Schema is in the OpenAPI document).
``application/vnd.b2bbridge.partner-order+json`` is whatever the partner sends, read by
the mapping its profile names for ``json/order``; one body may hold several orders.
Errors are 422 problems naming the field (a JSON pointer) or the mapping rule and JSON
path that failed.
"""

from __future__ import annotations

from pydantic import ValidationError as PydanticValidationError

from b2bbridge.api.auth import Caller
from b2bbridge.api.problems import ApiProblemError, field_errors
from b2bbridge.api.state import ApiState
from b2bbridge.core.errors import B2BError
from b2bbridge.core.model.order import Order
from b2bbridge.services.intake import map_partner_orders

PARTNER_JSON = "application/vnd.b2bbridge.partner-order+json"


def read_canonical_order(body: bytes, who: Caller) -> Order:
    try:
        order = Order.model_validate_json(body)
    except PydanticValidationError as exc:
        errors = field_errors(exc)
        raise ApiProblemError(
            422, "body_invalid", f"invalid value at {errors[0]['pointer']}", errors
        ) from None
    if order.partner is not None and order.partner != who.partner:
        raise ApiProblemError(
            422,
            "body_invalid",
            f"partner {order.partner!r} is not the authenticated partner {who.partner!r}",
            [{"pointer": "#/partner", "detail": "must be omitted or match the caller"}],
        )
    return order


def read_partner_orders(state: ApiState, who: Caller, body: bytes) -> list[Order]:
    try:
        orders = map_partner_orders(state.ctx, partner=who.partner, data=body)
    except B2BError as exc:
        where = exc.location.render()
        raise ApiProblemError(
            422,
            "body_invalid",
            str(exc),
            [{"code": exc.code, "detail": exc.message, "location": where}],
        ) from None
    if not orders:
        raise ApiProblemError(422, "body_invalid", "the mapping found no order in the body")
    return orders
