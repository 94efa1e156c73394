from . import (
    account_bank_statement_line,
    hr_employee,
    pos_config,
    pos_order,
    pos_session,
    product_template,
    res_config_settings,
    res_partner,
    retail_chain_generator,
    retail_pos_approval,
    retail_pos_cash_drop,
)
