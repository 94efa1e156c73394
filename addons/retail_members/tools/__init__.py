from . import phone, points, rfm, tiers
