from . import models, report


def post_init_hook(env):
    """Close packs built before the bridge was installed get their member figures."""
    env["retail.close.pack"]._fill_member_figures()
