"""Receiving a transfer whose shipment carried lots: which lot each counted unit goes into."""


def received_by_lot(shipped, by_lot, by_product=0.0, extra_lot=None):
    """Units received per lot, from what was shipped and what was counted.

    A unit scanned by its lot number goes into that lot. A unit scanned by its product barcode
    says nothing of its lot: it fills the shipped lots, in shipping order, up to what each one
    shipped beyond its own lot scans. What is still left is over the shipment and goes into
    ``extra_lot`` (the lot scanned last), or else into the last lot shipped.

    :param shipped: list of ``(lot, quantity)`` in shipping order; a lot appears once
    :param by_lot: dict ``lot -> quantity`` scanned by lot number (lots of ``shipped`` only)
    :param by_product: quantity scanned by product barcode
    :param extra_lot: lot that units over the shipment go into, when not the last shipped one
    :return: dict ``lot -> quantity`` received, without lots that received nothing, in
        shipping order
    """
    if not shipped:
        raise ValueError("a transfer without shipped lots is received as counted")
    received = {lot: by_lot.get(lot, 0.0) for lot, _quantity in shipped}
    unknown = set(by_lot) - set(received)
    if unknown:
        raise ValueError(f"lots scanned that were not shipped: {sorted(map(str, unknown))}")
    left = max(by_product, 0.0)
    for lot, quantity in shipped:
        take = min(left, max(quantity - received[lot], 0.0))
        received[lot] += take
        left -= take
    if left > 0:
        received[extra_lot if extra_lot in received else shipped[-1][0]] += left
    return {lot: quantity for lot, quantity in received.items() if quantity > 0}


def differences(expected, received):
    """Per lot, units received minus units expected (only the lots that differ).

    :param expected: dict ``lot -> quantity``
    :param received: dict ``lot -> quantity``
    :return: dict ``lot -> difference``, in the order of ``expected`` then of ``received``
    """
    lots = list(expected) + [lot for lot in received if lot not in expected]
    result = {lot: received.get(lot, 0.0) - expected.get(lot, 0.0) for lot in lots}
    return {lot: difference for lot, difference in result.items() if abs(difference) > 1e-9}
