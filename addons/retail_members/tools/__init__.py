from . import phone, points, preferences, rfm, tiers
