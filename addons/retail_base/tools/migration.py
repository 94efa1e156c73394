"""Helpers of the addons' migration scripts (plain SQL: migrations run before the registry)."""


def release_store_rules(cr, module):
    """Let the next update rewrite the store rules of ``module``.

    The store rules used to be loaded as ``noupdate`` data, so a fix to one never reached a
    database that had the addon already. Multi-company rules (``*_company``) stay as they are.
    """
    cr.execute(
        """
        UPDATE ir_model_data
           SET noupdate = FALSE
         WHERE module = %s AND model = 'ir.rule' AND noupdate AND name NOT LIKE '%%\\_company'
        """,
        [module],
    )
