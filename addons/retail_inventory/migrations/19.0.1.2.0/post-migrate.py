from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """Receipts being scanned keep what was counted on them.

    Counts now live in ``retail.receipt.scan``, from which validation receives: the units that
    open receipts counted before are recorded there, per lot counted (the move lines of a lot
    given at receiving) or as one count of the product.
    """
    cr.execute("""
        SELECT move.id FROM stock_move move
         WHERE move.retail_scanned_qty > 0 AND move.state NOT IN ('done', 'cancel')
           AND NOT EXISTS (SELECT 1 FROM retail_receipt_scan scan WHERE scan.move_id = move.id)
    """)
    move_ids = [row[0] for row in cr.fetchall()]
    if not move_ids:
        return
    cr.execute("SELECT id, retail_scanned_qty FROM stock_move WHERE id = ANY(%s)", [move_ids])
    scanned = dict(cr.fetchall())
    env = api.Environment(cr, SUPERUSER_ID, {})
    values = []
    for move in env["stock.move"].browse(move_ids):
        counted = move.move_line_ids.filtered(lambda line: line.picked and (line.lot_id or line.lot_name))
        if move._retail_needs_lot_entry() and counted:
            values += [{
                "picking_id": move.picking_id.id, "move_id": move.id, "lot_id": line.lot_id.id,
                "lot_name": False if line.lot_id else line.lot_name, "quantity": line.quantity,
                "expiration_date": False if line.lot_id else line.expiration_date,
            } for line in counted]
        else:
            values.append({"picking_id": move.picking_id.id, "move_id": move.id, "quantity": scanned[move.id]})
    env["retail.receipt.scan"].create(values)
