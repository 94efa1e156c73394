from . import markdown
