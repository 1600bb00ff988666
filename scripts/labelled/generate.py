#!/usr/bin/env python3
"""Generate the labelled corpus: reports of the three kinds a finance bureau
receives, with known planted errors, as producer inputs plus their labels.

    generate.py build BUILD_DIR [N [FIRST]]
                                      write documents FIRST..N (1-based; default
                                      1..66) into BUILD_DIR: NAME.{docx,html,tex}
                                      for its producer, NAME.meta.json (labels
                                      without pages), manifest.tsv (name,
                                      producer, input); document k is the same
                                      whatever FIRST and N (a held-out set is
                                      FIRST=67 N=132, unseen by 1..66)
    generate.py locate BUILD_DIR OUT  after the producers ran (BUILD_DIR/NAME.pdf):
                                      find each label's page with pdftotext and
                                      write OUT/NAME.pdf and OUT/NAME.labels.json

Deterministic: one fixed seed; document i uses random.Random(SEED * 1000 + i).

How the labels are the truth: every report is drawn from an exact hidden
world (amounts in fen, indicator scores, counts), and every figure it states
is that world correctly rounded — so every relation between its figures
holds within rounding (the traps a naive checker trips on: shares like
33.33%, rates like 99.85%, 万元 restatements of 元 amounts, rounded parts
whose sum is 0.01 off the rounded total). A planted error then moves one
statement so that exactly one relation breaks — chosen so that nothing else
depends on it (a restated total that nothing is added to, a deduction
stated only in its reason, a score whose parent and total are recomputed
from it) — and the label records that rule, the wrong figure as written,
and the sentence or table row that holds it. exact.py checks with
interval arithmetic that the plant does break its relation.
"""
import json
import random
import sys
from decimal import Decimal as D
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import render  # noqa: E402
from exact import (  # noqa: E402
    cn_count, diff_holds, interval, plain, q, rate_score_holds, share_holds,
    shares_hundred_holds, sum_holds, thousands, trim, FULLWIDTH,
)

SEED = 20240301
PRODUCERS = ["libreoffice", "chromium-wqy", "chromium-noto", "xelatex"]
KINDS = ["department_overall", "project", "final_accounts"]
GRADES = [(D(90), "优"), (D(80), "良"), (D(60), "中"), (D(0), "差")]

CITIES = ["广州市", "深圳市", "佛山市", "东莞市", "珠海市", "惠州市", "江门市", "肇庆市",
          "韶关市", "湛江市", "杭州市", "宁波市", "成都市", "武汉市", "长沙市", "南宁市",
          "昆明市", "合肥市", "南昌市", "福州市"]
DISTRICTS = ["天河区", "越秀区", "海珠区", "南山区", "福田区", "禅城区", "南海区", "香洲区",
             "武侯区", "江汉区", "岳麓区", "西湖区", "鼓楼区", "白云区", "番禺区"]
# (agency, how it calls itself, its field of work)
AGENCIES = [
    ("档案馆", "本馆", "档案收集、保管和利用"), ("图书馆", "本馆", "公共阅读服务"),
    ("文化馆", "本馆", "群众文化活动"), ("博物馆", "本馆", "文物保护和陈列展览"),
    ("民政局", "本局", "社会救助和养老服务"), ("司法局", "本局", "公共法律服务"),
    ("体育局", "本局", "全民健身和竞技体育"), ("交通运输局", "本局", "交通基础设施养护"),
    ("生态环境局", "本局", "生态环境保护和监测"), ("农业农村局", "本局", "农业生产和乡村建设"),
    ("水务局", "本局", "水资源管理和防汛"), ("科学技术局", "本局", "科技创新和成果转化"),
    ("市场监督管理局", "本局", "市场主体登记和质量监管"), ("卫生健康委员会", "本委", "公共卫生和医疗服务"),
    ("人力资源和社会保障局", "本局", "就业和社会保障"), ("统计局", "本局", "统计调查和数据发布"),
    ("城市管理和综合执法局", "本局", "市容环境和城市管理"), ("退役军人事务局", "本局", "退役军人服务保障"),
]
SUBUNITS = ["服务中心", "信息中心", "发展中心", "技术保障中心", "宣传教育中心"]
L1_PROJECTS = ["运行经费", "业务工作经费", "信息化运行维护经费", "信息化建设开发经费",
               "房屋维护维修经费", "专项业务经费", "公共服务经费", "设备购置经费",
               "宣传教育经费", "人才队伍建设经费"]
L2_PROJECTS = ["物业管理费", "水电费", "业务用房租赁费", "安保服务费", "系统运维项目",
               "数据中心运维项目", "网络安全服务项目", "办公设备购置", "数字化加工项目",
               "宣传活动经费", "业务培训经费", "课题研究经费", "专家咨询费", "车辆运行维护费",
               "设备维保项目", "展览策划经费", "应急物资储备经费", "绿化养护费", "节能改造项目"]
PROJECT_NAMES = ["城乡低保资金发放", "智慧档案馆建设", "公共文化服务体系建设", "老旧小区改造",
                 "农村公路养护", "全民健身设施建设", "生态环境监测能力建设", "基层医疗卫生服务能力提升",
                 "公共法律服务体系建设", "就业创业补贴", "防汛抗旱设施维护", "科技创新券补助",
                 "食品安全抽检", "退役军人就业培训", "统计调查专项", "城市道路照明维护"]
MGMT_GROUPS = [
    ("预算编制", ["新增预算项目事前绩效评估", "预算编制准确率"]),
    ("预算执行", ["结转结余率", "财务管理合规性", "预算调整率"]),
    ("信息公开", ["预决算公开合规性", "绩效信息公开情况"]),
    ("绩效管理", ["绩效管理制度建设", "绩效结果应用", "绩效管理制度执行"]),
    ("采购管理", ["采购意向公开合规性", "采购内控制度建设", "采购活动合规性", "合同备案时效性", "采购政策效能"]),
    ("资产管理", ["资产配置合规性", "资产盘点情况", "数据质量", "固定资产利用率"]),
    ("运行成本", ["公用经费控制率", "“三公”经费控制情况"]),
]
# project indicators: level 2 → [(level 3, target, actual-if-met)]
PROJ_IND = {
    "产出指标": [
        ("数量指标", [("开展业务培训场次", "≥{n}场", "{m}场"), ("服务对象人次", "≥{n}人次", "{m}人次"),
                     ("完成设备采购数量", "{n}台", "{m}台"), ("新建服务站点数量", "{n}个", "{m}个")]),
        ("质量指标", [("验收合格率", "100%", "100%"), ("数据准确率", "≥98%", "99.2%"), ("服务达标率", "≥95%", "97%")]),
        ("时效指标", [("项目完成及时率", "100%", "100%"), ("资金支付及时性", "按合同约定支付", "按时支付")]),
        ("成本指标", [("项目成本控制", "≤预算数", "未超预算")]),
    ],
    "效益指标": [
        ("社会效益指标", [("群众办事便利度", "明显提升", "明显提升"), ("政策知晓率", "≥90%", "92%")]),
        ("可持续影响指标", [("长效管理机制建立", "建立", "已建立"), ("设施持续稳定运行", "≥3年", "稳定运行")]),
    ],
    "满意度指标": [
        ("服务对象满意度指标", [("服务对象满意度", "≥90%", "95.6%"), ("群众满意度", "≥85%", "93%")]),
    ],
}
REASONS = ["部分合同备案存在逾期情况", "个别项目资料归档不及时", "跨年度项目时效指标仅部分达成预期",
           "部分项目绩效自评结果未在规定时限内公开", "个别采购项目验收延迟", "受天气影响部分工程进度滞后",
           "部分设备到货时间晚于计划", "资产卡片信息更新不及时", "年中预算调整幅度较大"]
FILLER = ["我们将进一步加强预算绩效管理，强化绩效目标设置的科学性，提高财政资金使用效益。",
          "下一步，将加强对项目执行进度的跟踪监控，对发现的问题及时整改，确保绩效目标如期实现。",
          "同时，积极参加财政部门组织的绩效管理业务培训，学习先进单位的经验做法，提升绩效管理工作水平。",
          "各项资金均按规定用途使用，未发现截留、挤占、挪用等情况。"]


def grade_of(score: D) -> str:
    for floor, g in GRADES:
        if score >= floor:
            return g
    return "差"


class Style:
    """How one author writes numbers and phrases (fixed per document)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.num = rng.choices(["plain", "thousands", "fullwidth"], [0.6, 0.28, 0.12])[0]
        self.space = rng.random() < 0.3          # a space between number and unit
        self.trim = rng.random() < 0.35          # 10590.20 written 10590.2
        self.cn_counts = rng.random() < 0.35     # 三级指标二十三个
        self.unit_once = rng.random() < 0.5      # 分别为 1.2、3.4 和 5.6 万元
        self.share = rng.choice(["占{t}的{p}", "占比{p}", "比重为{p}", "占{p}"])
        self.score_w = rng.choice(["得分{s}分", "得{s}分", "评分为{s}分", "自评得分{s}分"])
        self.ded_w = rng.choice(["扣{d}分", "扣减{d}分"])
        self.pts_w = rng.choice(["分值{p}分", "权重{p}分", "满分{p}分"])

    # numbers ---------------------------------------------------------
    def numtext(self, s: str, allow_trim=True) -> str:
        if self.trim and allow_trim:
            s = trim(s)
        if self.num == "thousands":
            s = thousands(s)
        elif self.num == "fullwidth":
            s = s.translate(FULLWIDTH)
        return s

    def unit(self, num: str, unit: str) -> str:
        return num + (" " if self.space else "") + unit

    def wan(self, yuan: D, places=2):
        """(text, stated) of an amount in 万元."""
        stated = plain(yuan / 10000, places)
        return self.unit(self.numtext(stated), "万元"), stated

    def pct(self, value: D, places=2):
        stated = plain(value, places)
        text = self.numtext(stated, allow_trim=False) + ("％" if self.num == "fullwidth" else "%")
        return text, stated

    def score(self, s: D) -> str:
        return self.numtext(trim(f"{s:f}"), allow_trim=False)

    def count(self, n: int) -> str:
        if self.cn_counts:
            return cn_count(n, liang=self.rng.random() < 0.5)
        return self.numtext(str(n), allow_trim=False)

    def share_phrase(self, total_name: str, pct_text: str) -> str:
        return self.share.format(t=total_name, p=pct_text)


def split_amount(rng, total_fen: int, weights):
    """Split an integer number of fen into parts proportional to weights."""
    s = sum(weights)
    parts = [int(total_fen * w / s) for w in weights]
    parts[0] += total_fen - sum(parts)
    return parts


def split_points(rng, total: int, n: int):
    """n positive integer points adding up to total."""
    while True:
        cuts = sorted(rng.sample(range(1, total), n - 1)) if n > 1 else []
        pts = [b - a for a, b in zip([0] + cuts, cuts + [total])]
        if min(pts) >= 1 and max(pts) <= max(20, total // 2):
            return [D(p) for p in pts]


class Doc:
    def __init__(self, name, kind, producer, org, year, rng):
        self.name, self.kind, self.producer, self.org, self.year = name, kind, producer, org, year
        self.rng = rng
        self.style = Style(rng)
        self.blocks = []
        self.expected = []
        self.traps = []
        self.title = ""

    def add(self, kind, payload):
        self.blocks.append((kind, payload))

    def label(self, rule, stated, quote, note):
        self.expected.append({"rule": rule, "stated": stated, "quote": quote, "note": note})

    def trap(self, quote, note):
        self.traps.append({"quote": quote, "note": note})

    def text(self) -> str:
        out = []
        for kind, payload in self.blocks:
            if kind == "table":
                out.append(payload["caption"])
                out.extend(" ".join(c for c in row if c) for row in [payload["header"]] + payload["rows"])
            else:
                out.append(payload)
        return "\n".join(out)

    def check_quotes(self):
        text = self.text()
        for item in self.expected + self.traps:
            assert item["quote"] in text, (self.name, item["quote"])


def clause_of(text: str, needle: str) -> str:
    """The clause of `text` (between 。；：) that holds `needle`."""
    i = text.index(needle)
    start = max(text.rfind(c, 0, i) for c in "。；：") + 1
    ends = [j for j in (text.find(c, i + len(needle)) for c in "。；") if j >= 0]
    end = min(ends) if ends else len(text)
    return text[start:end].strip()


def moved(stated: str, rng, lo_frac=0.02, hi_frac=0.2, min_step=None) -> str:
    """A different value with the same number of decimals, clearly off."""
    places = len(stated.partition(".")[2])
    v = D(stated)
    step = min_step if min_step is not None else D(1).scaleb(-places) * 7
    delta = max(abs(v) * D(rng.uniform(lo_frac, hi_frac)), step)
    new = v + delta if rng.random() < 0.5 or v - delta <= 0 else v - delta
    return plain(new, places)


# =================================================================== indicator trees

class Leaf:
    def __init__(self, name, points, score, reason="", rate_based=False):
        self.name, self.points, self.score = name, points, score
        self.reason = reason
        self.rate_based = rate_based
        self.ded_stated = None    # a planted deduction (SCR002); else points − score
        self.explicit = False     # state the score even at full marks

    @property
    def ded(self):
        return self.points - self.score

    def ded_text(self):
        return self.ded_stated if self.ded_stated is not None else self.ded


def leaf_scores(rng, leaves, deduct_prob=0.3):
    for lf in leaves:
        if not lf.rate_based and rng.random() < deduct_prob:
            d = rng.choice([D("0.5"), D(1), D("0.25"), D("0.3"), D("1.5"), D("0.2")])
            if d < lf.points:
                lf.score = lf.points - d
                lf.reason = rng.choice(REASONS)


def tree_total(tree):
    return sum((l.score for l1 in tree for g in l1["groups"] for l in g["items"]), D(0))


def l1_score(l1):
    return sum((l.score for g in l1["groups"] for l in g["items"]), D(0))


def l1_points(l1):
    return sum((l.points for g in l1["groups"] for l in g["items"]), D(0))


def leaves_of(tree):
    return [l for l1 in tree for g in l1["groups"] for l in g["items"]]


# =================================================================== department_overall

def dept_tree(rng, variant, rate_exact):
    def rate_leaf(name, pts):
        lf = Leaf(name, pts, min(pts, q(pts * rate_exact / 100, 2)), rate_based=True)
        return lf

    tree = []
    if variant == "A":
        out = [Leaf("部门整体绩效目标产出指标完成情况", D(20), D(20)),
               Leaf("部门整体绩效目标效益指标完成情况", D(20), D(20)),
               rate_leaf("部门预算资金支出率", D(10))]
        leaf_scores(rng, out[:2], 0.5)
        tree.append({"name": "履职效能", "points": D(50), "groups": [{"name": "部门整体绩效目标", "items": out}]})
        groups = rng.sample(MGMT_GROUPS, rng.randint(4, 7))
        groups = [g for g in MGMT_GROUPS if g in groups]
        names = [(g, n) for g, ns in groups for n in rng.sample(ns, rng.randint(1, len(ns)))]
        pts = split_points(rng, 50, len(names))
        items = [Leaf(n, p, p) for (g, n), p in zip(names, pts)]
        leaf_scores(rng, items, 0.25)
        gl = []
        for (g, _), lf in zip(names, items):
            if gl and gl[-1]["name"] == g:
                gl[-1]["items"].append(lf)
            else:
                gl.append({"name": g, "items": [lf]})
        tree.append({"name": "管理效率", "points": D(50), "groups": gl})
    else:
        tree.append({"name": "预算执行", "points": D(10),
                     "groups": [{"name": "预算执行率", "items": [rate_leaf("预算执行率", D(10))]}]})
        for l1, total in (("产出指标", 50), ("效益指标", 30), ("满意度指标", 10)):
            spec = PROJ_IND[l1]
            chosen = [(g, n) for g, items in spec for (n, _, _) in rng.sample(items, rng.randint(1, min(2, len(items))))]
            pts = split_points(rng, total, len(chosen)) if len(chosen) > 1 else [D(total)]
            leaves = [Leaf(n, p, p) for (g, n), p in zip(chosen, pts)]
            leaf_scores(rng, leaves, 0.35)
            gl = []
            for (g, _), lf in zip(chosen, leaves):
                if gl and gl[-1]["name"] == g:
                    gl[-1]["items"].append(lf)
                else:
                    gl.append({"name": g, "items": [lf]})
            tree.append({"name": l1, "points": D(total), "groups": gl})
    return tree


def leaf_clause(st: Style, lf: Leaf, rate_text: str) -> str:
    s = f"{lf.name}{st.pts_w.format(p=st.score(lf.points))}，{st.score_w.format(s=st.score(lf.score))}"
    d = lf.ded_text()
    if d > 0 or lf.ded_stated is not None:
        s += f"，{st.ded_w.format(d=st.score(d))}的主要原因"
        if lf.rate_based:
            s += f"为预算资金支出进度为{rate_text}，未达100%"
        else:
            s += f"是{lf.reason}"
    return s


def group_line(st: Style, i: int, g, rate_text: str) -> str:
    """'1. 二级指标预算执行，三级指标结转结余率、财务管理合规性分值各2分，得满分；'"""
    full = [lf for lf in g["items"] if lf.score == lf.points and not lf.explicit and not lf.rate_based]
    other = [lf for lf in g["items"] if lf not in full]
    parts = []
    if full:
        if len({lf.points for lf in full}) == 1 and len(full) > 1:
            parts.append("、".join(lf.name for lf in full) + f"分值各{st.score(full[0].points)}分，得满分")
        elif len(full) == 1:
            parts.append(f"{full[0].name}{st.pts_w.format(p=st.score(full[0].points))}，得满分")
        else:
            parts.append("、".join(f"{lf.name}{st.pts_w.format(p=st.score(lf.points))}" for lf in full) + "，均为满分")
    parts.extend(leaf_clause(st, lf, rate_text) for lf in other)
    return f"{i}.二级指标{g['name']}，三级指标" + "；".join(parts) + "。"


def build_department(doc: Doc):
    rng, st, org, year = doc.rng, doc.style, doc.org, doc.year
    me = doc.me
    plants = doc.plants
    variant = rng.choice("AB")
    as_table = variant == "B" and rng.random() < 0.6 or variant == "A" and rng.random() < 0.2
    doc.title = f"{year}年度{org}部门整体支出绩效自评报告"
    doc.add("title", doc.title)

    # ------------------------------------------------ the world
    scale = rng.choice([300, 800, 1500, 3000, 6000, 12000, 30000])
    exp_total = int(rng.uniform(0.6, 1.4) * scale * 1_000_000)  # fen (万元 × 1e6)
    basic_w = rng.uniform(0.35, 0.75)
    basic, proj = split_amount(rng, exp_total, [basic_w, 1 - basic_w])
    inc_total = exp_total + rng.choice([0, 0, int(exp_total * rng.uniform(0.001, 0.03))])
    inc_names = ["一般公共预算财政拨款收入"] + (["事业收入"] if rng.random() < 0.4 else []) + ["其他收入"]
    inc_w = [rng.uniform(0.85, 0.99)] + [rng.uniform(0.005, 0.1) for _ in inc_names[1:]]
    inc = split_amount(rng, inc_total, inc_w)
    budget = int(exp_total / rng.uniform(0.93, 0.9995))
    rate_exact = D(exp_total) * 100 / D(budget)
    rate_text, rate_stated = st.pct(rate_exact)
    tree = dept_tree(rng, variant, rate_exact)

    # projects (一级项目 of the unit and maybe one subordinate unit)
    units = [f"{org}（本级）"]
    if rng.random() < 0.5:
        units.append(f"下属单位{org}{rng.choice(SUBUNITS)}")
    n_proj = [rng.randint(2, 4)] + [rng.randint(1, 2) for _ in units[1:]]
    proj_amounts = split_amount(rng, proj, [rng.uniform(0.2, 1) for _ in range(sum(n_proj))])
    projects = []
    k = 0
    pool = rng.sample(L1_PROJECTS, len(L1_PROJECTS))
    for u, n in zip(units, n_proj):
        ps = []
        for j in range(n):
            subs = rng.sample(L2_PROJECTS, rng.randint(1, 4))
            ps.append({"name": pool[k % len(pool)], "amount": proj_amounts[k], "subs": subs})
            k += 1
        projects.append((u, ps))
    # (a SUM001 plant needs a project that is not one of them)
    key_projects = rng.sample([p for _, ps in projects for p in ps],
                              min(2, sum(n_proj) - ("SUM001" in plants)))

    # ------------------------------------------------ plants on the world (leaves first)
    st_rate_text = rate_text
    if "SCR004" in plants:
        lf = next(l for l in leaves_of(tree) if l.rate_based)
        lf.score = lf.score - rng.choice([D("0.1"), D("0.2"), D("0.5"), D("0.3")])
        lf.explicit = True
        doc.scr004 = lf
    if "SCR001" in plants:
        # a leaf at full marks, in a level-1 indicator that lost points
        # elsewhere: raising it keeps the level-1 score within its points
        cands = []
        for l1 in tree:
            lost = l1_points(l1) - l1_score(l1)
            for lf in (l for g in l1["groups"] for l in g["items"]):
                if lf.score == lf.points and not lf.rate_based and lost >= D("0.5"):
                    cands.append((l1, lf, lost))
        if cands:
            l1, lf, lost = rng.choice(cands)
            excess = min(lost, rng.choice([D("0.5"), D(1), D(2)]))
            lf.score = lf.points + excess
            lf.explicit = True
            lf.ded_stated = None
            doc.scr001 = (l1, lf)
        else:
            plants.discard("SCR001")
    if "SCR002" in plants:
        cands = [l for l in leaves_of(tree) if l.ded > 0 and not l.rate_based and l.score <= l.points]
        if cands:
            lf = rng.choice(cands)
            lf.ded_stated = lf.ded + rng.choice([D("0.5"), D(1), D("0.2"), D("-0.1")])
            if lf.ded_stated <= 0:
                lf.ded_stated = lf.ded + D(1)
            doc.scr002 = lf
        else:
            plants.discard("SCR002")

    total = tree_total(tree)
    grade = grade_of(total)
    stated_total = total
    if "SCR003" in plants:
        for _ in range(20):
            t2 = total + rng.choice([D("-1"), D("0.5"), D("-0.5"), D("1.2"), D("-2")])
            if grade_of(t2) == grade and t2 <= 100:
                stated_total = t2
                break
        else:
            plants.discard("SCR003")
    stated_grade = grade
    if "GRD001" in plants:
        stated_grade = "良" if grade == "优" else "优"

    # ------------------------------------------------ 一、基本情况
    doc.add("h1", "一、基本情况")
    doc.add("h2", "（一）部门职能")
    doc.add("p", f"{org}主要负责本地区{doc.field}等工作，内设机构{st.count(rng.randint(4, 9))}个。"
                 f"{year}年，{me}围绕年度重点工作任务，加强预算管理，推进各项工作有序开展。")
    doc.add("h2", "（二）部门整体收支情况")
    t_inc, s_inc = st.wan(D(inc_total) / 100)
    t_exp, s_exp = st.wan(D(exp_total) / 100)
    inc_texts = [st.wan(D(v) / 100) for v in inc]
    inc_share = [st.pct(D(v) * 100 / inc_total) for v in inc]
    exp_parts = [("基本支出", basic), ("项目支出", proj)]
    exp_texts = [st.wan(D(v) / 100) for _, v in exp_parts]
    exp_share = [st.pct(D(v) * 100 / exp_total) for _, v in exp_parts]
    if "PCT001" in plants:
        # both shares of the two-part expenditure split move by the same
        # amount in opposite directions: each is wrong, they still add to 100
        delta = rng.choice([D("0.4"), D("1.1"), D("2.35"), D("0.27")])
        a, b = D(exp_share[0][1]) + delta, D(exp_share[1][1]) - delta
        if b <= 0:
            a, b = D(exp_share[0][1]) - delta, D(exp_share[1][1]) + delta
        exp_share = [st.pct(a), st.pct(b)]
        for (name, v), (_, s) in zip(exp_parts, exp_share):
            assert not share_holds(plain(D(v) / 1_000_000, 2), s_exp, s)
    inc_clauses = "，".join(
        f"{n}{t}，{st.share_phrase('总收入', p)}" for n, (t, _), (p, _) in zip(inc_names, inc_texts, inc_share))
    exp_clauses = "，".join(
        f"{n}{t}，{st.share_phrase('总支出', p)}" for (n, _), (t, _), (p, _) in zip(exp_parts, exp_texts, exp_share))
    para = (f"{year}年{org}收入合计{t_inc}，其中{inc_clauses}；支出合计{t_exp}，其中{exp_clauses}。"
            f"年度支出进度为{rate_text}。")
    doc.add("p", para)
    if "PCT001" in plants:
        for (n, _), (t, _), (p, s) in zip(exp_parts, exp_texts, exp_share):
            doc.label("PCT001", s, f"{n}{t}，{st.share_phrase('总支出', p)}",
                      "planted: both shares of the expenditure split moved in opposite directions")
    for (t, s), (p, ps), v in zip(inc_texts, inc_share, inc):
        if D(v) * 100 / inc_total != D(ps):
            doc.trap(f"{p}", f"share {ps}% is {D(v) * 100 / inc_total:.6f}% rounded: must not fire")
            break
    if sum(D(s) for _, s in exp_texts) != D(s_exp):
        doc.trap(t_exp, f"基本支出 + 项目支出 as stated = {sum(D(s) for _, s in exp_texts)}, total {s_exp}: rounding only")

    # table of the same figures, in 元 or 万元
    in_yuan = rng.random() < 0.5
    unit = "元" if in_yuan else "万元"

    def cell(fen):
        s = plain(D(fen) / 100, 2) if in_yuan else plain(D(fen) / 1_000_000, 2)
        return st.numtext(s, allow_trim=not in_yuan) if st.num != "fullwidth" else (thousands(s) if in_yuan else s)

    rows = [["收入合计", cell(inc_total), "100%"]]
    rows += [[n, cell(v), p] for n, v, (p, _) in zip(inc_names, inc, inc_share)]
    rows += [["支出合计", cell(exp_total), "100%"]]
    rows += [[n, cell(v), p] for (n, v), (p, _) in zip(exp_parts, exp_share)]
    doc.add("table", {"caption": f"表1 {year}年部门整体收支情况（单位：{unit}）",
                      "header": ["项目", "金额", "占比"], "rows": rows, "widths": [7, 4, 3]})
    if in_yuan:
        doc.trap(" ".join(rows[0]), f"收入合计 in 元 in the table, {s_inc} 万元 in the text: the same amount")

    # key projects with budget, execution and rate (RATE001)
    doc.add("h2", "（三）重点项目执行情况")
    sents = []
    for i, p in enumerate(key_projects):
        pb = int(p["amount"] / rng.uniform(0.9, 0.999))
        r_exact = D(p["amount"]) * 100 / pb
        rt, rs = st.pct(r_exact, rng.choice([1, 2]))
        bt, bs = st.wan(D(pb) / 100)
        et, es = st.wan(D(p["amount"]) / 100)
        planted = "RATE001" in plants and i == 0
        if planted:
            rs = moved(rs, rng, 0.01, 0.05, D("0.8"))
            rt = st.pct(D(rs), len(rs.partition(".")[2]))[0]
            assert not share_holds(es, bs, rs)
        s = f"（{i + 1}）{p['name']}：全年预算数{bt}，执行数{et}，执行率{rt}"
        sents.append(s)
        if planted:
            doc.label("RATE001", rs, s, "planted: an execution rate that is not 执行数 ÷ 预算数")
        elif D(rs) != r_exact:
            doc.trap(s, f"rate {rs}% is {r_exact:.5f}% rounded: must not fire")
    doc.add("p", "；".join(sents) + "。")

    # ------------------------------------------------ 二、绩效自评情况
    doc.add("h1", "二、绩效自评情况")
    doc.add("h2", "（一）自评结论")
    t_tot = st.score(stated_total)
    concl = rng.choice([
        f"对相关自评材料进行分析和评判，{year}年度{me}基本实现了年度总体绩效目标，整体支出绩效自评为{t_tot}分，绩效等级为{stated_grade}。",
        f"经综合评价，{year}年度{me}部门整体支出绩效自评得分{t_tot}分，评价等级为“{stated_grade}”。",
    ])
    if rng.random() < 0.4:
        concl = "根据绩效自评工作要求，自评结果分为四个等级：90分（含）以上为优，80分（含）至90分为良，60分（含）至80分为中，60分以下为差。" + concl
    doc.add("p", concl)
    q_tot = clause_of(concl, f"{t_tot}分")
    if "SCR003" in plants:
        doc.label("SCR003", plain(stated_total, 2), q_tot,
                  f"planted: the total score stated as {stated_total}, its level-1 scores add to {total}")
    if "GRD001" in plants:
        doc.label("GRD001", stated_grade, q_tot, f"planted: grade {stated_grade} for {total} (band {grade})")
    summary_rows = [[l1["name"], st.score(l1["points"]), st.score(l1_score(l1))] for l1 in tree]
    summary_rows.append(["合计", "100", t_tot])
    if variant == "A" or rng.random() < 0.5:
        doc.add("table", {"caption": "表2 部门整体支出绩效自评得分情况", "header": ["一级指标", "分值", "得分"],
                          "rows": summary_rows, "widths": [7, 3.5, 3.5]})

    h2 = [f"（{cn_count(k)}）" for k in range(1, 10)]
    if as_table:
        doc.add("h2", "（二）绩效指标得分情况")
        rows = []
        for l1 in tree:
            first1 = True
            for g in l1["groups"]:
                first2 = True
                for lf in g["items"]:
                    reason = ""
                    if lf.ded_text() > 0:
                        why = f"预算资金支出进度为{rate_text}" if lf.rate_based else lf.reason
                        reason = f"{st.ded_w.format(d=st.score(lf.ded_text()))}，{why}"
                    rows.append([l1["name"] if first1 else None, g["name"] if first2 else None, lf.name,
                                 st.score(lf.points), st.score(lf.score), reason])
                    first1 = first2 = False
        rows.append(["合计", "", "", "100", t_tot, ""])
        doc.add("table", {"caption": "表3 部门整体支出绩效指标评分表", "header": ["一级指标", "二级指标", "三级指标", "分值", "得分", "扣分原因"],
                          "rows": rows, "widths": [2.2, 2.4, 3.8, 1.3, 1.3, 4.0], "merge": 2, "long": True})
        n2 = sum(len(l1["groups"]) for l1 in tree)
        n3 = len(leaves_of(tree))
        s_n3 = n3
        if "CNT001" in plants:
            s_n3 = n3 + rng.choice([1, 2, -1])
        cnt = f"本年度部门整体支出绩效指标体系共设置一级指标{st.count(len(tree))}个、二级指标{st.count(n2)}个、三级指标{st.count(s_n3)}个"
        l1s = "，".join(f"{l1['name']}{st.score_w.format(s=st.score(l1_score(l1)))}" for l1 in tree)
        doc.add("p", cnt + f"，其中{l1s}。")
        if "CNT001" in plants:
            doc.label("CNT001", str(s_n3), cnt, f"planted: {s_n3} 三级指标 stated, {n3} listed in 表3")
        for key, attr in (("SCR001", "scr001"), ("SCR002", "scr002"), ("SCR004", "scr004")):
            if key in plants:
                lf = getattr(doc, attr)[1] if key == "SCR001" else getattr(doc, attr)
                row = next(r for r in rows if r[2] == lf.name)
                stated = plain(lf.ded_stated if key == "SCR002" else lf.score, 2)
                note = {"SCR001": "planted: a score above its points",
                        "SCR002": f"planted: deduction {lf.ded_stated} stated, points − score = {lf.ded}",
                        "SCR004": f"planted: a rate-based score, points × {rate_stated}% gives another"}[key]
                doc.label(key, stated, " ".join(c for c in row if c), note)
    else:
        for i, l1 in enumerate(tree):
            doc.add("h2", f"{h2[i + 1]}{l1['name']}分析")
            items = [lf for g in l1["groups"] for lf in g["items"]]
            full = [lf for lf in items if lf.score == lf.points and not lf.explicit]
            n3 = len(items)
            s_n3 = n3
            cnt_here = "CNT001" in plants and i == len(tree) - 1
            if cnt_here:
                s_n3 = n3 + rng.choice([1, 2, -1])
            head = (f"{l1['name']}{st.pts_w.format(p=st.score(l1['points']))}，{st.score_w.format(s=st.score(l1_score(l1)))}，"
                    f"包括二级指标{st.count(len(l1['groups']))}个、三级指标{st.count(s_n3)}个")
            say_full = len(full) >= 2 and not (getattr(doc, "scr001", None) and doc.scr001[0] is l1)
            if say_full:
                head += f"，其中三级指标{'、'.join(lf.name for lf in full[:3])}等{st.count(len(full))}个全部为满分"
            head += "。具体得分情况分析："
            doc.add("p", head)
            if cnt_here:
                doc.label("CNT001", str(s_n3), clause_of(head, "三级指标" + st.count(s_n3) + "个"),
                          f"planted: {s_n3} 三级指标 stated, {n3} listed")
            for j, g in enumerate(l1["groups"]):
                line = group_line(st, j + 1, g, rate_text)
                doc.add("p", line)
                for lf in g["items"]:
                    c = leaf_clause(st, lf, rate_text)
                    if lf is getattr(doc, "scr002", None):
                        doc.label("SCR002", plain(lf.ded_stated, 2), c,
                                  f"planted: deduction {lf.ded_stated} stated, points − score = {lf.ded}")
                    if getattr(doc, "scr001", None) and lf is doc.scr001[1]:
                        doc.label("SCR001", plain(lf.score, 2), c, "planted: a score above its points")
                    if lf is getattr(doc, "scr004", None):
                        doc.label("SCR004", plain(lf.score, 2), c,
                                  f"planted: points × {rate_stated}% is {lf.points * rate_exact / 100:.4f}")
                    elif lf.rate_based and lf.score != lf.points * rate_exact / 100:
                        doc.trap(c, f"rate-based score {lf.score} = {lf.points} × {rate_stated}% rounded: must not fire")

    # projects (SUM001, CNT001 on counts)
    sec_no = 2 if as_table else len(tree) + 1
    doc.add("h2", f"{h2[sec_no]}项目支出情况")
    n1 = sum(n_proj)
    n2p = sum(len(p["subs"]) for _, ps in projects for p in ps)
    s_n1 = n1
    cnt_proj = "CNT001" in plants and not any(e["rule"] == "CNT001" for e in doc.expected)
    if cnt_proj:
        s_n1 = n1 + rng.choice([1, 2])
    t_proj, s_proj = st.wan(D(proj) / 100)
    intro = f"{year}年{org}项目支出{t_proj}，一级项目{st.count(s_n1)}个，二级项目{st.count(n2p)}个，具体情况如下："
    doc.add("p", intro)
    if cnt_proj:
        doc.label("CNT001", str(s_n1), clause_of(intro, "一级项目" + st.count(s_n1) + "个"),
                  f"planted: {s_n1} 一级项目 stated, {n1} listed")
    sum_plant = None
    if "SUM001" in plants:
        # not one of the key projects, whose 执行数 states the same amount
        sum_plant = rng.choice([p for _, ps in projects for p in ps if p not in key_projects])
    amounts_stated = []
    for ui, (u, ps) in enumerate(projects):
        doc.add("p", f"{ui + 1}.{u}一级项目{st.count(len(ps))}个，二级项目{st.count(sum(len(p['subs']) for p in ps))}个：")
        for j, p in enumerate(ps):
            at, as_ = st.wan(D(p["amount"]) / 100)
            if p is sum_plant:
                as_ = moved(as_, rng, 0.03, 0.15, D(5))
                at = st.unit(st.numtext(as_), "万元")
            amounts_stated.append(as_)
            doc.add("p", f"（{j + 1}）{p['name']}支出{at}（含{'、'.join(p['subs'])}{st.count(len(p['subs']))}个二级项目）")
            doc.add("p", f"主要用于保障{doc.field}相关工作正常开展，项目按计划实施，{rng.choice(['资金使用规范', '完成年度目标任务', '达到预期效果'])}。")
    if sum_plant is not None:
        assert not sum_holds(amounts_stated, s_proj)
        doc.label("SUM001", s_proj, clause_of(intro, "项目支出"),
                  f"planted: {sum_plant['name']} changed; listed 一级项目 add to {sum(D(a) for a in amounts_stated)}")
    elif sum(D(a) for a in amounts_stated) != D(s_proj):
        doc.trap(intro.split("，")[0], f"rounded project amounts add to {sum(D(a) for a in amounts_stated)}, "
                                       f"项目支出 {s_proj}: rounding only")

    doc.add("h2", f"{h2[sec_no + 1]}部门整体绩效管理情况")
    restated = s_inc
    if "CON001" in plants:
        restated = moved(s_inc, rng, 0.01, 0.1, D(10))
    r_text = st.unit(st.numtext(restated), "万元")
    if restated == s_inc and rng.random() < 0.5 and "." in s_inc:
        r_text = st.unit(plain(D(s_inc), 2) if not st.trim else trim(s_inc), "万元")
    mg = (f"{me}收入合计{r_text}全部纳入预算管理，支出均按预算执行，未发生无预算、超预算支出。"
          f"{me}按要求开展年中绩效运行监控，各项目标和指标运行情况较好。")
    doc.add("p", mg)
    if restated != s_inc:
        doc.label("CON001", restated, clause_of(mg, "收入合计"), f"planted: 收入合计 restated as {restated}, stated {s_inc} above")

    doc.add("h1", "三、存在的主要问题")
    doc.add("p", "一是绩效目标设置不够全面，未能充分反映部门履职效益；二是个别项目执行进度较预期存在偏差，未能及时调整绩效指标。")
    doc.add("h1", "四、下一步改进措施")
    doc.add("p", "".join(rng.sample(FILLER[:3], 2)))


# =================================================================== project

def build_project(doc: Doc):
    rng, st, org, year, plants = doc.rng, doc.style, doc.org, doc.year, doc.plants
    pname = rng.choice(PROJECT_NAMES) + "项目"
    form = rng.choice(["report", "table"])
    doc.title = (f"{year}年度{pname}支出绩效自评报告" if form == "report"
                 else f"{year}年度项目支出绩效自评表（{pname}）")
    doc.add("title", doc.title)

    # ------------------------------------------------ the world (fen)
    scale = rng.choice([20, 50, 120, 300, 800, 2000])
    fin_budget = int(rng.uniform(0.6, 1.4) * scale * 1_000_000)
    other_budget = rng.choice([0, int(fin_budget * rng.uniform(0.02, 0.3))])
    fin_initial = int(fin_budget * rng.choice([1, 1, rng.uniform(0.8, 1.1)]))
    other_initial = int(other_budget * rng.choice([1, rng.uniform(0.7, 1.0)]))
    fin_exec = int(fin_budget * rng.uniform(0.9, 1.0))
    other_exec = int(other_budget * rng.uniform(0.6, 1.0))
    tot_budget, tot_exec, tot_initial = fin_budget + other_budget, fin_exec + other_exec, fin_initial + other_initial
    rate_exact = D(tot_exec) * 100 / tot_budget
    rplaces = rng.choice([2, 2, 1])
    rate_text, rate_stated = st.pct(rate_exact, rplaces)
    budget_leaf = Leaf("预算执行率", D(10), min(D(10), q(10 * rate_exact / 100, 2)), rate_based=True)
    if "SCR004" in plants:
        budget_leaf.score -= rng.choice([D("0.2"), D("0.5"), D("1"), D("0.15")])
        assert not rate_score_holds("10", rate_stated, plain(budget_leaf.score, 2))

    rows_ind = []   # (l1, l2, leaf, target, actual)
    for l1, total in (("产出指标", 50), ("效益指标", 30), ("满意度指标", 10)):
        chosen = []
        for g, items in PROJ_IND[l1]:
            for n, tgt, act in rng.sample(items, rng.randint(1, min(2, len(items)))):
                chosen.append((g, n, tgt, act))
        if l1 == "产出指标" and len(chosen) < 4:
            chosen = chosen + [("数量指标", "完成年度工作任务", "100%", "100%")]
        pts = split_points(rng, total, len(chosen)) if len(chosen) > 1 else [D(total)]
        for (g, n, tgt, act), p in zip(chosen, pts):
            nn = rng.randint(3, 60)
            lf = Leaf(n, p, p)
            rows_ind.append([l1, g, lf, tgt.format(n=nn), act.format(m=nn + rng.randint(0, 5))])
    leaf_scores(rng, [r[2] for r in rows_ind], 0.3)
    for r in rows_ind:
        if r[2].ded > 0:
            r[4] = r[4].replace("100%", "92%") if "%" in r[4] else r[4]

    scr001 = scr002 = None
    if "SCR001" in plants:
        cands = [r for r in rows_ind if r[2].score == r[2].points]
        lost = sum(r[2].ded for r in rows_ind) + (10 - budget_leaf.score)
        if cands and lost >= D("0.5"):
            scr001 = rng.choice(cands)
            scr001[2].score = scr001[2].points + min(lost, rng.choice([D("0.5"), D(1), D(2)]))
        else:
            plants.discard("SCR001")
    if "SCR002" in plants:
        cands = [r for r in rows_ind if r[2].ded > 0]
        if cands:
            scr002 = rng.choice(cands)
            lf = scr002[2]
            lf.ded_stated = lf.ded + rng.choice([D("0.5"), D(1), D("0.2")])
        else:
            plants.discard("SCR002")

    total = budget_leaf.score + sum(r[2].score for r in rows_ind)
    grade = grade_of(total)
    stated_total = total
    if "SCR003" in plants:
        for _ in range(20):
            t2 = total + rng.choice([D("-1"), D("0.5"), D("-0.5"), D("1.5"), D("-2")])
            if grade_of(t2) == grade and t2 <= 100:
                stated_total = t2
                break
        else:
            plants.discard("SCR003")
    stated_grade = ("良" if grade == "优" else "优") if "GRD001" in plants else grade

    # ------------------------------------------------ text
    unit_yuan = rng.random() < 0.3
    unit = "元" if unit_yuan else "万元"

    def cell(fen):
        if unit_yuan:
            s = plain(D(fen) / 100, 2)
            return thousands(s) if st.num != "plain" else s
        return st.numtext(plain(D(fen) / 1_000_000, 2))

    def rate_cell(num, den, places=rplaces):
        if den == 0:
            return "—", None
        return st.pct(D(num) * 100 / den, places)

    me = "本单位"
    doc.add("h1", "一、项目基本情况")
    b_t, b_s = st.wan(D(tot_budget) / 100)
    e_t, e_s = st.wan(D(tot_exec) / 100)
    i_t, _ = st.wan(D(tot_initial) / 100)
    t_init_cell = cell(tot_initial)
    t_init_stated = None
    if "SUM001" in plants:
        # the total 年初预算数 (table and text say the same), which no rate
        # or score uses: only the column sum breaks
        base = plain(D(tot_initial) / 100, 2) if unit_yuan else plain(D(tot_initial) / 1_000_000, 2)
        t_init_stated = moved(base, rng, 0.03, 0.12, D(3) if not unit_yuan else D(30000))
        t_init_cell = thousands(t_init_stated) if unit_yuan and st.num != "plain" else (
            t_init_stated if unit_yuan else st.numtext(t_init_stated))
        i_t = st.wan(D(t_init_stated) * (1 if unit_yuan else 10000))[0]
    info = (f"{pname}由{org}组织实施，主要用于{doc.field}。{year}年项目年初预算数{i_t}，全年预算数{b_t}，"
            f"全年执行数{e_t}，预算执行率{rate_text}。")
    doc.add("p", info)
    if D(rate_stated) != rate_exact:
        doc.trap(clause_of(info, "全年预算数"), f"rate {rate_stated}% is {rate_exact:.5f}% rounded: must not fire")

    doc.add("h1", "二、项目资金使用及管理情况")
    rows = []
    tr_text, tr_s = rate_text, rate_stated
    rows.append(["年度资金总额", t_init_cell, cell(tot_budget), cell(tot_exec), "10", tr_text, st.score(budget_leaf.score)])
    fin_r = rate_cell(fin_exec, fin_budget)
    oth_r = rate_cell(other_exec, other_budget)
    rate_plant_row = None
    if "RATE001" in plants:
        stated = moved(fin_r[1], rng, 0.01, 0.05, D("0.9"))
        fin_r = st.pct(D(stated), len(stated.partition(".")[2]))
        fin_b = plain(D(fin_budget) / (100 if unit_yuan else 1_000_000), 2)
        fin_e = plain(D(fin_exec) / (100 if unit_yuan else 1_000_000), 2)
        assert not share_holds(fin_e, fin_b, stated)
    rows.append(["其中：财政拨款", cell(fin_initial), cell(fin_budget), cell(fin_exec), "—", fin_r[0], "—"])
    rows.append(["其他资金", cell(other_initial), cell(other_budget), cell(other_exec), "—", oth_r[0], "—"])
    if "RATE001" in plants:
        rate_plant_row = rows[1]
        doc.label("RATE001", fin_r[1], " ".join(rows[1]), "planted: 财政拨款 execution rate is not 执行数 ÷ 预算数")
    if t_init_stated is not None:
        parts = [plain(D(v) / (100 if unit_yuan else 1_000_000), 2) for v in (fin_initial, other_initial)]
        assert not sum_holds(parts, t_init_stated)
        doc.label("SUM001", t_init_stated, " ".join(rows[0]),
                  f"planted: 年初预算数 total, 财政拨款 + 其他资金 = {sum(D(p) for p in parts)}")
    if "SCR004" in plants:
        doc.label("SCR004", plain(budget_leaf.score, 2), " ".join(rows[0]),
                  f"planted: 10 × {rate_stated}% is {10 * rate_exact / 100:.4f}, stated {budget_leaf.score}")
    doc.add("p", f"{year}年度项目资金到位及执行情况见下表。")
    doc.add("table", {"caption": f"表1 项目资金情况（单位：{unit}）",
                      "header": ["项目", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
                      "rows": rows, "widths": [3.2, 2.4, 2.4, 2.4, 1.2, 1.8, 1.4]})
    if other_budget == 0:
        doc.trap(" ".join(rows[2]), "其他资金 is 0: no rate, must not fire")

    doc.add("h1", "三、项目绩效目标完成情况")
    n3 = len(rows_ind)
    s_n3 = n3 + rng.choice([1, 2, -1]) if "CNT001" in plants else n3
    n2 = len({(r[0], r[1]) for r in rows_ind})
    cnt = f"本项目共设置一级指标{st.count(3)}个、二级指标{st.count(n2)}个、三级指标{st.count(s_n3)}个"
    doc.add("p", cnt + "，各项指标完成情况如下表。")
    if "CNT001" in plants:
        doc.label("CNT001", str(s_n3), cnt, f"planted: {s_n3} 三级指标 stated, {n3} listed in 表2")
    trows = []
    last = (None, None)
    for l1, l2, lf, tgt, act in rows_ind:
        reason = ""
        if lf.ded_text() > 0:
            reason = f"{lf.reason}，{st.ded_w.format(d=st.score(lf.ded_text()))}"
        trows.append([l1 if l1 != last[0] else None, l2 if (l1, l2) != last else None, lf.name, tgt, act,
                      st.score(lf.points), st.score(lf.score), reason])
        last = (l1, l2)
        if scr001 is not None and lf is scr001[2]:
            doc.label("SCR001", plain(lf.score, 2), " ".join(c for c in trows[-1] if c), "planted: a score above its points")
        if scr002 is not None and lf is scr002[2]:
            doc.label("SCR002", plain(lf.ded_stated, 2), " ".join(c for c in trows[-1] if c),
                      f"planted: deduction {lf.ded_stated} stated, points − score = {lf.ded}")
    t_tot = st.score(stated_total)
    trows.append(["总分", "", "", "", "", "100", t_tot, ""])
    doc.add("table", {"caption": "表2 项目绩效指标完成情况", "header": ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
                      "rows": trows, "widths": [1.6, 1.9, 2.6, 1.9, 1.9, 1.1, 1.1, 3.2], "merge": 2, "long": True})
    if "SCR003" in plants:
        doc.label("SCR003", plain(stated_total, 2), " ".join(c for c in trows[-1] if c),
                  f"planted: 总分 {stated_total}, the rows add to {total}")

    doc.add("h1", "四、自评结论")
    concl = rng.choice([f"经综合评价，{pname}自评得分{t_tot}分，自评等级为{stated_grade}。",
                        f"{pname}绩效自评总分{t_tot}分，绩效等级为“{stated_grade}”。"])
    if "CON001" in plants:
        wrong = moved(e_s, rng, 0.02, 0.1, D(1))
        con = f"截至{year}年12月31日，项目全年执行数{st.unit(st.numtext(wrong), '万元')}，资金使用规范"
        concl = con + "。" + concl
        doc.label("CON001", wrong, con, f"planted: 全年执行数 restated as {wrong}, {e_s} above")
    doc.add("p", concl)
    if "GRD001" in plants:
        doc.label("GRD001", stated_grade, clause_of(concl, "等级"), f"planted: grade {stated_grade} for {total} (band {grade})")
    doc.add("h1", "五、存在的问题及改进措施")
    doc.add("p", "".join(rng.sample(FILLER[:3], 2)))


# =================================================================== final_accounts

def change_clause(st: Style, cur: int, prev: int, unit_yuan_small=False, plant=None, rng=None):
    """'比上年增加 Δ 万元，增长 Y%' (or 减少/下降, or 持平) and (text, Δ stated, Y stated)."""
    if cur == prev:
        return "与上年持平", None, None
    delta = cur - prev
    word, word2 = ("增加", "增长") if delta > 0 else ("减少", "下降")
    if unit_yuan_small and abs(delta) < 1_000_000:   # under 1 万元: in 元
        dt = st.unit(st.numtext(plain(D(abs(delta)) / 100, 0), allow_trim=False), "元")
    else:
        dt, _ = st.wan(D(abs(delta)) / 100)
    places = rng.choice([2, 2, 1]) if rng else 2
    pt, ps = st.pct(D(abs(delta)) * 100 / prev, places)
    if plant:
        ps = moved(ps, rng, 0.08, 0.3, D("1.5"))
        pt = st.pct(D(ps), len(ps.partition(".")[2]))[0]
    return f"比上年{word}{dt}，{word2}{pt}", dt, ps


def build_final(doc: Doc):
    rng, st, org, year, plants = doc.rng, doc.style, doc.org, doc.year, doc.plants
    me = doc.me
    budget_kind = rng.random() < 0.2 and not plants & {"GRW001"}
    word = "预算" if budget_kind else "决算"
    doc.title = f"{org}{year}年度部门{word}说明" if rng.random() < 0.5 else f"{year}年度{org}部门{word}说明"
    doc.add("title", doc.title)
    scale = rng.choice([500, 1500, 4000, 9000, 25000, 60000])
    yi = "PCT002" in plants or rng.random() < 0.15   # the income split in 亿元, coarse
    if yi:
        scale = max(scale, 15000)
    inc_total = int(rng.uniform(0.6, 1.4) * scale * 1_000_000)
    inc_prev = int(inc_total / rng.uniform(0.85, 1.2))
    exp_total = int(inc_total * rng.uniform(0.95, 1.0))
    exp_prev = int(exp_total / rng.uniform(0.85, 1.2))
    if rng.random() < 0.1 and "GRW001" not in plants:
        exp_prev = exp_total   # 与上年持平
    inc_names = ["财政拨款收入"] + (["事业收入"] if rng.random() < 0.6 else []) + ["其他收入"]
    inc = split_amount(rng, inc_total, [rng.uniform(0.8, 0.97)] + [rng.uniform(0.01, 0.08) for _ in inc_names[1:]])
    exp_names = ["基本支出", "项目支出"] + (["对附属单位补助支出"] if rng.random() < 0.3 else [])
    exp = split_amount(rng, exp_total, [rng.uniform(0.4, 0.7), rng.uniform(0.2, 0.5)] + [rng.uniform(0.01, 0.05) for _ in exp_names[2:]])

    doc.add("h1", f"一、收入支出{word}总体情况说明")
    ti, si = st.wan(D(inc_total) / 100)
    te, se = st.wan(D(exp_total) / 100)
    grw_target = rng.choice(["inc", "exp"]) if "GRW001" in plants else None
    ci, _, ypi = change_clause(st, inc_total, inc_prev, plant=grw_target == "inc", rng=rng)
    ce, _, ype = change_clause(st, exp_total, exp_prev, plant=grw_target == "exp", rng=rng)
    prev_stated = rng.random() < 0.4
    if prev_stated:
        pi_t, _ = st.wan(D(inc_prev) / 100)
        p1 = f"{year}年度收入总计{ti}，上年{pi_t}，{ci}，主要原因是{rng.choice(['新增专项业务经费', '人员经费标准调整', '上级补助资金增加', '项目资金压减'])}"
    else:
        p1 = f"{year}年度收入总计{ti}，{ci}，主要原因是{rng.choice(['新增专项业务经费', '人员经费标准调整', '上级补助资金增加', '项目资金压减'])}"
    p2 = f"{year}年度支出总计{te}，{ce}，主要原因是{rng.choice(['基本建设项目完工', '信息化建设项目支出增加', '严格落实过紧日子要求', '新增重点项目支出'])}"
    doc.add("p", p1 + "。" + p2 + "。")
    if grw_target == "inc":
        doc.label("GRW001", ypi, p1.split("，主要原因")[0], "planted: a growth percentage that is not Δ ÷ last year")
    if grw_target == "exp":
        doc.label("GRW001", ype, p2.split("，主要原因")[0], "planted: a growth percentage that is not Δ ÷ last year")
    if exp_total == exp_prev:
        doc.trap(clause_of(p2, "持平"), "no change against last year (持平): must not fire")

    # 二、收入
    doc.add("h1", f"二、收入{word}情况说明")
    if yi:
        places = 2
        inc_st = [plain(D(v) / 10_000_000_000, places) for v in inc]
        tot_st = plain(D(inc_total) / 10_000_000_000, places)
        assert sum_holds(inc_st, tot_st)   # a complete split, as stated
        shares = [plain(D(v) * 100 / inc_total, 2) for v in inc]
        if "PCT002" in plants:
            # the smallest item's share moves inside the interval its coarse
            # amount allows, so PCT001 cannot fire, far enough that the
            # shares miss 100% by more than their rounding
            k = min(range(len(inc)), key=lambda j: inc[j])
            lo, hi = (100 * interval(inc_st[k])[0] / interval(tot_st)[1], 100 * interval(inc_st[k])[1] / interval(tot_st)[0])
            cur = D(shares[k])
            room_up, room_down = hi - cur, cur - lo
            move = (room_up if room_up > room_down else -room_down) * D("0.8")
            new = plain(cur + move, 2)
            shares[k] = new
            total_sh = sum(D(s) for s in shares)
            assert share_holds(inc_st[k], tot_st, new), "PCT002 plant must not break PCT001"
            assert not shares_hundred_holds(shares), ("PCT002 plant too small", shares)
        items = "；".join(f"{n}{st.unit(st.numtext(s, allow_trim=False), '亿元')}，{st.share_phrase('收入合计', st.pct(D(sh))[0])}"
                         for n, s, sh in zip(inc_names, inc_st, shares))
        para = f"{year}年度收入合计{st.unit(st.numtext(tot_st, allow_trim=False), '亿元')}，其中：{items}。"
        doc.add("p", para)
        if "PCT002" in plants:
            doc.label("PCT002", plain(total_sh, 2), clause_of(para, inc_names[k]),
                      f"planted: shares add to {total_sh}% (the {inc_names[k]} share is within its amount's rounding)")
        else:
            doc.trap(clause_of(para, "收入合计"), "amounts in 亿元 with two decimals: shares only roughly computable, must not fire")
    else:
        inc_t = [st.wan(D(v) / 100) for v in inc]
        sh = [st.pct(D(v) * 100 / inc_total) for v in inc]
        items = "；".join(f"{n}{t}，{st.share_phrase('收入合计', p)}" for n, (t, _), (p, _) in zip(inc_names, inc_t, sh))
        doc.add("p", f"{year}年度收入合计{ti}，其中：{items}。")
        if sum(D(s) for _, s in sh) != 100:
            doc.trap(items.split("；")[0], f"rounded shares add to {sum(D(s) for _, s in sh)}%: must not fire")

    # 三、支出
    doc.add("h1", f"三、支出{word}情况说明")
    exp_t = [st.wan(D(v) / 100) for v in exp]
    esh = [st.pct(D(v) * 100 / exp_total) for v in exp]
    if "PCT001" in plants:
        delta = rng.choice([D("0.6"), D("1.3"), D("2.1"), D("0.45")])
        a, b = D(esh[0][1]) + delta, D(esh[1][1]) - delta
        esh[0], esh[1] = st.pct(a), st.pct(b)
        for j in (0, 1):
            assert not share_holds(exp_t[j][1], se, esh[j][1])
    items = "；".join(f"{n}{t}，{st.share_phrase('支出合计', p)}" for n, (t, _), (p, _) in zip(exp_names, exp_t, esh))
    para = f"{year}年度支出合计{te}，其中：{items}。"
    doc.add("p", para)
    if "PCT001" in plants:
        for j in (0, 1):
            doc.label("PCT001", esh[j][1], f"{exp_names[j]}{exp_t[j][0]}，{st.share_phrase('支出合计', esh[j][0])}",
                      "planted: two shares moved in opposite directions")

    # 四、财政拨款支出 by function (unit once for the list)
    doc.add("h1", f"四、一般公共预算财政拨款支出{word}情况说明")
    fin = int(inc[0] * rng.uniform(0.95, 1.0))
    funcs = rng.sample(["一般公共服务支出", "教育支出", "文化旅游体育与传媒支出", "社会保障和就业支出",
                        "卫生健康支出", "节能环保支出", "城乡社区支出", "住房保障支出"], rng.randint(2, 4))
    fv = split_amount(rng, fin, [rng.uniform(0.1, 1) for _ in funcs])
    ft, fs = st.wan(D(fin) / 100)
    vals = [st.wan(D(v) / 100) for v in fv]
    if st.unit_once:
        nums = [st.numtext(s) for _, s in vals]
        listing = f"{'、'.join(funcs[:-1])}和{funcs[-1]}分别为{'、'.join(nums[:-1])}和{st.unit(nums[-1], '万元')}"
    else:
        listing = "；".join(f"{n}{t}" for n, (t, _) in zip(funcs, vals))
    doc.add("p", f"{year}年度一般公共预算财政拨款支出{ft}，主要用于以下方面：{listing}。")
    if sum(D(s) for _, s in vals) != D(fs):
        doc.trap(f"一般公共预算财政拨款支出{ft}", f"rounded parts add to {sum(D(s) for _, s in vals)}, total {fs}: rounding only")

    # 五、基本支出 = 人员经费 + 公用经费 (SUM001)
    doc.add("h1", f"五、一般公共预算财政拨款基本支出{word}情况说明")
    basic = int(exp[0] * rng.uniform(0.9, 1.0))
    staff, office = split_amount(rng, basic, [rng.uniform(0.7, 0.9), rng.uniform(0.1, 0.3)])
    bt, bs = st.wan(D(basic) / 100)
    stt, sts = st.wan(D(staff) / 100)
    ot, os_ = st.wan(D(office) / 100)
    if "SUM001" in plants:
        sts = moved(sts, rng, 0.03, 0.1, D(5))
        stt = st.unit(st.numtext(sts), "万元")
        assert not sum_holds([sts, os_], bs)
    para = (f"{year}年度一般公共预算财政拨款基本支出{bt}，其中：人员经费{stt}，主要包括基本工资、津贴补贴、奖金、"
            f"社会保障缴费等；公用经费{ot}，主要包括办公费、印刷费、水电费、邮电费、差旅费等。")
    doc.add("p", para)
    if "SUM001" in plants:
        doc.label("SUM001", bs, clause_of(para, "基本支出"), f"planted: 人员经费 changed; 人员经费 + 公用经费 = {D(sts) + D(os_)}")

    # 六、三公经费
    doc.add("h1", f"六、“三公”经费财政拨款支出{word}情况说明")
    base = int(rng.uniform(5, 120) * 1_000_000)
    abroad = rng.choice([0, int(base * rng.uniform(0.05, 0.2))])
    car_buy = rng.choice([0, 0, int(base * rng.uniform(0.2, 0.5))])
    car_run = int(base * rng.uniform(0.2, 0.5))
    recep = int(base * rng.uniform(0.05, 0.2))
    tot3 = abroad + car_buy + car_run + recep
    prev3 = int(tot3 / rng.uniform(0.8, 1.2))
    t3, s3 = st.wan(D(tot3) / 100)
    c3, _, _ = change_clause(st, tot3, prev3, rng=rng)
    parts = []
    for n, v in (("因公出国（境）费", abroad), ("公务用车购置及运行维护费", car_buy + car_run), ("公务接待费", recep)):
        if v == 0:
            parts.append(f"{n}0万元，与上年持平" if rng.random() < 0.5 else f"{n}0万元")
            continue
        t, _ = st.wan(D(v) / 100)
        extra = ""
        if n.startswith("公务用车"):
            extra = f"（其中公务用车购置费{st.wan(D(car_buy) / 100)[0]}，公务用车运行维护费{st.wan(D(car_run) / 100)[0]}）"
        parts.append(f"{n}{t}{extra}")
    p3 = f"{year}年度“三公”经费财政拨款支出{word}为{t3}，{c3}。其中：" + "；".join(parts) + "。"
    doc.add("p", p3)

    # table of the totals, in 元
    rows = [["收入合计", thousands(plain(D(inc_total) / 100, 2))]] + \
           [[n, thousands(plain(D(v) / 100, 2))] for n, v in zip(inc_names, inc)] + \
           [["支出合计", thousands(plain(D(exp_total) / 100, 2))]] + \
           [[n, thousands(plain(D(v) / 100, 2))] for n, v in zip(exp_names, exp)]
    doc.add("table", {"caption": f"表1 收入支出{word}总表（单位：元）", "header": ["项目", "本年数"], "rows": rows, "widths": [8, 5]})
    doc.trap(" ".join(rows[0]), f"收入合计 in 元 ({rows[0][1]}) and in 万元 ({si}) in the text: the same amount")

    doc.add("h1", "七、其他重要事项的情况说明")
    restated = se
    if "CON001" in plants:
        restated = moved(se, rng, 0.01, 0.08, D(10))
    p7 = f"{year}年度{me}支出总计{st.unit(st.numtext(restated), '万元')}，" + rng.choice(FILLER[3:]) + \
         f"截至{year}年12月31日，{me}共有车辆{st.count(rng.randint(2, 12))}辆。"
    doc.add("p", p7)
    if restated != se:
        doc.label("CON001", restated, clause_of(p7, "支出总计"), f"planted: 支出总计 restated as {restated}, {se} above")


# =================================================================== the corpus

APPLICABLE = {
    "department_overall": ["SUM001", "PCT001", "SCR001", "SCR002", "SCR003", "SCR004", "RATE001", "GRD001", "CNT001", "CON001"],
    "project": ["SUM001", "SCR001", "SCR002", "SCR003", "SCR004", "RATE001", "GRD001", "CNT001", "CON001"],
    "final_accounts": ["SUM001", "PCT001", "PCT002", "GRW001", "CON001"],
}
BUILDERS = {"department_overall": build_department, "project": build_project, "final_accounts": build_final}
SLUG = {"department_overall": "dept", "project": "proj", "final_accounts": "final"}


def plan(n: int):
    """(kind, producer, plants) for each document: ~40% clean, the rest 1–3
    rules each, the rarest-so-far rules first so that every rule is planted
    about as often as its kinds allow."""
    rng = random.Random(SEED)
    counts = {r: 0 for rs in APPLICABLE.values() for r in rs}
    out = []
    for i in range(n):
        kind = KINDS[i % 3]
        producer = PRODUCERS[i % 4]
        plants = set()
        if rng.random() >= 0.4:
            k = rng.choice([1, 1, 2, 2, 3])
            pool = sorted(APPLICABLE[kind], key=lambda r: (counts[r], rng.random()))
            for r in pool:
                if len(plants) == k:
                    break
                if r == "GRD001" and "SCR003" in plants or r == "SCR003" and "GRD001" in plants:
                    continue
                plants.add(r)
            for r in plants:
                counts[r] += 1
        out.append((kind, producer, plants))
    return out


def make_doc(i: int, kind: str, producer: str, plants):
    rng = random.Random(SEED * 1000 + i)
    agency, me, field = rng.choice(AGENCIES)
    city = rng.choice(CITIES)
    org = city + (rng.choice(DISTRICTS) if rng.random() < 0.35 else "") + agency
    year = rng.choice([2021, 2022, 2023, 2023, 2024])
    name = f"{i + 1:03d}-{SLUG[kind]}-{year}-{producer}"
    doc = Doc(name, kind, producer, org, year, rng)
    doc.me, doc.field = me, field
    doc.plants = set(plants)
    BUILDERS[kind](doc)
    doc.check_quotes()
    return doc


def build(out_dir: Path, n: int, first: int = 1):
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest = []
    for i, (kind, producer, plants) in enumerate(plan(n)):
        if i + 1 < first:
            continue
        doc = make_doc(i, kind, producer, plants)
        stem = out_dir / doc.name
        if producer == "libreoffice":
            render.write_docx(doc.blocks, stem.with_suffix(".docx"), doc.title, doc.org)
            src = stem.with_suffix(".docx")
        elif producer.startswith("chromium"):
            family = '"WenQuanYi Zen Hei"' if producer == "chromium-wqy" else '"Noto Sans CJK SC"'
            render.write_html(doc.blocks, stem.with_suffix(".html"), doc.title, family)
            src = stem.with_suffix(".html")
        else:
            render.write_tex(doc.blocks, stem.with_suffix(".tex"), doc.title)
            src = stem.with_suffix(".tex")
        meta = {"file": doc.name + ".pdf", "kind": kind, "producer": producer, "organization": doc.org,
                "year": doc.year, "expected": doc.expected, "traps": doc.traps}
        (out_dir / (doc.name + ".meta.json")).write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
        (out_dir / (doc.name + ".txt")).write_text(doc.text() + "\n", encoding="utf-8")
        manifest.append(f"{doc.name}\t{producer}\t{src.name}")
    (out_dir / "manifest.tsv").write_text("\n".join(manifest) + "\n", encoding="utf-8")


# ------------------------------------------------------------------- pages

def squash(s: str) -> str:
    import re
    import unicodedata
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s))


def pages_of(pdf: Path):
    import subprocess
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return [squash(p) for p in text.split("\f")]


def find_page(pages, quote: str, stated: str):
    """1-based page holding the quote (or, for a quote cut by a page break
    or a wrapped table row, the stretch of it around the stated figure)."""
    qn = squash(quote)
    tries = [qn]
    st = squash(stated)
    if st and st in qn.replace(",", ""):
        flat = qn.replace(",", "")
        j = flat.index(st)
        tries += [flat[max(0, j - 10):j + len(st)], flat[max(0, j - 6):j + len(st)]]
    tries += [qn[:14], qn[:8]]
    # a table row (cells joined by spaces) whose cells wrap: its cells,
    # longest first, the first that only one page holds
    if " " in quote:
        tries += sorted((squash(c) for c in quote.split(" ") if len(c) >= 4), key=len, reverse=True)
    for t in tries:
        hits = [i + 1 for i, p in enumerate(pages) if t in p or t in p.replace(",", "")]
        if len(hits) == 1 or (hits and t == qn):
            return hits[0]
    return None


def locate(build_dir: Path, out_dir: Path):
    import shutil
    out_dir.mkdir(parents=True, exist_ok=True)
    missing = 0
    for meta_path in sorted(build_dir.glob("*.meta.json")):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        pdf = build_dir / meta["file"]
        pages = pages_of(pdf)
        for e in meta["expected"]:
            e["page"] = find_page(pages, e["quote"], e["stated"])
            if e["page"] is None:
                missing += 1
                print(f"{meta['file']}: no page for {e['rule']} {e['quote']!r}", file=sys.stderr)
        ordered = {k: meta[k] for k in ("file", "kind", "producer", "organization", "year")}
        ordered["expected"] = [{k: e[k] for k in ("rule", "page", "stated", "quote", "note")} for e in meta["expected"]]
        ordered["traps"] = meta["traps"]
        shutil.copyfile(pdf, out_dir / meta["file"])
        (out_dir / meta["file"].replace(".pdf", ".labels.json")).write_text(
            json.dumps(ordered, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return missing


def main(argv):
    if len(argv) >= 3 and argv[1] == "build":
        build(Path(argv[2]), int(argv[3]) if len(argv) > 3 else 66, int(argv[4]) if len(argv) > 4 else 1)
    elif len(argv) == 4 and argv[1] == "locate":
        missing = locate(Path(argv[2]), Path(argv[3]))
        if missing:
            print(f"{missing} labels without a page", file=sys.stderr)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
