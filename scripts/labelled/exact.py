"""Exact numbers for the labelled-corpus generator.

Every amount of a generated report comes from an exact hidden value (元,
to the fen); what the report states is that value correctly rounded, so
every relation between the stated figures holds within rounding. A planted
error is a stated figure moved outside the interval its relation allows;
`interval()` and the `*_holds` helpers check, with the same semantics as
jixiao (a stated number is the half-open interval it rounds from), that a
plant really breaks its relation and that a trap really does not.
"""
from decimal import ROUND_HALF_UP, Decimal as D

FULLWIDTH = str.maketrans("0123456789.%,", "０１２３４５６７８９．％，")
CN_DIGITS = "零一二三四五六七八九"


def q(x: D, places: int) -> D:
    """x rounded half-up to `places` decimals."""
    return x.quantize(D(1).scaleb(-places), rounding=ROUND_HALF_UP)


def plain(x: D, places: int) -> str:
    """x rounded and written with exactly `places` decimals, no separators."""
    return f"{q(x, places):f}"


def trim(s: str) -> str:
    """'10590.20' → '10590.2', '12.00' → '12' (how many reports write them)."""
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def thousands(s: str) -> str:
    sign = "-" if s.startswith("-") else ""
    s = s.lstrip("-")
    whole, _, frac = s.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + ",".join(groups) + ("." + frac if frac else "")


def interval(stated: str):
    """The half-open interval [lo, hi) a stated figure rounds from."""
    s = stated.replace(",", "")
    d = D(s)
    places = len(s.partition(".")[2])
    half = D(5).scaleb(-places - 1)
    return d - half, d + half


def cn_count(n: int, liang: bool = False) -> str:
    """Chinese numeral for a count below 100: 3 → 三, 23 → 二十三, 2 → 两."""
    if n == 2 and liang:
        return "两"
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else CN_DIGITS[tens]
    return head + "十" + (CN_DIGITS[ones] if ones else "")


def sum_holds(parts, total) -> bool:
    """Stated parts can add up to the stated total (all strings)."""
    lo = sum(interval(p)[0] for p in parts)
    hi = sum(interval(p)[1] for p in parts)
    tlo, thi = interval(total)
    return lo < thi and tlo < hi


def ratio_percent_range(num: str, den: str):
    """The range of 100 × num ÷ den over the stated intervals (den > 0)."""
    nlo, nhi = interval(num)
    dlo, dhi = interval(den)
    return 100 * nlo / dhi, 100 * nhi / dlo


def share_holds(part: str, total: str, share: str) -> bool:
    lo, hi = ratio_percent_range(part, total)
    slo, shi = interval(share)
    return lo < shi and slo < hi


def shares_hundred_holds(shares) -> bool:
    lo = sum(interval(s)[0] for s in shares)
    hi = sum(interval(s)[1] for s in shares)
    return lo <= 100 <= hi


def rate_score_holds(points: str, rate: str, score: str) -> bool:
    """score = points × rate / 100, capped at the points. The points are
    the indicator's weight, exact (10 is 10, not anything from 9.5 to 10.5)."""
    p = D(points)
    rlo, rhi = interval(rate)
    lo, hi = p * rlo / 100, p * rhi / 100
    lo, hi = min(lo, D(points)), min(hi, D(points))
    slo, shi = interval(score)
    return lo < shi and slo <= hi


def diff_holds(a: str, b: str, d: str) -> bool:
    """a − b can be d (all stated)."""
    alo, ahi = interval(a)
    blo, bhi = interval(b)
    dlo, dhi = interval(d)
    return alo - bhi < dhi and dlo < ahi - blo
