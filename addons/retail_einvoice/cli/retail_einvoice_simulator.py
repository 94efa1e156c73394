"""``odoo retail_einvoice_simulator --port 8070 --app-id demo --app-secret demo``: the local
e-invoice provider of the tests, serving until interrupted, for the demo and for trying a
provider's settings."""

import argparse

# Odoo loads an addon's command as odoo.cli.<name>, where a relative import would not reach the addon
from odoo.addons.retail_einvoice.tools.simulator import Simulator  # pylint: disable=odoo-addons-relative-import
from odoo.cli.command import Command


class Retail_einvoice_simulator(Command):
    """Serve the SOAP e-invoice simulator on 127.0.0.1."""

    name = "retail_einvoice_simulator"

    def run(self, cmdargs):
        parser = argparse.ArgumentParser(prog=self.prog, description=self.__doc__)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8070)
        parser.add_argument("--app-id", default="demo")
        parser.add_argument("--app-secret", default="demo")
        options = parser.parse_args(cmdargs)
        simulator = Simulator({options.app_id: options.app_secret}, host=options.host, port=options.port)
        print(f"E-invoice simulator: WSDL {simulator.wsdl_url}, app id {options.app_id!r}")  # pylint: disable=print-used
        try:
            simulator.serve_forever()
        except KeyboardInterrupt:
            print("E-invoice simulator stopped.")  # pylint: disable=print-used
