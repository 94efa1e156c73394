from odoo import api, models


# One file per phase of the build: the generator as one class would be over a thousand lines.
# pylint: disable=consider-merging-classes-inherited
class RetailChainGenerator(models.AbstractModel):
    _inherit = "retail.chain.generator"

    @api.model
    def _retail_generate_extra(self, chain):
        """Dispatch settings per store and a route with a distance between every two stores."""
        result = super()._retail_generate_extra(chain)
        if not chain.get("stores") or not chain.get("dc") or "rng" not in chain:
            return result  # part of a chain (another addon's test data): nothing to dispatch
        rng = chain["rng"]
        stores = chain["stores"] | chain["dc"]
        for store in chain["stores"]:
            store.write({
                "retail_target_days": float(rng.choice([5, 7, 10])),
                "retail_min_days": float(rng.choice([1, 2, 3])),
            })
        positions = {store.id: rng.uniform(0, 30, 2) for store in stores}
        values = [
            {
                "source_id": source.id,
                "destination_id": destination.id,
                "distance_km": round(float(((positions[source.id] - positions[destination.id]) ** 2).sum() ** 0.5), 1),
            }
            for source in stores for destination in stores if source != destination
        ]
        for vals in values:
            vals["cost"] = vals["distance_km"]
        self.env["retail.dispatch.route"].create(values)
        chain["summary"]["dispatch_routes"] = len(values)
        return result
