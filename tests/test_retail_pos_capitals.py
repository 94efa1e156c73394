"""The till's RMB capitals (JavaScript, for offline receipts) match the server's, amount for amount."""

import json
import random
import shutil
import subprocess

import pytest
from conftest import ADDONS, load_tool

capitals = load_tool("retail_pos", "capitals")
SCRIPT = ADDONS / "retail_pos" / "static" / "src" / "app" / "utils" / "retail_approval.js"

FIXED = [0, 0.01, 0.05, 0.1, 0.5, 1, 2.07, 10, 10.1, 20.3, 100, 100.05, 101, 110, 1000, 1001, 1005, 1010,
         10000, 10001, 10010, 10100, 100000, 100001, 1000000, 10000000, 100000000, 100000001, 100010000,
         123456789.12, 9999999999.99, 40.5, 49.77, -20.3, -0.01, -1005]


def amounts():
    rng = random.Random(7)
    drawn = [round(rng.uniform(0, 10 ** rng.randint(0, 10)), 2) for _index in range(400)]
    return FIXED + drawn + [-amount for amount in drawn[:50]]


def test_the_till_writes_every_amount_as_the_server_does():
    node = shutil.which("node")
    assert node, "node is needed to run the till's JavaScript (it comes with the machine; apt-get install nodejs)"
    values = amounts()
    program = (
        f"import {{ retailAmountInCapitals }} from {json.dumps(SCRIPT.as_uri())};\n"
        f"console.log(JSON.stringify({json.dumps(values)}.map(retailAmountInCapitals)));\n"
    )
    result = subprocess.run([node, "--input-type=module", "-e", program], capture_output=True, text=True,
                            check=True, timeout=60)
    till = json.loads(result.stdout)
    server = [capitals.amount_in_capitals(amount) for amount in values]
    mismatches = [(amount, t, s) for amount, t, s in zip(values, till, server, strict=True) if t != s]
    assert not mismatches, f"{len(mismatches)} amounts differ (amount, till, server): {mismatches[:5]}"


@pytest.mark.parametrize(("amount", "expected"), [(123.45, "壹佰贰拾叁元肆角伍分"), (1005, "壹仟零伍元整"),
                                                  (100.05, "壹佰元零伍分"), (-20.3, "负贰拾元叁角"),
                                                  (0, "零元整")])
def test_server_capitals(amount, expected):
    assert capitals.amount_in_capitals(amount) == expected
