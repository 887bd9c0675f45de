#!/usr/bin/env python3
"""Generate the sample data of a FICTIONAL county: 青岚县（虚构）, region code 990121.

青岚县 and its prefecture 云岭市 (990100) do not exist. Codes 99xxxx belong to no real
administrative division, and every number, plan document and person in these files is invented.
The data are shaped like a hilly, inland county of southern China so that the balance sheets,
checks, targets and audit reports of ``balancesheet`` have something realistic to work on.

Run ``python sample_data/generate.py`` to (re)write every file next to this script, and
``python sample_data/generate.py --verify`` to check them (exit status 1 on any failure).
Only the Python standard library is used. The output is byte-for-byte identical on every run:
one ``random.Random(SEED)`` drives everything, all quantities are integers in hundredths (of a
hectare, cubic metre, 万立方米, 万元) and only exactly-rounded float operations (+ - * and
comparisons, never log/exp) touch the random numbers.

Files (UTF-8, no BOM, ``\\n`` line endings unless noted; English headers; see README.md):

``regions.csv``       region,name,parent,area,unit — 云岭市（虚构） and 青岚县（虚构）, 2386.45 km².
``stocks.csv``        region,year,resource,item,value,unit — year-end stocks 2018–2025 of every
                      leaf item of the four accounts (land, forest, water, wetland), plus the
                      water account's annual quantities (W*, U*, Q*, QF*, GDP, IVA, E3), which
                      the catalog declares as kind "flow" and records with the stocks format.
``land_changes.csv``  region,year,from,to,area,cause,unit — the annual land-change survey records
                      2019–2025 (2,500–5,000 parcels a year, base class codes only). The land
                      stocks of year Y are exactly those of Y−1 plus these transfers.
``flows.csv``         region,year,resource,item,direction,cause,value,unit — additions and
                      reductions by cause for forest, water storage and wetland, 2019–2025,
                      aggregated per year × item × direction × cause (never a 0.00 row).
``targets.csv``       region,indicator,year_from,year_to,op,value,binding,source — targets of the
                      十三五 (2016–2020) and 十四五 (2021–2025) plan periods.
``officials.csv``     id,name,post,region,start,end — three fictional officials.
``examples/stocks_zh.csv``   20 stock rows of 2018 with Chinese headers, GB18030 encoded, CRLF
                      line endings and land in 亩 (= 公顷 × 15), as Chinese Excel/WPS saves them.
``problems/stocks_with_errors.csv``  see "Deliberate problems" below.
``problems/bad_import.csv``          see "Deliberate problems" below.

The story the numbers tell (asserted by ``verify()``):

* Land: total area constant (238,645.00 ha). 耕地 declines every year (construction, ecological
  conversion, agricultural restructuring), partly compensated by 补充耕地 (cause REC);
  construction land grows; 林地 grows slightly through 生态退耕. The forest account's 林地 equals
  land class 03 and the wetland account's 三调 view (SD*) equals land class 00, every year, exactly.
* Targets: 耕地保有量 (CULT) of 2021–2025 is missed in 2023, 2024 and 2025 (by 50–200 ha);
  用水总量 (WU) exceeds its cap in 2022 only (a drought year); every other binding target is met.
* Officials: GL001 (2018-07-16 → 2023-04-12), GL002 (2020-11-03 → 2025-08-28), GL003 (from
  2023-04-20, still in office) — tenures that start and end mid-year.

Deliberate problems (for demonstrating checks and import errors; never part of ``demo``):

``problems/stocks_with_errors.csv`` — stocks format; import it ON TOP of the clean set, so each
row replaces the clean value of the same region/year/resource/item:

1. 2025 land 0101 水田 +12.34 ha → land balance discrepancy on 0101 in 2025 (opening + changes ≠
   closing) and 土地总面积 (sum of the classes) ≠ the region area by 12.34 ha.
2. 2025 forest F11 乔木林地 −250.00 ha → forest balance discrepancy on F11 in 2025 and the link
   森林资源林地 F1 = 土地 03 林地 fails by 250.00 ha (森林覆盖率 drops too).
3. 2024 wetland SD1106 内陆滩涂 +8.88 ha → the link 湿地（三调口径）SD = 土地 00 fails in 2024,
   SD1106 does not balance in 2024, and (its 2024 closing being 2025's opening) in 2025 either.
4. 2023 water S1 水库蓄水量 500.00 万m³ too low → S1 does not balance in 2023 or 2024 (negative
   stocks are refused at import, so the negative-stock check is shown by the tests instead).

``problems/bad_import.csv`` — land-changes format with a valid header and two valid rows, then
one bad row each: unknown class code ``0199``, non-numeric area ``12,3a``, a negative area, an
empty year, and the year 2099. An importer must reject the file (all or nothing) naming the rows.
"""

from __future__ import annotations

import csv
import io
import math
import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20241231

PREFECTURE = "990100"
REGION = "990121"
YEARS = list(range(2018, 2026))
CHANGE_YEARS = YEARS[1:]  # years with change records / flows
AREA_KM2_H = 238645  # 2386.45 km², in hundredths of km²
TOTAL_H = AREA_KM2_H * 100  # 238,645.00 ha, in hundredths of a hectare

HA, M3, WM3, COUNT, WANYUAN, RATIO = "公顷", "立方米", "万立方米", "个", "万元", "1"

# ---------------------------------------------------------------------------------------------
# Land: 三调 working classification, leaf classes in catalog order, 2018 stock in ha.
# ---------------------------------------------------------------------------------------------

LAND_2018_HA: dict[str, int] = {
    # 00 湿地 (inland county: no mangrove, salt pan or coastal flat)
    "0303": 0, "0304": 620, "0306": 110, "0402": 85, "0603": 0, "1105": 0, "1106": 2250, "1108": 430,
    # 01 耕地
    "0101": 40800, "0102": 1350, "0103": 15600,
    # 02 种植园用地
    "0201": 4300, "0202": 3450, "0203": 0, "0204": 1350,
    # 03 林地
    "0301": 101500, "0302": 15400, "0305": 4200, "0307": 2400,
    # 04 草地
    "0401": 260, "0403": 140, "0404": 7800,
    # 05–09 construction
    "05H1": 880, "0508": 240, "0601": 1850, "0602": 640, "0701": 2050, "0702": 7300,
    "08H1": 170, "08H2": 510, "0809": 220, "0810": 150, "09": 290,
    # 10 交通运输用地
    "1001": 270, "1002": 0, "1003": 1600, "1004": 680, "1005": 55, "1006": 2500, "1007": 0,
    "1008": 8, "1009": 4,
    # 11 水域及水利设施用地
    "1101": 3050, "1102": 80, "1103": 1850, "1104": 2350, "1107": 1080, "1109": 115, "1110": 0,
    # 12 其他土地 (1203 田坎 takes the remainder so that the classes sum to the county area)
    "1201": 140, "1202": 820, "1203": 0, "1204": 0, "1205": 12, "1206": 620, "1207": 2100,
}
LAND_LEAVES = list(LAND_2018_HA)
REMAINDER_CLASS = "1203"
FIRST_LEVEL = {  # leaf → first-level class
    c: ("00" if c in ("0303", "0304", "0306", "0402", "0603", "1105", "1106", "1108")
        else "09" if c == "09" else c[:2])
    for c in LAND_LEAVES
}
FIRST_LEVEL_NAMES = {
    "00": "湿地", "01": "耕地", "02": "种植园用地", "03": "林地", "04": "草地",
    "05": "商业服务业用地", "06": "工矿用地", "07": "住宅用地", "08": "公共管理与公共服务用地",
    "09": "特殊用地", "10": "交通运输用地", "11": "水域及水利设施用地", "12": "其他土地",
}
WETLAND_CLASSES = [c for c in LAND_LEAVES if FIRST_LEVEL[c] == "00"]
CULT = ["0101", "0102", "0103"]
FOREST_LAND = ["0301", "0302", "0305", "0307"]
# 建设用地 (group G2 of accounts/land.toml), for the CON target.
G2 = ["05H1", "0508", "0601", "0602", "0603", "0701", "0702", "08H1", "08H2", "0809", "0810",
      "09", "1001", "1002", "1003", "1004", "1005", "1007", "1008", "1009", "1109", "1201"]
# Classes that are zero in this county and stay zero (no change record touches them).
ZERO_CLASSES = [c for c, v in LAND_2018_HA.items() if v == 0 and c != REMAINDER_CLASS]
LAND_CAUSES = ["CON", "AGR", "ECO", "REC", "DIS", "SUR"]

# Change patterns per cause: (weight, {from: weight}, {to: weight}).
CULT_W = {"0101": 5, "0102": 1, "0103": 5}
PATTERNS: dict[str, list[tuple[int, dict[str, int], dict[str, int]]]] = {
    # 建设占用: farmland, plantations, forest, grass, other land (and a little wetland) → built-up
    "CON": [(1, {"0101": 30, "0102": 3, "0103": 12, "0201": 3, "0202": 2, "0204": 2,
                 "0301": 18, "0302": 3, "0305": 2, "0307": 6, "0401": 1, "0404": 6,
                 "1201": 3, "1202": 1, "1203": 4, "1206": 2, "1106": 2, "1108": 1},
             {"05H1": 8, "0508": 4, "0601": 18, "0602": 5, "0701": 12, "0702": 10, "08H1": 1,
              "08H2": 5, "0809": 4, "0810": 3, "09": 1, "1001": 1, "1003": 13, "1004": 6,
              "1005": 1, "1006": 4, "1109": 2})],
    # 农业结构调整: 耕地 ↔ 园地 / 坑塘 / 设施农用地, and some 林地 → 园地
    "AGR": [(40, CULT_W, {"0201": 4, "0202": 4, "0204": 2}),
            (15, CULT_W, {"1104": 1}),
            (15, CULT_W, {"1202": 1}),
            (12, {"0201": 2, "0202": 1, "0204": 2}, {"0101": 3, "0102": 1, "0103": 5}),
            (6, {"1104": 1}, {"0101": 1}),
            (4, {"1202": 1}, {"0101": 1, "0103": 1}),
            (8, {"0301": 1, "0307": 3}, {"0201": 1, "0202": 2})],
    # 生态退耕: 耕地 (mostly sloping dry land) → 林地 / 草地 / 湿地
    "ECO": [(1, {"0101": 2, "0102": 1, "0103": 6},
             {"0301": 45, "0302": 10, "0305": 5, "0307": 15, "0401": 3, "0403": 3, "0404": 8,
              "0304": 2, "0402": 1, "1106": 4, "1108": 4})],
    # 土地整治/补充耕地 (incl. 增减挂钩 reclamation of rural homesteads)
    "REC": [(1, {"0404": 30, "1206": 12, "1201": 5, "0201": 6, "0202": 3, "0204": 6,
                 "1104": 10, "0702": 15, "1202": 5},
             {"0101": 45, "0102": 10, "0103": 45})],
    # 灾毁: flood/landslide damage to farmland and forest; natural shrinkage of wetland
    "DIS": [(80, {"0101": 4, "0103": 4, "0301": 3, "0302": 1, "0307": 1}, {"1206": 3, "1207": 2}),
            (20, {"1106": 3, "1108": 1, "0304": 1}, {"1206": 2, "1101": 1, "0404": 1})],
}
PARCEL_SCALE = {"CON": 1.0, "AGR": 1.0, "ECO": 1.6, "REC": 1.5, "DIS": 0.8, "SUR": 0.35}
# Gross annual area per cause, ha (REC is computed from the 耕地 plan below).
BUDGET_HA = {
    "CON": {2019: 380, 2020: 350, 2021: 450, 2022: 420, 2023: 400, 2024: 430, 2025: 410},
    "AGR": 160, "ECO": 300, "DIS": 45, "SUR": 220,
}
# Planned net change of 耕地 (01) per year, ha (before a little jitter).
CULT_NET_HA = {2019: -210, 2020: -165, 2021: -125, 2022: -95, 2023: -150, 2024: -60, 2025: -45}
PBF_SHARE_PERMILLE = 842  # 永久基本农田 ≈ 84 % of 2018 耕地, constant (no land flows on PBF)

# ---------------------------------------------------------------------------------------------
# Forest: land class → forest leaves; 2018 shares of the split classes (percent, last = rest).
# ---------------------------------------------------------------------------------------------

FOREST_OF_LAND = {"0301": ["F11"], "0302": ["F12"], "0305": ["F131", "F132"],
                  "0307": ["F141", "F142", "F143", "F144", "F145"]}
FOREST_SPLIT_PCT = {"0305": [60, 40], "0307": [12, 33, 4, 16, 35]}
FOREST_AREA_LEAVES = ["F11", "F12", "F131", "F132", "F141", "F142", "F143", "F144", "F145", "F2"]
F2_2018_HA = 8600
VOLUME_LEAVES = ["V11", "V12", "V2", "V3", "V4"]
VOLUME_2018_M3 = {"V11": 4352600, "V12": 5178400, "V2": 5870, "V3": 176300, "V4": 248500}
# Annual rates per mille of opening stock: (GRW lo, hi), (HRV lo, hi), (MRT lo, hi).
VOLUME_RATES = {
    "V11": ((30, 34), (2, 4), (3, 5)),
    "V12": ((56, 62), (40, 46), (3, 5)),
    "V2": ((28, 34), (0, 0), (4, 8)),
    "V3": ((33, 38), (14, 18), (3, 6)),
    "V4": ((38, 44), (18, 24), (2, 4)),
}

# ---------------------------------------------------------------------------------------------
# Water (万立方米) and auxiliary statistics.
# ---------------------------------------------------------------------------------------------

WETNESS_PERMILLE = {2018: 960, 2019: 1120, 2020: 1180, 2021: 930, 2022: 770, 2023: 880,
                    2024: 1090, 2025: 1010}  # 2022: summer drought
USE_TOTAL = {2018: 18420, 2019: 18180, 2020: 17950, 2021: 17830, 2022: 18600, 2023: 17690,
             2024: 17420, 2025: 17260}  # 用水总量, 万m³ (before jitter)
QUALITY = {  # Q1..Q6 断面数 (GB 3838 Ⅰ…劣Ⅴ), QF1 水功能区, QF2 达标
    2018: (1, 8, 7, 2, 1, 1, 12, 10), 2019: (1, 9, 7, 2, 1, 0, 12, 10),
    2020: (2, 9, 7, 1, 1, 0, 12, 11), 2021: (2, 10, 7, 2, 1, 0, 14, 12),
    2022: (2, 10, 8, 1, 1, 0, 14, 12), 2023: (2, 11, 7, 1, 1, 0, 14, 13),
    2024: (3, 11, 7, 1, 0, 0, 14, 13), 2025: (3, 11, 7, 1, 0, 0, 14, 14),
}
GDP_2018 = 2516800  # 万元
GDP_GROWTH_PERMILLE = {2019: 78, 2020: 31, 2021: 86, 2022: 52, 2023: 61, 2024: 56, 2025: 53}
E3 = {2018: 521, 2019: 527, 2020: 533, 2021: 538, 2022: 545, 2023: 551, 2024: 558, 2025: 566}
WATER_STOCKS = ["S1", "S2", "S3"]
WATER_CAUSES = ["PRC", "INF", "RTN", "ABS", "EVP", "OUT"]

# ---------------------------------------------------------------------------------------------
# Wetland, GB/T 24708-2009 view (ha, 2018) and the causes that may move each class.
# ---------------------------------------------------------------------------------------------

WETLAND_GB_2018_HA = {
    "N1": 0, "N2": 4820, "N3": 80, "N4": 1180,
    "A01": 1860, "A02": 120, "A03": 640, "A04": 0, "A05": 1050, "A06": 310, "A07": 1450,
    "A08": 0, "A09": 0, "A10": 12, "A11": 18, "A12": 36,
}
# item → list of (cause, direction, probability %, lo ha×100, hi ha×100)
WETLAND_GB_FLOWS = {
    "N2": [("RST", "add", 70, 100, 1200), ("DEV", "reduce", 60, 50, 600),
           ("DEG", "reduce", 40, 50, 500), ("SUR", "add", 20, 10, 300), ("SUR", "reduce", 20, 10, 300)],
    "N3": [("RST", "add", 30, 20, 200), ("DEG", "reduce", 30, 10, 150)],
    "N4": [("RST", "add", 70, 100, 1000), ("DEG", "reduce", 50, 50, 400), ("DEV", "reduce", 20, 20, 200)],
    "A01": [("SUR", "add", 30, 50, 500), ("SUR", "reduce", 30, 50, 500), ("DEV", "reduce", 10, 20, 200)],
    "A02": [("SUR", "add", 20, 10, 100), ("SUR", "reduce", 20, 10, 100)],
    "A03": [("RST", "add", 40, 100, 800), ("DEV", "reduce", 40, 100, 600)],
    "A05": [("DEV", "reduce", 50, 50, 500), ("RST", "add", 30, 50, 300), ("SUR", "add", 15, 10, 200),
            ("SUR", "reduce", 15, 10, 200)],
    "A06": [("RST", "add", 40, 50, 300), ("DEV", "reduce", 30, 20, 200)],
    "A07": [("DEV", "reduce", 60, 200, 1500), ("DEG", "reduce", 30, 50, 500), ("RST", "add", 20, 50, 400)],
    "A10": [("SUR", "add", 30, 10, 100), ("SUR", "reduce", 20, 10, 60)],
    "A11": [("RST", "add", 30, 10, 150)],
    "A12": [("RST", "add", 50, 20, 300), ("DEV", "reduce", 10, 10, 50)],
}
SD_ITEMS = ["SD" + c for c in WETLAND_CLASSES]

OFFICIALS = [
    ("GL001", "周明远（虚构）", "县委书记", REGION, "2018-07-16", "2023-04-12"),
    ("GL002", "陈立新（虚构）", "县长", REGION, "2020-11-03", "2025-08-28"),
    ("GL003", "林海峰（虚构）", "县委书记", REGION, "2023-04-20", ""),
]

STOCK_HEADER = ["region", "year", "resource", "item", "value", "unit"]
FLOW_HEADER = ["region", "year", "resource", "item", "direction", "cause", "value", "unit"]
CHANGE_HEADER = ["region", "year", "from", "to", "area", "cause", "unit"]
TARGET_HEADER = ["region", "indicator", "year_from", "year_to", "op", "value", "binding", "source"]
REGION_HEADER = ["region", "name", "parent", "area", "unit"]
OFFICIAL_HEADER = ["id", "name", "post", "region", "start", "end"]

# Causes allowed per resource and direction (the contract of accounts/*.toml).
FLOW_CAUSES = {
    "forest": {"add": {"AFF", "SUR", "CNV", "GRW"},
               "reduce": {"OCC", "DIS", "SUR", "CNV", "HRV", "MRT"}},
    "water": {"add": {"PRC", "INF", "RTN"}, "reduce": {"ABS", "EVP", "OUT"}},
    "wetland": {"add": {"RST", "SUR"}, "reduce": {"DEV", "DEG", "SUR"}},
}


# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------

def fmt2(h: int) -> str:
    """Integer hundredths → decimal text with exactly two decimals (no float involved)."""
    sign = "-" if h < 0 else ""
    q, r = divmod(abs(h), 100)
    return f"{sign}{q}.{r:02d}"


def fmt3(t: int) -> str:
    """Integer thousandths → decimal text with exactly three decimals."""
    sign = "-" if t < 0 else ""
    q, r = divmod(abs(t), 1000)
    return f"{sign}{q}.{r:03d}"


def pick(rng: random.Random, weights: dict[str, int]) -> str:
    """A key of ``weights`` drawn with the given integer weights (dict order is fixed)."""
    codes = list(weights)
    return rng.choices(codes, weights=[weights[c] for c in codes])[0]


def parcel_h(rng: random.Random, scale: float) -> int:
    """A parcel area in hundredths of a ha: 0.01–30 ha, skewed small (median ≈ 0.2 × scale ha).

    A three-tier mixture of powers of a uniform number; only IEEE-exact float operations, so the
    result is the same on every platform.
    """
    u, t = rng.random(), rng.random()
    if t < 0.80:
        ha = 0.01 + 0.6 * u * u
    elif t < 0.98:
        ha = 0.3 + 2.5 * u * u
    else:
        ha = 2.0 + 28.0 * u * u * u * u
    return max(1, min(3000, int(ha * scale * 100 + 0.5)))


def jitter(rng: random.Random, value_h: int, permille: int) -> int:
    """``value_h`` ± up to ``permille``/1000 of itself (integers)."""
    span = value_h * permille // 1000
    return value_h + rng.randint(-span, span)


def csv_text(header: list[str], rows: list[list[str]], newline: str = "\n") -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


# ---------------------------------------------------------------------------------------------
# Land
# ---------------------------------------------------------------------------------------------

def land_2018(rng: random.Random) -> dict[str, int]:
    """2018 year-end land stocks in hundredths; the leaf sum is exactly the county area."""
    stock = {}
    for code, ha in LAND_2018_HA.items():
        stock[code] = 0 if ha == 0 else jitter(rng, ha * 100, 25)
    stock[REMAINDER_CLASS] = 0
    stock[REMAINDER_CLASS] = TOTAL_H - sum(stock.values())
    assert 400000 <= stock[REMAINDER_CLASS] <= 900000, stock[REMAINDER_CLASS]
    return stock


class LandYear:
    """The change records of one year, drawn against what the opening stock still has."""

    def __init__(self, rng: random.Random, year: int, opening: dict[str, int]):
        self.rng, self.year, self.opening = rng, year, opening
        self.avail = dict(opening)  # opening minus what has already left: never below zero
        self.records: list[tuple[str, str, int, str]] = []  # (from, to, hundredths, cause)

    def book(self, frm: str, to: str, area: int, cause: str) -> None:
        assert frm != to and area > 0 and self.avail[frm] >= area
        assert frm not in ZERO_CLASSES and to not in ZERO_CLASSES
        self.avail[frm] -= area
        self.records.append((frm, to, area, cause))

    def spend(self, cause: str, budget: int, patterns) -> None:
        """Draw parcels of ``cause`` until ``budget`` hundredths are booked (last one trimmed)."""
        rng, guard = self.rng, 0
        while budget > 0:
            guard += 1
            assert guard < 200000, f"cannot place {cause} in {self.year}"
            _, src, dst = rng.choices(patterns, weights=[p[0] for p in patterns])[0]
            frm, to = pick(rng, src), pick(rng, dst)
            area = min(parcel_h(rng, PARCEL_SCALE[cause]), budget, self.avail[frm])
            if frm == to or area <= 0:
                continue
            self.book(frm, to, area, cause)
            budget -= area

    def survey_corrections(self, budget: int) -> None:
        """SUR: small corrections between any two classes (often siblings)."""
        rng = self.rng
        live = [c for c in LAND_LEAVES if c not in ZERO_CLASSES]
        weight = {c: max(1, math.isqrt(self.opening[c])) for c in live}
        guard = 0
        while budget > 0:
            guard += 1
            assert guard < 200000
            frm = pick(rng, weight)
            siblings = [c for c in live if FIRST_LEVEL[c] == FIRST_LEVEL[frm] and c != frm]
            if siblings and rng.random() < 0.5:
                to = siblings[rng.randrange(len(siblings))]
            else:
                to = pick(rng, weight)
            area = min(parcel_h(rng, PARCEL_SCALE["SUR"]), budget, self.avail[frm])
            if frm == to or area <= 0:
                continue
            self.book(frm, to, area, "SUR")
            budget -= area

    def cult_net(self) -> int:
        net = 0
        for frm, to, area, _ in self.records:
            net += (to in CULT) * area - (frm in CULT) * area
        return net

    def closing(self) -> dict[str, int]:
        out = dict(self.opening)
        for frm, to, area, _ in self.records:
            out[frm] -= area
            out[to] += area
        return out


def land_years(rng: random.Random, stock2018: dict[str, int]):
    """Change records 2019–2025 and the stocks they lead to (closing = opening + in − out)."""
    stocks = {2018: stock2018}
    records: dict[int, list[tuple[str, str, int, str]]] = {}
    for year in CHANGE_YEARS:
        ly = LandYear(rng, year, stocks[year - 1])
        ly.spend("CON", jitter(rng, BUDGET_HA["CON"][year] * 100, 60), PATTERNS["CON"])
        ly.spend("AGR", jitter(rng, BUDGET_HA["AGR"] * 100, 150), PATTERNS["AGR"])
        ly.spend("ECO", jitter(rng, BUDGET_HA["ECO"] * 100, 150), PATTERNS["ECO"])
        ly.spend("DIS", jitter(rng, BUDGET_HA["DIS"] * 100, 300), PATTERNS["DIS"])
        ly.survey_corrections(jitter(rng, BUDGET_HA["SUR"] * 100, 150))
        # 补充耕地 fills exactly the gap between the other causes and the planned 耕地 change.
        planned = CULT_NET_HA[year] * 100 + rng.randint(-800, 800)
        needed = planned - ly.cult_net()
        assert needed > 10000, (year, needed)
        ly.spend("REC", needed, PATTERNS["REC"])
        assert ly.cult_net() == planned
        rng.shuffle(ly.records)  # a change table is listed by parcel, not by cause
        records[year] = ly.records
        stocks[year] = ly.closing()
        assert min(stocks[year].values()) >= 0
    return stocks, records


class YearBook:
    """The additions and reductions of one year for one account, aggregated into ``flows``.

    A reduction may never take more than the opening stock minus what has already left, so a
    stock can never go negative whatever order the flows come in.
    """

    def __init__(self, year: int, opening: dict[str, int], flows: dict) -> None:
        self.year, self.opening, self.flows = year, opening, flows
        self.avail = dict(opening)
        self.delta = {k: 0 for k in opening}

    def _book(self, item: str, direction: str, cause: str, value: int) -> None:
        assert value > 0, (self.year, item, cause)
        key = (self.year, item, direction, cause)
        self.flows[key] = self.flows.get(key, 0) + value

    def add(self, item: str, cause: str, value: int) -> None:
        self._book(item, "add", cause, value)
        self.delta[item] += value

    def reduce(self, item: str, cause: str, value: int) -> None:
        assert value <= self.avail[item], (self.year, item, cause, value)
        self._book(item, "reduce", cause, value)
        self.delta[item] -= value
        self.avail[item] -= value

    def closing(self) -> dict[str, int]:
        return {k: self.opening[k] + self.delta[k] for k in self.opening}


# ---------------------------------------------------------------------------------------------
# Forest
# ---------------------------------------------------------------------------------------------

FOREST_CAUSE_IN = {"ECO": "AFF", "SUR": "SUR"}  # other land causes → CNV
FOREST_CAUSE_OUT = {"CON": "OCC", "DIS": "DIS", "SUR": "SUR"}


def split_h(total: int, pcts: list[int]) -> list[int]:
    parts = [total * p // 100 for p in pcts[:-1]]
    return parts + [total - sum(parts)]


def forest(rng: random.Random, land_stocks, land_records):
    """Forest area (tied to land 03) and volume stocks with the flows that move them."""
    stocks: dict[int, dict[str, int]] = {}
    flows: dict[tuple[int, str, str, str], int] = {}  # (year, item, direction, cause) → h
    s0: dict[str, int] = {}
    for land, leaves in FOREST_OF_LAND.items():
        parts = split_h(land_stocks[2018][land], FOREST_SPLIT_PCT.get(land, [100]))
        s0.update(zip(leaves, parts, strict=True))
    s0["F2"] = jitter(rng, F2_2018_HA * 100, 20)
    for item, m3 in VOLUME_2018_M3.items():
        s0[item] = m3 * 100
    stocks[2018] = s0

    for year in CHANGE_YEARS:
        book = YearBook(year, stocks[year - 1], flows)
        add, reduce, avail, opening = book.add, book.reduce, book.avail, book.opening

        for frm, to, area, cause in land_records[year]:
            if frm in FOREST_OF_LAND:
                leaves = FOREST_OF_LAND[frm]
                left = area
                while left > 0:  # take it from one sub-class, or several if one is short
                    cands = {f: avail[f] for f in leaves if avail[f] > 0}
                    leaf = pick(rng, cands)
                    take = min(left, avail[leaf])
                    reduce(leaf, FOREST_CAUSE_OUT.get(cause, "CNV"), take)
                    left -= take
            if to in FOREST_OF_LAND:
                leaves = FOREST_OF_LAND[to]
                if to == "0307":  # new plantations are 未成林造林地 until they close
                    leaf = "F142" if cause == "ECO" else pick(
                        rng, {"F141": 2, "F142": 2, "F143": 1, "F144": 2, "F145": 3})
                elif to == "0305":
                    leaf = pick(rng, {"F131": 3, "F132": 2})
                else:
                    leaf = leaves[0]
                add(leaf, FOREST_CAUSE_IN.get(cause, "CNV"), area)

        # Afforestation of 宜林地 inside 其他林地: F145 → F142 (no land-class change).
        planted = min(rng.randint(3000, 8000), avail["F145"] - 10000)
        if planted > 0:
            reduce("F145", "CNV", planted)
            add("F142", "AFF", planted)
        # 四旁植树 and its losses.
        add("F2", "AFF", rng.randint(5000, 11000))
        reduce("F2", "OCC", rng.randint(1500, 4000))
        if rng.random() < 0.5:
            reduce("F2", "DIS", rng.randint(100, 900))

        # Volume: growth, harvest, mortality (whole cubic metres; 2022 drought → more mortality).
        for item in VOLUME_LEAVES:
            m3 = opening[item] // 100
            (g0, g1), (h0, h1), (d0, d1) = VOLUME_RATES[item]
            if year == 2022:
                d0, d1 = d0 + 2, d1 + 3
            grw = m3 * rng.randint(g0, g1) // 1000
            hrv = m3 * rng.randint(h0, h1) // 1000 if h1 else 0
            mrt = m3 * rng.randint(d0, d1) // 1000
            for direction, cause, v in (("add", "GRW", grw), ("reduce", "HRV", hrv),
                                        ("reduce", "MRT", mrt)):
                if v > 0:
                    (add if direction == "add" else reduce)(item, cause, v * 100)

        stocks[year] = book.closing()
        f1 = sum(stocks[year][f] for f in FOREST_AREA_LEAVES if f != "F2")
        assert f1 == sum(land_stocks[year][c] for c in FOREST_LAND)
    return stocks, flows


# ---------------------------------------------------------------------------------------------
# Water
# ---------------------------------------------------------------------------------------------

def water(rng: random.Random):
    """Annual quantities (W, U, Q, QF, GDP, IVA, E3) and storage S1–S3 with balancing flows."""
    values: dict[int, dict[str, int]] = {}  # hundredths (counts: units; E3: thousandths)
    flows: dict[tuple[int, str, str, str], int] = {}
    gdp = GDP_2018 * 100
    storage = {"S1": 2865000 + rng.randint(-20000, 20000), "S2": 16200 + rng.randint(-300, 300),
               "S3": 12600000 + rng.randint(-50000, 50000)}
    for year in YEARS:
        f = WETNESS_PERMILLE[year]
        v: dict[str, int] = {}
        v["W1"] = 20000000 * f // 1000 + rng.randint(-300000, 300000)
        v["W2"] = 5000000 * (400 + 600 * f // 1000) // 1000 + rng.randint(-80000, 80000)
        v["W3"] = v["W2"] * rng.randint(830, 870) // 1000
        u0 = USE_TOTAL[year] * 100 + rng.randint(-4000, 4000)
        v["U2"] = u0 * rng.randint(168, 178) // 1000
        v["U3"] = u0 * rng.randint(158, 166) // 1000
        v["U4"] = u0 * rng.randint(26, 34) // 1000
        v["U1"] = u0 - v["U2"] - v["U3"] - v["U4"]
        q = QUALITY[year]
        for i in range(6):
            v[f"Q{i + 1}"] = q[i]
        v["QF1"], v["QF2"] = q[6], q[7]
        if year > YEARS[0]:
            gdp = gdp * (1000 + GDP_GROWTH_PERMILLE[year]) // 1000 + rng.randint(-50000, 50000)
        v["GDP"] = gdp
        v["IVA"] = gdp * rng.randint(288, 312) // 1000
        v["E3"] = E3[year]

        if year > YEARS[0]:
            prev = dict(storage)
            # Year-end storage follows the wetness of the year.
            storage["S1"] = 2700000 + (f - 1000) * 4000 + rng.randint(-40000, 40000)
            storage["S2"] = 15800 + (f - 1000) * 30 + rng.randint(-400, 400)
            storage["S3"] = prev["S3"] + (f - 1000) * 300 + rng.randint(-15000, 15000)
            moves = {
                "S1": {"PRC": v["W1"] * rng.randint(170, 190) // 1000,
                       "INF": rng.randint(600000, 900000) * f // 1000,
                       "RTN": rng.randint(15000, 30000),
                       "ABS": u0 * rng.randint(410, 430) // 1000,
                       "EVP": rng.randint(110000, 150000) * (2000 - f) // 1000},
                "S2": {"PRC": rng.randint(9000, 13000) * f // 1000,
                       "INF": rng.randint(80000, 110000) * f // 1000,
                       "ABS": rng.randint(2000, 4000),
                       "EVP": rng.randint(6000, 9000) * (2000 - f) // 1000},
                "S3": {"PRC": v["W2"] * rng.randint(900, 940) // 1000,
                       "RTN": rng.randint(90000, 130000),
                       "ABS": u0 * rng.randint(60, 80) // 1000,
                       "EVP": rng.randint(40000, 70000) * (2000 - f) // 1000},
            }
            for item, m in moves.items():
                ins = sum(m.get(c, 0) for c in ("PRC", "INF", "RTN"))
                outs = sum(m.get(c, 0) for c in ("ABS", "EVP"))
                m["OUT"] = prev[item] + ins - outs - storage[item]  # 出境 closes the balance
                assert m["OUT"] > 0, (year, item, m)
                for cause in WATER_CAUSES:
                    if m.get(cause, 0) > 0:
                        direction = "add" if cause in ("PRC", "INF", "RTN") else "reduce"
                        flows[(year, item, direction, cause)] = m[cause]
        v.update(storage)
        values[year] = v
    return values, flows


# ---------------------------------------------------------------------------------------------
# Wetland
# ---------------------------------------------------------------------------------------------

WETLAND_CAUSE_IN = {"ECO": "RST", "SUR": "SUR"}
WETLAND_CAUSE_OUT = {"CON": "DEV", "DIS": "DEG", "SUR": "SUR"}


def wetland(rng: random.Random, land_stocks, land_records):
    """三调 view SD* = land 00 classes (flows from the land transfers); GB/T 24708 view N*, A*."""
    stocks: dict[int, dict[str, int]] = {}
    flows: dict[tuple[int, str, str, str], int] = {}
    s0 = {k: v * 100 for k, v in WETLAND_GB_2018_HA.items()}
    for k in s0:
        if s0[k]:
            s0[k] = jitter(rng, s0[k], 20)
    for c in WETLAND_CLASSES:
        s0["SD" + c] = land_stocks[2018][c]
    stocks[2018] = s0

    for year in CHANGE_YEARS:
        book = YearBook(year, stocks[year - 1], flows)
        opening = book.opening

        for frm, to, area, cause in land_records[year]:
            if frm in WETLAND_CLASSES:
                book.reduce("SD" + frm, WETLAND_CAUSE_OUT[cause], area)
            if to in WETLAND_CLASSES:
                book.add("SD" + to, WETLAND_CAUSE_IN[cause], area)
        for item, options in WETLAND_GB_FLOWS.items():
            room = opening[item] // 10  # never take more than a tenth in a year
            for cause, direction, pct, lo, hi in options:
                if rng.randrange(100) < pct:
                    value = rng.randint(lo, hi)
                    if direction == "reduce":
                        value = min(value, room)
                        room -= value
                    if value > 0:
                        (book.add if direction == "add" else book.reduce)(item, cause, value)
        stocks[year] = book.closing()
        for c in WETLAND_CLASSES:
            assert stocks[year]["SD" + c] == land_stocks[year][c]
        assert min(stocks[year].values()) >= 0
    return stocks, flows


# ---------------------------------------------------------------------------------------------
# Targets
# ---------------------------------------------------------------------------------------------

SOURCES = {
    ("land", 1): "云岭市土地利用总体规划（2006—2020年）调整完善方案（虚构）",
    ("land", 2): "云岭市“十四五”自然资源保护规划（虚构）",
    ("forest", 1): "云岭市“十三五”林业发展规划（虚构）",
    ("forest", 2): "云岭市“十四五”林业草原保护发展规划（虚构）",
    ("wetland", 1): "云岭市“十三五”湿地保护规划（虚构）",
    ("wetland", 2): "云岭市“十四五”湿地保护规划（虚构）",
    ("water", 1): "云岭市实行最严格水资源管理制度“十三五”控制目标（虚构）",
    ("water", 2): "云岭市实行最严格水资源管理制度“十四五”控制目标（虚构）",
    ("env", 1): "云岭市“十三五”生态环境保护规划（虚构）",
    ("env", 2): "云岭市“十四五”生态环境保护规划（虚构）",
}
PERIODS = {1: (2016, 2020), 2: (2021, 2025)}


def indicator_values(land, forest_s, water_v, wetland_s) -> dict[str, dict[int, int]]:
    """Actual indicator values per year, in hundredths (percent and m³/万元 rounded down)."""
    out: dict[str, dict[int, int]] = {k: {} for k in
                                      ("CULT", "PBF", "FCR", "FSV", "WET", "WU", "WUE", "Q3R", "CON")}
    for y in YEARS:
        out["CULT"][y] = sum(land[y][c] for c in CULT)
        out["PBF"][y] = land[y]["PBF"]
        f3 = sum(forest_s[y][k] for k in ("F11", "F12", "F131", "F2"))
        out["FCR"][y] = f3 * 10000 // TOTAL_H
        out["FSV"][y] = forest_s[y]["V11"] + forest_s[y]["V12"]
        out["WET"][y] = sum(wetland_s[y][k] for k in SD_ITEMS)
        u0 = sum(water_v[y][k] for k in ("U1", "U2", "U3", "U4"))
        out["WU"][y] = u0
        out["WUE"][y] = u0 * 10000 // water_v[y]["GDP"]
        q = [water_v[y][f"Q{i}"] for i in range(1, 7)]
        out["Q3R"][y] = sum(q[:3]) * 10000 // sum(q)
        out["CON"][y] = sum(land[y][c] for c in G2)
    return out


def targets(actual: dict[str, dict[int, int]]) -> list[list[str]]:
    """Targets of both plan periods; values chosen so that only CULT 2023–25 and WU 2022 miss."""
    def years(p):
        return [y for y in YEARS if PERIODS[p][0] <= y <= PERIODS[p][1]]

    def floor_to(v, step):
        return v // step * step

    def ceil_to(v, step):
        return -(-v // step) * step

    cult = actual["CULT"]
    spec = {  # indicator: (op, binding, source key, value period 1, value period 2)
        "CULT": (">=", "yes", "land", floor_to(cult[2020] - 60000, 1000),
                 ceil_to(cult[2023] + 5000, 1000)),
        "PBF": (">=", "yes", "land", floor_to(actual["PBF"][2018] - 20000, 10000),
                floor_to(actual["PBF"][2018] - 8000, 10000)),
        "FCR": (">=", "yes", "forest", floor_to(min(actual["FCR"][y] for y in years(1)) - 40, 10),
                floor_to(min(actual["FCR"][y] for y in years(2)) - 20, 10)),
        "FSV": (">=", "yes", "forest", floor_to(actual["FSV"][2018] - 10000000, 10000000),
                floor_to(actual["FSV"][2021] - 5000000, 10000000)),
        "WET": (">=", "yes", "wetland", floor_to(actual["WET"][2018] - 5000, 1000),
                floor_to(min(actual["WET"][y] for y in years(2)) - 2000, 1000)),
        "WU": ("<=", "yes", "water", 1900000, 1850000),
        "WUE": ("<=", "no", "water", 7500, 6200),
        "Q3R": (">=", "yes", "env", 8000, 8500),
        "CON": ("<=", "yes", "land", ceil_to(max(actual["CON"][y] for y in years(1)) + 40000, 10000),
                ceil_to(actual["CON"][2025] + 30000, 10000)),
    }
    rows = []
    for code, (op, binding, src, v1, v2) in spec.items():
        for p, value in ((1, v1), (2, v2)):
            rows.append([REGION, code, str(PERIODS[p][0]), str(PERIODS[p][1]), op, fmt2(value),
                         binding, SOURCES[(src, p)]])
    return rows


def misses(target_rows, actual) -> list[tuple[str, int, int]]:
    """(indicator, year, hundredths short or over) for every year a target is not met."""
    out = []
    for _, code, y0, y1, op, value, binding, _ in target_rows:
        t = parse_h(value)
        for y in YEARS:
            if int(y0) <= y <= int(y1):
                a = actual[code][y]
                gap = (t - a) if op == ">=" else (a - t)
                if gap > 0:
                    out.append((code, y, gap, binding))
    return out


# ---------------------------------------------------------------------------------------------
# Build all files
# ---------------------------------------------------------------------------------------------

def build() -> dict[str, bytes]:
    """Every sample file: relative path → exact bytes."""
    rng = random.Random(SEED)
    land0 = land_2018(rng)
    land, land_records = land_years(rng, land0)
    pbf = jitter(rng, sum(land0[c] for c in CULT) * PBF_SHARE_PERMILLE // 1000, 2)
    for y in YEARS:
        land[y]["PBF"] = pbf
    forest_s, forest_f = forest(rng, land, land_records)
    water_v, water_f = water(rng)
    wetland_s, wetland_f = wetland(rng, land, land_records)

    files: dict[str, bytes] = {}
    files["regions.csv"] = csv_text(REGION_HEADER, [
        [PREFECTURE, "云岭市（虚构）", "", "", ""],
        [REGION, "青岚县（虚构）", PREFECTURE, fmt2(AREA_KM2_H), "km²"],
    ]).encode("utf-8")

    stock_rows: list[list[str]] = []
    for y in YEARS:
        for c in LAND_LEAVES + ["PBF"]:
            stock_rows.append([REGION, str(y), "land", c, fmt2(land[y][c]), HA])
        for c in FOREST_AREA_LEAVES:
            stock_rows.append([REGION, str(y), "forest", c, fmt2(forest_s[y][c]), HA])
        for c in VOLUME_LEAVES:
            stock_rows.append([REGION, str(y), "forest", c, fmt2(forest_s[y][c]), M3])
        v = water_v[y]
        for c in ["W1", "W2", "W3", "S1", "S2", "S3", "U1", "U2", "U3", "U4"]:
            stock_rows.append([REGION, str(y), "water", c, fmt2(v[c]), WM3])
        for c in ["Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "QF1", "QF2"]:
            stock_rows.append([REGION, str(y), "water", c, str(v[c]), COUNT])
        for c in ["GDP", "IVA"]:
            stock_rows.append([REGION, str(y), "water", c, fmt2(v[c]), WANYUAN])
        stock_rows.append([REGION, str(y), "water", "E3", fmt3(v["E3"]), RATIO])
        for c in list(WETLAND_GB_2018_HA) + SD_ITEMS:
            stock_rows.append([REGION, str(y), "wetland", c, fmt2(wetland_s[y][c]), HA])
    files["stocks.csv"] = csv_text(STOCK_HEADER, stock_rows).encode("utf-8")

    change_rows = []
    for y in CHANGE_YEARS:
        for frm, to, area, cause in land_records[y]:
            change_rows.append([REGION, str(y), frm, to, fmt2(area), cause, HA])
    files["land_changes.csv"] = csv_text(CHANGE_HEADER, change_rows).encode("utf-8")

    flow_rows = []
    order = {
        "forest": FOREST_AREA_LEAVES + VOLUME_LEAVES,
        "water": WATER_STOCKS,
        "wetland": list(WETLAND_GB_2018_HA) + SD_ITEMS,
    }
    cause_order = ["AFF", "GRW", "OCC", "DIS", "HRV", "MRT", "CNV", "PRC", "INF", "RTN", "ABS",
                   "EVP", "OUT", "RST", "DEV", "DEG", "SUR"]
    for y in CHANGE_YEARS:
        for resource, fl in (("forest", forest_f), ("water", water_f), ("wetland", wetland_f)):
            keys = sorted((k for k in fl if k[0] == y), key=lambda k: (
                order[resource].index(k[1]), k[2] != "add", cause_order.index(k[3])))
            for _, item, direction, cause in keys:
                unit = M3 if item in VOLUME_LEAVES else WM3 if resource == "water" else HA
                flow_rows.append([REGION, str(y), resource, item, direction, cause,
                                  fmt2(fl[(y, item, direction, cause)]), unit])
    files["flows.csv"] = csv_text(FLOW_HEADER, flow_rows).encode("utf-8")

    actual = indicator_values(land, forest_s, water_v, wetland_s)
    target_rows = targets(actual)
    files["targets.csv"] = csv_text(TARGET_HEADER, target_rows).encode("utf-8")
    files["officials.csv"] = csv_text(OFFICIAL_HEADER, [list(o) for o in OFFICIALS]).encode("utf-8")

    # Deliberate problems (see module docstring).
    def shifted(resource, year, item, value_h):
        return [REGION, str(year), resource, item, fmt2(value_h),
                HA if resource != "water" else WM3]
    files["problems/stocks_with_errors.csv"] = csv_text(STOCK_HEADER, [
        shifted("land", 2025, "0101", land[2025]["0101"] + 1234),
        shifted("forest", 2025, "F11", forest_s[2025]["F11"] - 25000),
        shifted("wetland", 2024, "SD1106", wetland_s[2024]["SD1106"] + 888),
        shifted("water", 2023, "S1", water_v[2023]["S1"] - 50000),
    ]).encode("utf-8")
    files["problems/bad_import.csv"] = csv_text(CHANGE_HEADER, [
        [REGION, "2021", "0103", "0301", "1.25", "ECO", HA],               # valid
        [REGION, "2021", "0101", "0701", "0.46", "CON", HA],               # valid
        [REGION, "2021", "0199", "0301", "2.00", "ECO", HA],               # unknown class code
        [REGION, "2021", "0101", "0601", "12,3a", "CON", HA],              # non-numeric area
        [REGION, "2021", "0404", "0101", "-3.50", "REC", HA],              # negative area
        [REGION, "", "0101", "1003", "0.80", "CON", HA],                   # empty year
        [REGION, "2099", "0101", "0702", "0.35", "CON", HA],               # year out of range
    ]).encode("utf-8")

    # What Chinese Excel writes: Chinese headers and resource names, GB18030, CRLF, land in 亩.
    zh_resource = {"land": "土地", "forest": "森林", "water": "水资源", "wetland": "湿地"}
    sample = [("land", c) for c in ("0101", "0102", "0103", "0201", "0202", "0301", "0302",
                                    "0404", "0702", "1106")]
    sample += [("forest", c) for c in ("F11", "F12", "V11", "V12")]
    sample += [("water", c) for c in ("S1", "S3", "U1", "GDP")]
    sample += [("wetland", c) for c in ("N2", "SD1106")]
    by_key = {(r[1], r[2], r[3]): r for r in stock_rows}
    zh_rows = []
    for resource, item in sample:
        row = by_key[("2018", resource, item)]
        if resource == "land":
            value, unit = fmt2(parse_h(row[4]) * 15), "亩"
        else:
            value, unit = row[4], row[5]
        zh_rows.append([REGION, "2018", zh_resource[resource], item, value, unit])
    assert len(zh_rows) == 20
    files["examples/stocks_zh.csv"] = csv_text(
        ["区划代码", "年度", "资源", "项目代码", "数值", "单位"], zh_rows, "\r\n").encode("gb18030")
    return files


def write_all() -> dict[str, bytes]:
    files = build()
    for rel, data in files.items():
        path = HERE / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return files


# ---------------------------------------------------------------------------------------------
# Verification: re-read the files and check every invariant in integer hundredths
# ---------------------------------------------------------------------------------------------

_H = re.compile(r"-?\d+\.\d{2}")
_T = re.compile(r"-?\d+\.\d{3}")
_I = re.compile(r"-?\d+")


def parse_h(text: str) -> int:
    """'123.45' → 12345 (exactly two decimals required)."""
    if not _H.fullmatch(text):
        raise ValueError(f"not a 2-decimal number: {text!r}")
    sign = -1 if text.startswith("-") else 1
    whole, frac = text.lstrip("-").split(".")
    return sign * (int(whole) * 100 + int(frac))


def read_csv(rel: str, encoding: str = "utf-8") -> tuple[list[str], list[list[str]]]:
    raw = (HERE / rel).read_bytes()
    text = raw.decode(encoding)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return rows[0], rows[1:]


class Checker:
    def __init__(self) -> None:
        self.failures: list[str] = []

    def check(self, ok: bool, message: str) -> None:
        if not ok:
            self.failures.append(message)


def verify() -> int:
    """Check the files on disk; print a summary; return 0 if all is well, 1 otherwise."""
    ck = Checker()
    c = ck.check

    # The files on disk are exactly what this script generates (determinism, up to date).
    built = build()
    for rel, data in built.items():
        path = HERE / rel
        c(path.is_file() and path.read_bytes() == data, f"{rel}: missing or not what generate.py writes")
        c(not data.startswith(b"\xef\xbb\xbf"), f"{rel}: has a BOM")
        if rel != "examples/stocks_zh.csv":
            c(b"\r" not in data, f"{rel}: has CR line endings")
    c(build() == built, "two builds differ: the generator is not deterministic")

    header, regions = read_csv("regions.csv")
    c(header == REGION_HEADER, "regions.csv header")
    county = [r for r in regions if r[0] == REGION]
    c(len(county) == 1 and parse_h(county[0][3]) * 100 == TOTAL_H and county[0][4] == "km²",
      "regions.csv: county area must be 2386.45 km²")

    # ---- stocks
    header, rows = read_csv("stocks.csv")
    c(header == STOCK_HEADER, "stocks.csv header")
    stock: dict[tuple[str, int, str], int] = {}
    counts = {"Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "QF1", "QF2"}
    for r in rows:
        region, year, resource, item, value, _unit = r
        c(region == REGION, f"stocks.csv: region {region}")
        if item in counts:
            ok = bool(_I.fullmatch(value))
            v = int(value) if ok else 0
        elif item == "E3":
            ok = bool(_T.fullmatch(value))
            v = int(value.replace(".", "")) if ok else 0
        else:
            ok = bool(_H.fullmatch(value))
            v = parse_h(value) if ok else 0
        c(ok, f"stocks.csv: badly formatted value {value!r} for {item}")
        c(v >= 0, f"stocks.csv: negative stock {resource} {item} {year}: {value}")
        key = (resource, int(year), item)
        c(key not in stock, f"stocks.csv: duplicate {key}")
        stock[key] = v
    per_year = len(LAND_LEAVES) + 1 + len(FOREST_AREA_LEAVES) + len(VOLUME_LEAVES) + 21 + \
        len(WETLAND_GB_2018_HA) + len(SD_ITEMS)
    c(len(rows) == per_year * len(YEARS), f"stocks.csv: {len(rows)} rows, expected {per_year * len(YEARS)}")

    def s(resource, year, item):
        return stock[(resource, year, item)]

    for y in YEARS:
        total = sum(s("land", y, k) for k in LAND_LEAVES)
        c(total == TOTAL_H, f"land {y}: classes sum to {fmt2(total)}, area is {fmt2(TOTAL_H)}")
        c(s("land", y, "PBF") < sum(s("land", y, k) for k in CULT), f"PBF ≥ 耕地 in {y}")
        f1 = sum(s("forest", y, k) for k in FOREST_AREA_LEAVES if k != "F2")
        l03 = sum(s("land", y, k) for k in FOREST_LAND)
        c(f1 == l03, f"{y}: forest F1 {fmt2(f1)} ≠ land 03 {fmt2(l03)}")
        for k in WETLAND_CLASSES:
            c(s("wetland", y, "SD" + k) == s("land", y, k), f"{y}: SD{k} ≠ land {k}")
        for k in ZERO_CLASSES:
            c(s("land", y, k) == 0, f"{y}: class {k} should be 0 in an inland county")
        w = {k: s("water", y, k) for k in ("W1", "W2", "W3")}
        c(15000000 <= w["W1"] <= 25000000 and 4000000 <= w["W2"] <= 6000000
          and 3500000 <= w["W3"] <= 5000000 and w["W3"] < w["W2"], f"{y}: water resources out of range")
        u0 = sum(s("water", y, k) for k in ("U1", "U2", "U3", "U4"))
        c(1500000 <= u0 <= 2000000, f"{y}: 用水总量 out of range")
        c(250000000 <= s("water", y, "GDP") <= 400000000, f"{y}: GDP out of range")
        c(520 <= s("water", y, "E3") <= 580, f"{y}: E3 out of range")
        v1 = s("forest", y, "V11") + s("forest", y, "V12")
        c(900000000 <= v1 <= 1100000000, f"{y}: 森林蓄积 {fmt2(v1)} out of 9–11 million m³")
        if y > YEARS[0]:
            c(v1 > s("forest", y - 1, "V11") + s("forest", y - 1, "V12"), f"{y}: 森林蓄积 not growing")

    # ---- land changes: balance per leaf per year
    header, rows = read_csv("land_changes.csv")
    c(header == CHANGE_HEADER, "land_changes.csv header")
    moves: dict[tuple[int, str], int] = {}
    per_year_count: dict[int, int] = {}
    for region, year, frm, to, area, cause, unit in rows:
        y = int(year)
        a = parse_h(area)
        c(region == REGION and unit == HA, "land_changes.csv: region/unit")
        c(frm in LAND_LEAVES and to in LAND_LEAVES and frm != to, f"land change {frm}→{to}")
        c(cause in LAND_CAUSES, f"land change cause {cause}")
        c(1 <= a <= 3000, f"land change area {area} not in 0.01–30 ha")
        moves[(y, frm)] = moves.get((y, frm), 0) - a
        moves[(y, to)] = moves.get((y, to), 0) + a
        per_year_count[y] = per_year_count.get(y, 0) + 1
    for y in CHANGE_YEARS:
        n = per_year_count.get(y, 0)
        c(2500 <= n <= 5000, f"land_changes.csv: {n} records in {y}, expected 2,500–5,000")
        for k in LAND_LEAVES:
            expect = s("land", y - 1, k) + moves.get((y, k), 0)
            c(expect == s("land", y, k),
              f"land {k} {y}: opening + changes = {fmt2(expect)}, closing = {fmt2(s('land', y, k))}")
        c(s("land", y, "PBF") == s("land", y - 1, "PBF"), f"PBF changes in {y} without a flow")
    c(set(per_year_count) == set(CHANGE_YEARS), "land_changes.csv years")

    # ---- flows: every stock leaf of forest, water (S*) and wetland balances
    header, rows = read_csv("flows.csv")
    c(header == FLOW_HEADER, "flows.csv header")
    net: dict[tuple[str, int, str], int] = {}
    seen = set()
    for _region, year, resource, item, direction, cause, value, _unit in rows:
        v = parse_h(value)
        c(v > 0, f"flows.csv: non-positive flow {resource} {item} {year} {cause} {value}")
        c(cause in FLOW_CAUSES[resource][direction], f"flows.csv: {cause} cannot {direction} {resource}")
        if cause in ("AFF", "OCC", "DIS"):
            c(item.startswith("F"), f"flows.csv: {cause} on {item}")
        if cause in ("GRW", "HRV", "MRT"):
            c(item.startswith("V"), f"flows.csv: {cause} on {item}")
        key = (resource, int(year), item, direction, cause)
        c(key not in seen, f"flows.csv: duplicate {key}")
        seen.add(key)
        k = (resource, int(year), item)
        net[k] = net.get(k, 0) + (v if direction == "add" else -v)
    balanced = {"forest": FOREST_AREA_LEAVES + VOLUME_LEAVES, "water": WATER_STOCKS,
                "wetland": list(WETLAND_GB_2018_HA) + SD_ITEMS}
    for resource, items in balanced.items():
        for y in CHANGE_YEARS:
            for item in items:
                expect = s(resource, y - 1, item) + net.get((resource, y, item), 0)
                c(expect == s(resource, y, item),
                  f"{resource} {item} {y}: opening + flows = {fmt2(expect)}, closing = "
                  f"{fmt2(s(resource, y, item))}")
    for (resource, y, item) in net:
        c(item in balanced[resource] and y in CHANGE_YEARS, f"flows.csv: flow on {resource} {item} {y}")
    # SD flows mirror the land transfers into / out of each 00 class.
    for y in CHANGE_YEARS:
        for k in WETLAND_CLASSES:
            c(net.get(("wetland", y, "SD" + k), 0) == moves.get((y, k), 0), f"SD{k} {y} flows ≠ land")

    # ---- targets: the intended story
    header, trows = read_csv("targets.csv")
    c(header == TARGET_HEADER and len(trows) == 18, "targets.csv header/rows")
    land = {y: {k: s("land", y, k) for k in LAND_LEAVES + ["PBF"]} for y in YEARS}
    forest_s = {y: {k: s("forest", y, k) for k in FOREST_AREA_LEAVES + VOLUME_LEAVES} for y in YEARS}
    water_v = {y: {k: s("water", y, k) for k in ("U1", "U2", "U3", "U4", "GDP") + tuple(
        f"Q{i}" for i in range(1, 7))} for y in YEARS}
    wetland_s = {y: {k: s("wetland", y, k) for k in SD_ITEMS} for y in YEARS}
    actual = indicator_values(land, forest_s, water_v, wetland_s)
    for y in YEARS:
        c(5200 <= actual["FCR"][y] <= 5500, f"{y}: 森林覆盖率 {fmt2(actual['FCR'][y])} % not 52–55")
    missed = misses(trows, actual)
    cult = [(y, gap) for code, y, gap, _ in missed if code == "CULT"]
    wu = [(y, gap) for code, y, gap, _ in missed if code == "WU"]
    others = [m for m in missed if m[0] not in ("CULT", "WU") and m[3] == "yes"]
    c([y for y, _ in cult] == [2023, 2024, 2025] and all(5000 <= g <= 20000 for _, g in cult),
      f"CULT misses {cult}: expected 2023–2025 by 50–200 ha")
    c(len(wu) == 1 and wu[0][0] == 2022, f"WU misses {wu}: expected 2022 only")
    c(not others, f"unexpected missed binding targets {others}")

    # ---- officials, problems, examples
    header, orows = read_csv("officials.csv")
    c(header == OFFICIAL_HEADER and len(orows) == 3 and orows[2][5] == "", "officials.csv")
    header, prows = read_csv("problems/stocks_with_errors.csv")
    c(header == STOCK_HEADER and len(prows) == 4, "problems/stocks_with_errors.csv")
    for _region, year, resource, item, value, _unit in prows:
        key = (resource, int(year), item)
        c(key in stock and stock[key] != parse_h(value), f"problem row {key} must alter a clean value")
    header, brows = read_csv("problems/bad_import.csv")
    c(header == CHANGE_HEADER and len(brows) == 7, "problems/bad_import.csv")
    raw = (HERE / "examples/stocks_zh.csv").read_bytes()
    c(b"\r\n" in raw and not raw.startswith(b"\xef\xbb\xbf"), "stocks_zh.csv: CRLF, no BOM")
    header, zrows = read_csv("examples/stocks_zh.csv", "gb18030")
    c(header == ["区划代码", "年度", "资源", "项目代码", "数值", "单位"] and len(zrows) == 20, "stocks_zh.csv")
    zh = {"土地": "land", "森林": "forest", "水资源": "water", "湿地": "wetland"}
    for _region, year, resource, item, value, unit in zrows:
        v = parse_h(value)
        clean = stock[(zh[resource], int(year), item)]
        c((v == clean * 15) if unit == "亩" else (v == clean), f"stocks_zh.csv {item} ≠ stocks.csv")

    if ck.failures:
        print(f"verify: {len(ck.failures)} problem(s)")
        for f in ck.failures[:50]:
            print("  -", f)
        return 1
    print("verify: all checks passed")
    for y in (2018, 2025):
        firsts = {}
        for k in LAND_LEAVES:
            firsts[FIRST_LEVEL[k]] = firsts.get(FIRST_LEVEL[k], 0) + s("land", y, k)
        print(f"  land {y}: " + ", ".join(f"{k} {FIRST_LEVEL_NAMES[k]} {fmt2(v)}"
                                          for k, v in sorted(firsts.items())))
    for code, y, gap, binding in missed:
        print(f"  target missed: {code} {y} by {fmt2(gap)} (binding={binding})")
    return 0


def main(argv: list[str]) -> int:
    if argv[1:] == ["--verify"]:
        return verify()
    if argv[1:]:
        print("usage: python sample_data/generate.py [--verify]", file=sys.stderr)
        return 2
    files = write_all()
    for rel, data in files.items():
        print(f"wrote {rel} ({len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
