"""Open points move from the ledger's former ``remaining`` column into lots, and the member cards,
which now hold the balance, get the balance of the ledger."""


def migrate(cr, version):
    cr.execute("""
        SELECT 1 FROM information_schema.columns
         WHERE table_name = 'retail_points_move' AND column_name = 'remaining'
    """)
    if cr.fetchone():
        cr.execute("""
            INSERT INTO retail_points_lot (move_id, partner_id, date, expiry_date, remaining)
            SELECT m.id, m.partner_id, m.date, m.expiry_date, m.remaining
              FROM retail_points_move m
             WHERE m.remaining > 0 AND m.expiry_date IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM retail_points_lot l WHERE l.move_id = m.id)
        """)
    cr.execute("""
        UPDATE loyalty_card c SET points = COALESCE(s.balance, 0)
          FROM (SELECT p.retail_loyalty_card_id AS card_id, SUM(m.points) AS balance
                  FROM res_partner p LEFT JOIN retail_points_move m ON m.partner_id = p.id
                 WHERE p.retail_is_member AND p.retail_loyalty_card_id IS NOT NULL
                 GROUP BY p.retail_loyalty_card_id) s
         WHERE c.id = s.card_id
    """)
