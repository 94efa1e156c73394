"""The demo chain as plain data: stores, catalogue, members and the sales history.

Everything is drawn from one ``numpy.random.default_rng(seed)`` in a fixed order, so the
same seed always gives the same chain. Days are indices ``0 .. days - 1``; the caller maps
them to calendar dates. Money is in cents (int64) so that totals are exact.

The history is M5-like: a long-tail popularity (intermittent demand for most articles),
weekly seasonality, store effects, chain-wide promotions with a discount and an uplift,
and stockouts. Stores are replenished with a min/max policy (dry goods from the
distribution centre once a week, perishables straight from the supplier every day or two);
when a store runs out, the customer's line is lost (and the ticket when all its lines are).
Perishables are tracked by lot: one lot per delivery, consumed first in, first out.
"""

import hashlib

import numpy as np

from .chain_catalogue import (
    APPAREL_COLOURS,
    APPAREL_SIZES,
    BRANDS,
    CATEGORIES,
    DISTRICTS,
    GIVEN_CHARS,
    MOBILE_PREFIXES,
    PAYMENT_METHODS,
    REGIONS,
    SIZES,
    STAFF_GIVEN_NAMES,
    SURNAMES,
)

# Relative number of tickets per weekday, Monday first; day 0 of the history is a Monday
# offset given by ``first_weekday``.
WEEKDAY_FACTORS = np.array([0.88, 0.85, 0.90, 0.95, 1.08, 1.22, 1.12])
MEMBER_SHARE = 0.38
OPEN_SECONDS = 8 * 3600  # stores open at 08:00 local time
DAY_SECONDS = 14 * 3600  # and close at 22:00


def ean13_check_digit(digits12):
    """Check digit of a 12-digit EAN-13 body given as a string."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits12))
    return str((10 - total % 10) % 10)


def is_valid_ean13(code):
    return len(code) == 13 and code.isdigit() and ean13_check_digit(code[:12]) == code[12]


def is_valid_mobile(number):
    return len(number) == 11 and number.isdigit() and number[0] == "1" and number[1] in "3456789"


def build_stores(spec, rng):
    """The distribution centre and the stores with their region, names and store effect."""
    stores = []
    n = spec["stores"]
    for index in range(n):
        region = REGIONS[index % len(REGIONS)]
        city = (index // len(REGIONS)) % len(region[3])
        district = (index // (len(REGIONS) * len(region[3]))) % len(DISTRICTS)
        stores.append({
            "code": f"S{index + 1:02d}",
            "region": region[0],
            "name_zh": f"{region[3][city]}{DISTRICTS[district][0]}",
            "name_en": f"{region[4][city]} {DISTRICTS[district][1]}",
        })
    effects = rng.lognormal(0.0, 0.25, size=n)
    effects /= effects.mean()
    for store, effect in zip(stores, effects, strict=True):
        store["effect"] = float(effect)
    regions = [
        {"code": code, "name_zh": zh, "name_en": en}
        for code, zh, en, _cities, _cities_en in REGIONS
        if any(store["region"] == code for store in stores)
    ]
    dc = {"code": "DC", "name_zh": "中央配送中心", "name_en": "Central Distribution Centre", "region": "EAST"}
    return dc, stores, regions


def _category_quotas(n_products):
    shares = np.array([category[3] for category in CATEGORIES])
    quotas = np.floor(shares / shares.sum() * n_products).astype(int)
    apparel = len(CATEGORIES) - 1
    variants = len(APPAREL_COLOURS) * len(APPAREL_SIZES)
    quotas[apparel] = max(variants, quotas[apparel] // variants * variants)
    quotas[0] += n_products - quotas.sum()
    return quotas


def build_catalogue(spec, rng):
    """Products (variants) with names, category, barcode, cost, price and shelf life.

    Apparel comes as templates with colour and size variants; ``template`` groups the
    variants of one template (every other article is its own template).
    """
    quotas = _category_quotas(spec["products"])
    products = []
    template = 0
    for category_index, (category, quota) in enumerate(zip(CATEGORIES, quotas, strict=True)):
        code, _zh, _en, _share, median_cost, popularity, items = category
        if code == "APPAREL":
            combos = [(item, brand, None) for item in range(len(items)) for brand in range(len(BRANDS))]
            picks = rng.permutation(len(combos))[: quota // (len(APPAREL_COLOURS) * len(APPAREL_SIZES))]
        else:
            combos = [(item, brand, size) for item in range(len(items))
                      for brand in range(len(BRANDS)) for size in range(len(SIZES))]
            if quota > len(combos):
                raise ValueError(f"Category {code} cannot hold {quota} distinct articles")
            picks = rng.permutation(len(combos))[:quota]
        for pick in sorted(picks):
            item, brand, size = combos[pick]
            item_zh, item_en, shelf_life = items[item]
            brand_zh, brand_en = BRANDS[brand]
            brand_factor = float(rng.lognormal(0.0, 0.25))
            size_factor = 1.0 if size is None else SIZES[size][2]
            cost = median_cost * size_factor * brand_factor * float(rng.lognormal(0.0, 0.15))
            markup = float(rng.uniform(1.25, 1.7))
            pop = popularity * float(rng.lognormal(0.0, 1.1)) / size_factor ** 0.5
            base = {
                "category": category_index,
                "shelf_life": shelf_life,
                "cost": max(50, round(cost * 100)),
                "popularity": pop,
                "brand": brand,
            }
            base["price"] = max(90, int(np.ceil(base["cost"] * markup / 10.0)) * 10 - 1)
            if size is None:
                for colour_zh, colour_en in APPAREL_COLOURS:
                    for size_zh, size_en in APPAREL_SIZES:
                        products.append(dict(
                            base, template=template,
                            name_zh=f"{brand_zh}{item_zh}", name_en=f"{brand_en} {item_en}",
                            colour=(colour_zh, colour_en), size=(size_zh, size_en),
                            popularity=pop / 9.0,
                        ))
                template += 1
            else:
                products.append(dict(
                    base, template=template,
                    name_zh=f"{brand_zh}{item_zh} {SIZES[size][0]}",
                    name_en=f"{brand_en} {item_en} ({SIZES[size][1]})",
                    colour=None, size=None,
                ))
                template += 1
    for index, product in enumerate(products):
        product["code"] = f"P{index + 1:05d}"
        body = f"69{product['brand'] + 10001:05d}{index + 1:05d}"
        product["barcode"] = body + ean13_check_digit(body)
    return products


def staff_names(count):
    """Distinct Chinese full names for the chain's staff, the same whatever the seed (the
    random stream of the chain is left untouched)."""
    surnames, given = len(SURNAMES), len(STAFF_GIVEN_NAMES)
    if count > surnames * given:
        raise ValueError(f"The catalogue names {surnames * given} staff at most, not {count}")
    return [SURNAMES[index % surnames] + STAFF_GIVEN_NAMES[(index + index // surnames) % given]
            for index in range(count)]


def build_members(spec, rng, n_stores):
    """Members: Chinese names, unique mainland mobile numbers, a home store."""
    n = spec["members"]
    surnames = np.array(SURNAMES)
    given = np.array(GIVEN_CHARS)
    s = surnames[rng.integers(0, len(surnames), n)]
    g1 = given[rng.integers(0, len(given), n)]
    g2 = given[rng.integers(0, len(given), n)]
    two = rng.random(n) < 0.7
    names = np.char.add(np.char.add(s, g1), np.where(two, g2, ""))
    prefixes = np.array(MOBILE_PREFIXES, dtype=np.int64)
    phones = np.empty(0, dtype=np.int64)
    while len(phones) < n:
        draw = prefixes[rng.integers(0, len(prefixes), 2 * n)] * 100_000_000 + rng.integers(0, 100_000_000, 2 * n)
        merged = np.concatenate([phones, draw])
        _unique, first = np.unique(merged, return_index=True)
        phones = merged[np.sort(first)]
    phones = phones[:n]
    home = np.sort(rng.integers(0, n_stores, n))
    return {"name": names.tolist(), "phone": [str(p) for p in phones.tolist()], "store": home}


def _order_seconds(rng, n):
    """Time of day of ``n`` tickets (seconds after opening): a lunch and an evening peak."""
    peak = rng.random(n)
    lunch = rng.normal(4.5 * 3600, 1.2 * 3600, n)
    evening = rng.normal(10.5 * 3600, 1.5 * 3600, n)
    flat = rng.uniform(0, DAY_SECONDS, n)
    seconds = np.where(peak < 0.35, lunch, np.where(peak < 0.8, evening, flat))
    return np.clip(seconds, 60, DAY_SECONDS - 60).astype(np.int32)


def build_history(spec, rng, stores, products, members, first_weekday=0):
    """Sales, deliveries, lots and the final stock of every store (plain numpy arrays)."""
    n_stores, n_products, days = len(stores), len(products), spec["days"]
    store_effect = np.array([store["effect"] for store in stores])
    popularity = np.array([product["popularity"] for product in products])
    shelf = np.array([product["shelf_life"] for product in products])
    price = np.array([product["price"] for product in products], dtype=np.int64)
    tracked = shelf > 0
    assortment = rng.lognormal(0.0, 0.5, size=(n_stores, n_products))
    weeks = (days + 6) // 7
    promo = np.zeros((weeks, n_products), dtype=np.int64)
    on_promo = rng.random((weeks, n_products)) < 0.04
    promo[on_promo] = rng.choice([10, 15, 20, 30], size=int(on_promo.sum()))
    uplift = np.where(promo > 0, 1.0 + promo / 10.0, 1.0)

    weights = popularity[None, :] * assortment  # store x product
    share = weights / weights.sum(axis=1, keepdims=True)
    mean_qty = 1.0 / 0.72
    mean_orders = spec["orders_per_store_day"] * store_effect
    rate = mean_orders[:, None] * spec["lines_per_order"] * share * mean_qty  # units per day

    cycle = np.where(shelf == 0, 7, np.where(shelf <= 4, 1, 2))[None, :].repeat(n_stores, 0)
    cover = rng.uniform(0.7, 2.2, size=(n_stores, n_products))
    maximum = np.maximum(np.ceil(rate * (cycle + 1) * cover), 2).astype(np.int64)
    minimum = np.minimum(np.ceil(rate * cycle * 0.6 * cover).astype(np.int64), maximum - 1)
    # dry goods come in cases of six, perishables by the unit
    pack = np.where(tracked, 1, 6)[None, :]
    delivery_offset = rng.integers(0, 7, size=n_stores)
    from_dc = ~tracked

    stock = np.zeros((n_stores, n_products), dtype=np.int64)
    receipt_parts, order_parts, line_parts = [], [], []
    order_count = 0
    lost_lines = 0
    for day in range(days):
        weekday = (first_weekday + day) % 7
        week = day // 7
        # deliveries at 06:00, before opening
        due = (day == 0) | (((day + delivery_offset[:, None]) % cycle) == 0)
        need = due & (stock <= minimum)
        qty = np.where(need, -((stock - maximum) // pack) * pack, 0)
        s_idx, p_idx = np.nonzero(qty)
        if len(s_idx):
            receipt_parts.append(np.stack([s_idx, p_idx, np.full(len(s_idx), day), qty[s_idx, p_idx]], axis=1))
            stock += qty
        # tickets
        n_orders = rng.poisson(mean_orders * WEEKDAY_FACTORS[weekday] * (1 + 0.001 * day))
        total_orders = int(n_orders.sum())
        order_store = np.repeat(np.arange(n_stores), n_orders)
        seconds = _order_seconds(rng, total_orders)
        sort = np.lexsort((seconds, order_store))
        seconds = seconds[sort]
        n_lines = 1 + rng.poisson(spec["lines_per_order"] - 1, total_orders)
        line_order = np.repeat(np.arange(total_orders), n_lines)
        line_store = order_store[line_order]
        day_weights = weights * uplift[week][None, :]
        cumulative = np.cumsum(day_weights, axis=1)
        cumulative /= cumulative[:, -1:]
        draw = rng.random(len(line_order))
        line_product = np.empty(len(line_order), dtype=np.int64)
        bounds = np.concatenate([[0], np.cumsum(np.bincount(line_store, minlength=n_stores))])
        for store in range(n_stores):
            part = slice(bounds[store], bounds[store + 1])
            line_product[part] = np.searchsorted(cumulative[store], draw[part], side="right")
        np.minimum(line_product, n_products - 1, out=line_product)
        line_qty = np.minimum(rng.geometric(0.72, len(line_order)), 6)
        # stockouts: serve lines in time order while the shelf has enough
        key = line_store * n_products + line_product
        order_by_key = np.lexsort((line_order, key))
        sorted_key = key[order_by_key]
        sorted_qty = line_qty[order_by_key]
        running = np.cumsum(sorted_qty)
        starts = np.r_[True, sorted_key[1:] != sorted_key[:-1]]
        group_base = np.maximum.accumulate(np.where(starts, running - sorted_qty, 0))
        within = running - group_base
        served_sorted = within <= stock.ravel()[sorted_key]
        served = np.empty(len(key), dtype=bool)
        served[order_by_key] = served_sorted
        lost_lines += int((~served).sum())
        sold = np.bincount(key[served], weights=line_qty[served], minlength=n_stores * n_products)
        stock -= sold.astype(np.int64).reshape(n_stores, n_products)
        # tickets that lost all their lines are gone
        kept_orders = np.bincount(line_order[served], minlength=total_orders) > 0
        new_index = np.cumsum(kept_orders) - 1 + order_count
        kept_count = int(kept_orders.sum())
        customer = np.full(kept_count, -1, dtype=np.int64)
        with_member = rng.random(kept_count) < MEMBER_SHARE
        kept_store = order_store[kept_orders]
        member_bounds = np.searchsorted(members["store"], np.arange(n_stores + 1))
        low = member_bounds[kept_store]
        span = member_bounds[kept_store + 1] - low
        pick = low + np.floor(span * rng.random(kept_count) ** 2).astype(np.int64)
        customer = np.where(with_member & (span > 0), pick, -1)
        method = np.searchsorted(np.cumsum([m[3] for m in PAYMENT_METHODS]), rng.random(kept_count) * 0.999999)
        order_parts.append(np.stack([
            kept_store, np.full(kept_count, day), seconds[kept_orders], customer, method,
        ], axis=1))
        discount = promo[week][line_product[served]]
        line_parts.append(np.stack([
            new_index[line_order[served]], line_product[served], line_qty[served], discount,
        ], axis=1))
        order_count += kept_count

    orders = np.concatenate(order_parts).astype(np.int64)
    lines = np.concatenate(line_parts).astype(np.int64)
    receipts = np.concatenate(receipt_parts).astype(np.int64)
    # money in cents, rounded half up per line like the till
    unit = price[lines[:, 1]]
    gross = unit * lines[:, 2]
    subtotal = (gross * (100 - lines[:, 3]) + 50) // 100
    order_total = np.bincount(lines[:, 0], weights=subtotal, minlength=len(orders)).astype(np.int64)

    history = {
        "orders": orders,  # store, day, seconds after opening, member (-1), payment method
        "order_total": order_total,
        "lines": lines,  # order, product, qty, discount %
        "line_price": unit,
        "line_subtotal": subtotal,
        "receipts": receipts,  # store, product, day, qty
        "receipt_from_dc": from_dc[receipts[:, 1]],
        "stock": stock,
        "maximum": maximum,
        "minimum": minimum,
        "promo": promo,
        "lost_lines": np.array([lost_lines]),
    }
    history.update(_sales_moves(history, n_products))
    history.update(_dc_flows(history, n_products, days))
    history.update(_lots(history, tracked, shelf))
    return history


def _sales_moves(history, n_products):
    """One stock move per store, day and product (the session's picking)."""
    orders, lines = history["orders"], history["lines"]
    store = orders[lines[:, 0], 0]
    day = orders[lines[:, 0], 1]
    n_stores = int(history["stock"].shape[0])
    key = (day * n_stores + store) * n_products + lines[:, 1]
    unique, inverse = np.unique(key, return_inverse=True)
    qty = np.bincount(inverse, weights=lines[:, 2]).astype(np.int64)
    product = unique % n_products
    rest = unique // n_products
    return {"sales_moves": np.stack([rest % n_stores, product, rest // n_stores, qty], axis=1)}


def _dc_flows(history, n_products, days):
    """The distribution centre buys each week what it ships the next week, plus a buffer."""
    receipts = history["receipts"][history["receipt_from_dc"]]
    week = receipts[:, 2] // 7
    weeks = (days + 6) // 7
    shipped = np.zeros((weeks, n_products), dtype=np.int64)
    np.add.at(shipped, (week, receipts[:, 1]), receipts[:, 3])
    buffer = np.ceil(shipped.mean(axis=0) * 0.5).astype(np.int64)
    bought = shipped.copy()
    bought[0] += buffer
    w_idx, p_idx = np.nonzero(bought)
    dc_receipts = np.stack([p_idx, w_idx * 7, bought[w_idx, p_idx]], axis=1)  # product, day, qty
    dc_stock = bought.sum(axis=0) - shipped.sum(axis=0)
    return {"dc_receipts": dc_receipts, "dc_stock": dc_stock}


def _lots(history, tracked, shelf):
    """Lots of tracked articles: one per delivery, consumed first in, first out.

    Gives the lot of every delivery, the pieces (lot, qty) of every sales move and the
    quantity left in every lot.
    """
    receipts, moves = history["receipts"], history["sales_moves"]
    n_products = len(tracked)
    r_mask = tracked[receipts[:, 1]]
    m_mask = tracked[moves[:, 1]]
    rec = receipts[r_mask]
    r_group = rec[:, 0] * n_products + rec[:, 1]
    r_order = np.lexsort((rec[:, 2], r_group))
    rec, r_group = rec[r_order], r_group[r_order]
    r_cum = np.cumsum(rec[:, 3])
    groups, g_first = np.unique(r_group, return_index=True)
    g_base = np.where(g_first > 0, r_cum[g_first - 1], 0)

    sales = moves[m_mask]
    s_group = sales[:, 0] * n_products + sales[:, 1]
    s_order = np.lexsort((sales[:, 2], s_group))
    sales, s_group = sales[s_order], s_group[s_order]
    s_cum = np.cumsum(sales[:, 3])
    s_groups, s_first = np.unique(s_group, return_index=True)
    s_base = np.where(s_first > 0, s_cum[s_first - 1], 0)
    s_gidx = np.searchsorted(s_groups, s_group)
    r_gidx = np.searchsorted(groups, s_group)
    end = s_cum - s_base[s_gidx] + g_base[r_gidx]
    start = end - sales[:, 3]
    k_start = np.searchsorted(r_cum, start, side="right")
    k_end = np.searchsorted(r_cum, end, side="left")
    pieces = k_end - k_start + 1
    move_index = np.repeat(np.arange(len(sales)), pieces)
    offset = np.arange(pieces.sum()) - np.repeat(np.cumsum(pieces) - pieces, pieces)
    lot = k_start[move_index] + offset
    lot_low = np.where(lot > 0, r_cum[lot - 1], 0)
    piece_qty = np.minimum(end[move_index], r_cum[lot]) - np.maximum(start[move_index], lot_low)
    # the position of each tracked sales move in the full sales move array
    full_index = np.nonzero(m_mask)[0][s_order]

    consumed = np.zeros(len(rec), dtype=np.int64)
    np.add.at(consumed, lot, piece_qty)
    lot_left = rec[:, 3] - consumed
    full_receipt = np.nonzero(r_mask)[0][r_order]
    return {
        "lots": np.stack([rec[:, 0], rec[:, 1], rec[:, 2], rec[:, 3], rec[:, 2] + shelf[rec[:, 1]]], axis=1),
        # store, product, day received, qty received, expiry day
        "lot_receipt": full_receipt,  # index in receipts of the delivery that made the lot
        "lot_left": lot_left,
        "lot_pieces": np.stack([full_index[move_index], lot, piece_qty], axis=1),  # sales move, lot, qty
    }


def build_chain_data(spec, seed, first_weekday=0):
    """The whole chain as plain data."""
    rng = np.random.default_rng(seed)
    dc, stores, regions = build_stores(spec, rng)
    products = build_catalogue(spec, rng)
    members = build_members(spec, rng, len(stores))
    history = build_history(spec, rng, stores, products, members, first_weekday=first_weekday)
    return {
        "spec": dict(spec), "seed": seed, "dc": dc, "stores": stores, "regions": regions,
        "products": products, "members": members, "history": history, "rng": rng,
    }


def summarize(data):
    """Counts and sums that the database must reproduce."""
    history = data["history"]
    stores = len(data["stores"])
    days = data["spec"]["days"]
    return {
        "stores": stores,
        "products": len(data["products"]),
        "tracked_products": sum(1 for p in data["products"] if p["shelf_life"]),
        "members": len(data["members"]["phone"]),
        "days": days,
        "sessions": len(np.unique(history["orders"][:, 0] * days + history["orders"][:, 1])),
        "orders": len(history["orders"]),
        "order_lines": len(history["lines"]),
        "units_sold": int(history["lines"][:, 2].sum()),
        "revenue_cents": int(history["order_total"].sum()),
        "store_receipts": len(history["receipts"]),
        "sales_moves": len(history["sales_moves"]),
        "lots": len(history["lots"]),
        "lines_lost_to_stockouts": int(history["lost_lines"][0]),
        "store_stock_units": int(history["stock"].sum()),
        "dc_stock_units": int(history["dc_stock"].sum()),
    }


def fingerprint(data):
    """A digest of the plain data: equal digests mean equal chains."""
    digest = hashlib.sha256()
    for store in data["stores"]:
        digest.update(f"{store['code']}|{store['name_zh']}|{store['effect']:.12f}\n".encode())
    for product in data["products"]:
        digest.update("|".join(str(product[k]) for k in (
            "code", "name_zh", "name_en", "barcode", "cost", "price", "shelf_life", "colour", "size",
        )).encode() + b"\n")
    digest.update("\n".join(data["members"]["name"]).encode())
    digest.update("\n".join(data["members"]["phone"]).encode())
    for key in sorted(data["history"]):
        value = data["history"][key]
        digest.update(key.encode())
        digest.update(np.ascontiguousarray(value).astype(np.int64).tobytes())
    return digest.hexdigest()
