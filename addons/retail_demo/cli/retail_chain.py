"""``odoo retail_chain -c CONF -d DB --scale demo --seed 42``: build the demo retail chain."""

import json
import logging
import optparse
import sys
import threading

from odoo import api
from odoo.cli.command import Command
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.tools import config

_logger = logging.getLogger(__name__)


class Retail_chain(Command):
    """Generate a deterministic retail chain (stores, tills, staff, products, members, sales
    history) in a database where retail_demo is installed."""

    name = "retail_chain"

    def run(self, cmdargs):
        parser = config.parser
        parser.prog = self.prog
        group = optparse.OptionGroup(parser, "Retail chain")
        group.add_option("--scale", dest="retail_scale", my_default="demo",
                         help="Size of the chain: test, demo or bench (default: demo).")
        group.add_option("--seed", dest="retail_seed", type="int", my_default=42,
                         help="Random seed; the same seed builds the same chain (default: 42).")
        parser.add_option_group(group)
        options = config.parse_config(cmdargs, setup_logging=True)
        dbnames = config["db_name"]
        if not dbnames or len(dbnames) != 1:
            sys.exit("retail_chain needs exactly one database: -d DB")
        dbname = dbnames[0]
        threading.current_thread().dbname = dbname
        registry = Registry(dbname)
        with registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            if "retail.chain.generator" not in env:
                sys.exit(f"retail_demo is not installed in {dbname}: install it first (-i retail_demo).")
            try:
                summary = env["retail.chain.generator"].generate(
                    scale=options.retail_scale or "demo",
                    seed=42 if options.retail_seed is None else options.retail_seed)
            except UserError as error:
                cr.rollback()
                sys.exit(str(error))
            # a command line entry owns its transaction: the chain is kept once it is complete
            cr.commit()  # pylint: disable=invalid-commit
        # the summary is the command's output, for the shell or a script to read
        print(json.dumps(summary, ensure_ascii=False, indent=2))  # pylint: disable=print-used
