from . import models, report


def post_init_hook(env):
    """Close packs built before the bridge was installed get their platform figures."""
    env["retail.close.pack"]._fill_platform_figures()
