from . import demo, phone, points, preferences, rfm, tiers
