from . import models


def post_init_hook(env):
    env["pos.config"].with_context(active_test=False).search([])._retail_use_standard_sequences()
