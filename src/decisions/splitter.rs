//! Splits the plain text of a Chinese legal-style draft (征求意见稿) into numbered sections so that
//! residents can comment article by article and versions can be matched section by section.
//!
//! The splitter refuses to guess: a numbering gap or an inconsistent hierarchy usually means the
//! agency pasted a broken text, and silently re-numbering it would attach residents' comments to
//! the wrong article. Every refusal names the line and the label so the author can fix the source.

use SectionKind::*;
use std::collections::HashMap;

/// Larger texts are almost always several documents pasted together; the cap also bounds cost.
/// Public for the fuzz targets (fuzz/), which compile this file on their own.
pub const MAX_CHARS: usize = 300_000;
/// Counted over the returned vector (preamble included) so the limit matches what callers store.
pub const MAX_SECTIONS: usize = 3_000;

crate::vocabulary! {
    /// What a section of a draft is. The order matters: it is the order of nesting.
    pub enum SectionKind {
        /// 序言: text before the first heading.
        Preamble = "preamble",
        /// 章
        Chapter = "chapter",
        /// 节
        Part = "part",
        /// 条
        Article = "article",
        /// 一、
        Item = "item",
        /// （一）
        SubItem = "sub_item",
        /// 1.
        Point = "point",
    }
}

impl SectionKind {
    /// Nesting depth. Articles and items share a rank because they are alternative ways of
    /// numbering the body; a preamble is never anyone's parent.
    pub fn rank(self) -> u8 {
        [0, 0, 1, 2, 2, 3, 4][self as usize]
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedSection {
    pub kind: SectionKind,
    pub number: Option<u32>,
    pub label: String,
    pub heading: String,
    pub text: String,
    pub parent: Option<usize>,
    pub key: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SplitError {
    pub line: usize,
    pub code: &'static str,
    pub zh: String,
    pub en: String,
}

/// All messages in one table so that wording can be reviewed in both languages side by side.
/// Columns: id (code, optionally `:variant`), Chinese, English. `{l}` is the label at fault,
/// `{p}` the previous label (or the enclosing section), `{e}` the expected label.
const MESSAGES: &str = "\
bad_number|{l}中的数字无法识别，请写成“第一条”“第十二条”或“第12条”这样的形式。|The number in {l} is not valid; write it like 第一条, 第十二条 or 第12条.
numbering_start|编号应从{e}开始，但出现了{l}。|Numbering should start at {e}, but found {l}.
numbering_start:in|{p}中的编号应从{e}开始，但出现了{l}。|Numbering under {p} should start at {e}, but found {l}.
numbering_gap|{p}之后应为{e}，但出现了{l}。|{l} follows {p}; expected {e}.
numbering_repeat|{l}与前面的编号重复：{p}之后应为{e}。|{l} repeats an earlier number; {p} should be followed by {e}.
mixed_structure:chapter|{l}之前已有不属于任何章的内容。请把这些内容放入章内，或删除各章的标题。|{l} comes after sections that belong to no chapter; put them in a chapter or remove the chapter headings.
mixed_structure:part|{l}之前，同一章中已有不属于任何节的内容。分节的章里，每一条都应放在节内。|{l} comes after sections of the same chapter that belong to no part; in a chapter divided into parts, every article must be in a part.
mixed_structure:article|前文已按“一、二、”编排，这里又出现了{l}。同一文件不能混用“第X条”和“一、”两种编号。|{l} appears in a document numbered with 一、二、 items; do not mix 第X条 articles and 一、 items.
mixed_structure:item|前文已按“第X条”编排，这里又出现了{l}。同一文件不能混用“第X条”和“一、”两种编号。|{l} appears in a document numbered with 第X条 articles; do not mix 第X条 articles and 一、 items.
mixed_structure:loose|{l}之前已有不属于任何条或事项的“（一）”“1.”编号，请检查层级。|{l} comes after （一） or 1. entries that belong to no article or item; check the hierarchy.
mixed_structure:sub_item|{l}出现在同一层级的“1.”编号之后。“（一）”应在“1.”的上一级，请检查层级。|{l} follows 1. points at the same level; （一） sub-items must contain 1. points, not follow them.
empty_section|{l}没有内容。请在编号后填写正文，或删除这个编号。|{l} has no text; write its text after the label or remove the label.
empty|文本为空，请粘贴征求意见稿的正文。|The text is empty; paste the body of the draft.
no_structure|没有找到任何编号。请把条文按“第一条、第二条……”编号，或把事项按“一、二、……”编号，每个编号另起一行。|No numbered sections were found. Number articles as 第一条、第二条… or items as 一、二、…, each at the start of its own line.
too_long|文本共{l}个字符，超过了300000字的上限，请拆分为几份文件分别发布。|The text has {l} characters, more than the 300,000 allowed; split it into several drafts.
too_many_sections|文本拆分出的条目超过3000个，请拆分为几份文件分别发布。|The text yields more than 3,000 sections; split it into several drafts.";

/// Quotes labels such as “一、” or “1.” that would otherwise blur into the Chinese sentence.
fn q(s: &str) -> String {
    if s.starts_with('第') || s.chars().all(|c| c.is_ascii_digit()) { s.to_string() } else { format!("“{s}”") }
}

fn fail(line: usize, id: &str, [l, p, e]: [&str; 3]) -> SplitError {
    let row = MESSAGES.lines().find(|r| r.strip_prefix(id).is_some_and(|r| r.starts_with('|')));
    let mut cols = row.expect("every message id is in MESSAGES").split('|');
    let code = cols.next().unwrap_or_default().split(':').next().unwrap_or_default();
    let fill = |t: &str, f: fn(&str) -> String| t.replace("{l}", &f(l)).replace("{p}", &f(p)).replace("{e}", &f(e));
    let (zh, en) = (fill(cols.next().unwrap_or_default(), q), fill(cols.next().unwrap_or_default(), str::to_string));
    let (zh, en) = if line > 0 { (format!("第{line}行：{zh}"), format!("Line {line}: {en}")) } else { (zh, en) };
    SplitError { line, code, zh, en }
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

fn cn_digit(c: char) -> Option<u32> {
    "一二三四五六七八九".chars().position(|d| d == c).map(|p| p as u32 + 1).or((c == '两').then_some(2))
}

fn is_cn_numeral(c: char) -> bool {
    cn_digit(c).is_some() || matches!(c, '〇' | '零' | '十' | '百' | '千')
}

/// Strict on purpose: a malformed numeral such as "一百五" or "一二" is more likely a typo than
/// a deliberate number, and accepting it would hide a numbering mistake from the author.
pub fn parse_chinese_number(s: &str) -> Option<u32> {
    if !s.is_empty() && s.chars().all(is_digit) {
        let value = |c: char| c.to_digit(10).unwrap_or_else(|| c as u32 - '０' as u32);
        return s.chars().try_fold(0u32, |n, c| n.checked_mul(10)?.checked_add(value(c)));
    }
    if s == "〇" || s == "零" {
        return Some(0);
    }
    let (mut total, mut pending, mut last_unit, mut zero, mut started) = (0, None, 10_000, false, false);
    // Without a 零 each unit must be exactly one order below the previous one; with it, at least two.
    let fits = |last: u32, unit: u32, zero: bool| if zero { last > unit * 10 } else { last == unit * 10 };
    for c in s.chars() {
        if matches!(c, '〇' | '零') {
            if pending.is_some() || zero || !started {
                return None;
            }
            zero = true;
        } else if let Some(d) = cn_digit(c) {
            if pending.replace(d).is_some() {
                return None;
            }
        } else {
            let unit = [('十', 10), ('百', 100), ('千', 1000)].into_iter().find(|u| u.0 == c)?.1;
            let d = match pending.take() {
                Some(d) => d,
                None if !started && unit == 10 => 1,
                None => return None,
            };
            if unit >= last_unit || (started && !fits(last_unit, unit, zero)) {
                return None;
            }
            total += d * unit;
            (last_unit, zero, started) = (unit, false, true);
        }
    }
    match pending {
        Some(d) if !started || fits(last_unit, 1, zero) => Some(total + d),
        None if started && !zero => Some(total),
        _ => None,
    }
}

/// Renders the label the author should have written, in the numeral style they used.
fn to_chinese_number(n: u32) -> String {
    const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    if n == 0 || n >= 10_000 {
        return if n == 0 { "零".to_string() } else { n.to_string() };
    }
    let (mut out, mut zero_pending, mut started) = (String::new(), false, false);
    for (unit, name) in [(1000, Some('千')), (100, Some('百')), (10, Some('十')), (1, None)] {
        let d = (n / unit % 10) as usize;
        if d == 0 {
            zero_pending |= started;
            continue;
        }
        if std::mem::take(&mut zero_pending) {
            out.push('零');
        }
        // 十一 rather than 一十一 at the start, as legal texts write it.
        if !(unit == 10 && d == 1 && !started) {
            out.push(DIGITS[d]);
        }
        out.extend(name);
        started = true;
    }
    out
}

/// A heading recognised at the start of a line; `num` is the byte range of the number in `label`.
struct Heading<'a> {
    kind: SectionKind,
    number: Option<u32>,
    label: &'a str,
    num: (usize, usize),
    rest: &'a str,
}

impl Heading<'_> {
    fn label_for(&self, n: u32) -> String {
        let (a, b) = self.num;
        let num = match self.label[a..].chars().next() {
            Some(c) if c.is_ascii_digit() => n.to_string(),
            Some(c) if is_digit(c) => n.to_string().chars().filter_map(|c| char::from_u32(c as u32 + 0xFEE0)).collect(),
            _ => to_chinese_number(n),
        };
        format!("{}{num}{}", &self.label[..a], &self.label[b..])
    }
}

fn prefix_len(s: &str, pred: impl Fn(char) -> bool) -> usize {
    s.char_indices().find(|&(_, c)| !pred(c)).map_or(s.len(), |(i, _)| i)
}

/// Only line starts are inspected, so "依照第三条规定" inside a sentence never opens an article.
fn parse_heading(line: &str) -> Option<Heading<'_>> {
    let build = |kind, a: usize, b: usize, close: usize| Heading {
        kind,
        number: parse_chinese_number(&line[a..b]),
        label: &line[..close],
        num: (a, b),
        rest: line[close..].trim(),
    };
    let next_char = |at: usize| line[at..].chars().next();
    let numeral = |c| is_cn_numeral(c) || is_digit(c);

    if line.starts_with('第') {
        let a = '第'.len_utf8();
        let b = a + prefix_len(&line[a..], numeral);
        let kind = match next_char(b) {
            _ if b == a => return None,
            Some('章') => Chapter,
            Some('节') => Part,
            Some('条') => Article,
            // "第一次会议……" and the like are ordinary sentences.
            _ => return None,
        };
        // A line may open with a cross-reference ("第三条规定的……", "第五条、第六条……"). No heading
        // is followed directly by these characters, and a wrong call here still surfaces later as a
        // numbering error rather than passing silently.
        let refs = if kind == Article { "、，的第至和或及中规所" } else { "、，的第至和或及" };
        if next_char(b + 3).is_some_and(|c| refs.contains(c)) {
            return None;
        }
        // An unparsable number is kept as None so that the caller reports it: 第十一二条 is clearly
        // meant as a heading, and treating it as body text would hide the mistake.
        return Some(build(kind, a, b, b + 3));
    }
    if let Some(open @ ('（' | '(')) = next_char(0) {
        let a = open.len_utf8();
        let b = a + prefix_len(&line[a..], numeral);
        let close = b + next_char(b).filter(|c| matches!(c, '）' | ')'))?.len_utf8();
        let num = &line[a..b];
        let kind = if num.chars().all(is_digit) { Point } else { SubItem };
        // Mixed forms such as （1一） are not numbers at all, so they stay body text.
        return Some(build(kind, a, b, close)).filter(|h| h.number.is_some());
    }
    let b = prefix_len(line, is_cn_numeral);
    if b > 0 && next_char(b) == Some('、') {
        return Some(build(Item, 0, b, b + '、'.len_utf8())).filter(|h| h.number.is_some());
    }
    let b = prefix_len(line, is_digit);
    let sep = next_char(b).filter(|c| b > 0 && matches!(c, '.' | '．' | '、'))?;
    let close = b + sep.len_utf8();
    // "2026年" has no separator; "1.5倍" is a decimal, not a point.
    if sep != '、' && next_char(close).is_some_and(is_digit) {
        return None;
    }
    Some(build(Point, 0, b, close)).filter(|h| h.number.is_some())
}

#[derive(Default)]
struct Builder {
    sections: Vec<ParsedSection>,
    /// Per section: its line, and a bitmask of the kinds of its direct children.
    meta: Vec<(usize, u8)>,
    /// Kinds of top-level sections, and of all sections seen so far.
    top_kinds: u8,
    all_kinds: u8,
    /// Open sections from the outermost inwards; the last one receives continuation lines.
    stack: Vec<usize>,
    /// Last number used per (numbering scope, kind); scope None is the whole document.
    last: HashMap<(Option<usize>, u8), (u32, String)>,
}

impl Builder {
    fn open(&mut self, h: Heading<'_>, line: usize) -> Result<(), SplitError> {
        let label = h.label;
        let number = h.number.ok_or_else(|| fail(line, "bad_number", [label, "", ""]))?;
        while let Some(&top) = self.stack.last().filter(|&&t| self.sections[t].kind.rank() >= h.kind.rank()) {
            self.close(top)?;
            self.stack.pop();
        }
        let parent = self.stack.last().copied();
        let siblings = parent.map_or(self.top_kinds, |p| self.meta[p].1);
        let mixed = match h.kind {
            Chapter if siblings & !Chapter.bit() != 0 => Some("chapter"),
            Part if siblings & !Part.bit() != 0 => Some("part"),
            Article if self.all_kinds & Item.bit() != 0 => Some("article"),
            Item if self.all_kinds & Article.bit() != 0 => Some("item"),
            Article | Item if siblings & (SubItem.bit() | Point.bit()) != 0 => Some("loose"),
            SubItem if siblings & Point.bit() != 0 => Some("sub_item"),
            _ => None,
        };
        if let Some(which) = mixed {
            return Err(fail(line, &format!("mixed_structure:{which}"), [label, "", ""]));
        }
        // Articles and chapters run through the whole document; everything else restarts per parent.
        let slot = (if matches!(h.kind, Chapter | Article) { None } else { parent }, h.kind as u8);
        match self.last.get(&slot) {
            None if number == 1 => {}
            Some((prev, _)) if number == prev + 1 => {}
            None => match slot.0 {
                Some(p) => {
                    return Err(fail(line, "numbering_start:in", [label, &self.sections[p].label, &h.label_for(1)]));
                }
                None => return Err(fail(line, "numbering_start", [label, "", &h.label_for(1)])),
            },
            Some((prev, prev_label)) => {
                let id = if number <= *prev { "numbering_repeat" } else { "numbering_gap" };
                return Err(fail(line, id, [label, prev_label, &h.label_for(prev + 1)]));
            }
        }
        self.last.insert(slot, (number, label.to_string()));
        if self.sections.len() >= MAX_SECTIONS {
            return Err(fail(0, "too_many_sections", ["", "", ""]));
        }
        let key = parent.map_or_else(|| label.to_string(), |p| format!("{}/{label}", self.sections[p].key));
        let rest = h.rest.to_string();
        let (heading, text) =
            if matches!(h.kind, Chapter | Part) { (rest, String::new()) } else { (String::new(), rest) };
        let section =
            ParsedSection { kind: h.kind, number: Some(number), label: label.into(), heading, text, parent, key };
        *parent.map_or(&mut self.top_kinds, |p| &mut self.meta[p].1) |= h.kind.bit();
        self.all_kinds |= h.kind.bit();
        self.stack.push(self.sections.len());
        self.sections.push(section);
        self.meta.push((line, 0));
        Ok(())
    }

    /// Only the innermost open section can be childless, so checking on close catches every case.
    fn close(&self, idx: usize) -> Result<(), SplitError> {
        let s = &self.sections[idx];
        if !matches!(s.kind, Chapter | Part) && s.text.is_empty() && self.meta[idx].1 == 0 {
            return Err(fail(self.meta[idx].0, "empty_section", [&s.label, "", ""]));
        }
        Ok(())
    }

    fn continue_text(&mut self, line: &str) {
        // Before the first heading there is no open section: the lines form the preamble.
        if self.stack.is_empty() && self.sections.is_empty() {
            let (label, heading, text, key) = (String::new(), String::new(), String::new(), "preamble".into());
            self.sections.push(ParsedSection { kind: Preamble, number: None, label, heading, text, parent: None, key });
            self.meta.push((0, 0));
        }
        let text = &mut self.sections[self.stack.last().copied().unwrap_or(0)].text;
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(line);
    }
}

pub fn split(text: &str) -> Result<Vec<ParsedSection>, SplitError> {
    let chars = text.chars().count();
    if chars > MAX_CHARS {
        return Err(fail(0, "too_long", [&chars.to_string(), "", ""]));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text).replace("\r\n", "\n").replace('\r', "\n");
    let mut b = Builder::default();
    let mut any_line = false;
    for (i, raw) in text.split('\n').enumerate() {
        // Word and PDF copies bring full-width spaces, tabs and no-break spaces; all mean "space".
        let line: String =
            raw.chars().map(|c| if matches!(c, '\u{3000}' | '\t' | '\u{a0}') { ' ' } else { c }).collect();
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        any_line = true;
        match parse_heading(line) {
            Some(h) => b.open(h, i + 1)?,
            None => b.continue_text(line),
        }
    }
    if !any_line {
        return Err(fail(0, "empty", ["", "", ""]));
    }
    if b.stack.is_empty() {
        return Err(fail(0, "no_structure", ["", "", ""]));
    }
    while let Some(top) = b.stack.pop() {
        b.close(top)?;
    }
    Ok(b.sections)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> (&'static str, usize) {
        let e = split(text).expect_err(text);
        (e.code, e.line)
    }

    fn brief(s: &[ParsedSection]) -> Vec<(SectionKind, &str, Option<usize>, &str)> {
        s.iter().map(|s| (s.kind, s.label.as_str(), s.parent, s.key.as_str())).collect()
    }

    const DRAFT: &str = "某某区养老服务设施建设管理办法（征求意见稿）

第一章　总则

第一条　为了规范本区养老服务设施的建设和管理，结合本区实际，制定本办法。
第二条 本办法适用于本区行政区域内养老服务设施的规划、建设和管理。
第三条\t区民政部门负责统筹管理工作。
区规划等部门按照各自职责，做好相关工作。

第二章  规划与建设
第四条　新建住宅小区应当按照每百户不少于二十平方米的标准配套建设养老服务设施。
配套建设的养老服务设施包括：
（一）社区养老服务站；
(二)日间照料中心；
（三）老年助餐点。
第五条　依照第四条规定配套建设的设施，应当与住宅同步交付。";

    #[test]
    fn realistic_draft() {
        let s = split(DRAFT).unwrap();
        assert_eq!(
            brief(&s),
            vec![
                (Preamble, "", None, "preamble"),
                (Chapter, "第一章", None, "第一章"),
                (Article, "第一条", Some(1), "第一章/第一条"),
                (Article, "第二条", Some(1), "第一章/第二条"),
                (Article, "第三条", Some(1), "第一章/第三条"),
                (Chapter, "第二章", None, "第二章"),
                (Article, "第四条", Some(5), "第二章/第四条"),
                (SubItem, "（一）", Some(6), "第二章/第四条/（一）"),
                (SubItem, "(二)", Some(6), "第二章/第四条/(二)"),
                (SubItem, "（三）", Some(6), "第二章/第四条/（三）"),
                (Article, "第五条", Some(5), "第二章/第五条"),
            ]
        );
        let numbers: Vec<_> = s.iter().map(|s| s.number).collect();
        assert_eq!(
            numbers,
            [None, Some(1), Some(1), Some(2), Some(3), Some(2), Some(4), Some(1), Some(2), Some(3), Some(5)]
        );
        assert_eq!(s[0].text, "某某区养老服务设施建设管理办法（征求意见稿）");
        assert_eq!([&s[1].heading, &s[1].text, &s[5].heading], ["总则", "", "规划与建设"]);
        assert_eq!(s[2].text, "为了规范本区养老服务设施的建设和管理，结合本区实际，制定本办法。");
        assert_eq!(s[3].text, "本办法适用于本区行政区域内养老服务设施的规划、建设和管理。");
        assert_eq!(s[4].text, "区民政部门负责统筹管理工作。\n区规划等部门按照各自职责，做好相关工作。");
        assert_eq!(
            s[6].text,
            "新建住宅小区应当按照每百户不少于二十平方米的标准配套建设养老服务设施。\n配套建设的养老服务设施包括："
        );
        assert_eq!([&s[6].heading, &s[8].text], ["", "日间照料中心；"]);
        assert_eq!(s[10].text, "依照第四条规定配套建设的设施，应当与住宅同步交付。");
        let mut keys: Vec<_> = s.iter().map(|s| &s.key).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), s.len());
    }

    #[test]
    fn notice_with_items_and_points() {
        let text =
            "关于开展养老服务质量提升行动的通知（征求意见稿）\n各街道、镇：\n为提升养老服务质量，现将有关事项通知如下。
一、总体要求
（一）指导思想。坚持以人民为中心。
（二）工作目标。到年底：
1. 养老机构护理型床位占比达到60%；
2．社区助餐服务覆盖率提高。
2026年起每年评估一次。
二、重点任务
（一）加强设施建设。
1、新建一批社区养老服务站；
（2）改造一批农村敬老院。";
        let s = split(text).unwrap();
        assert_eq!(
            brief(&s),
            vec![
                (Preamble, "", None, "preamble"),
                (Item, "一、", None, "一、"),
                (SubItem, "（一）", Some(1), "一、/（一）"),
                (SubItem, "（二）", Some(1), "一、/（二）"),
                (Point, "1.", Some(3), "一、/（二）/1."),
                (Point, "2．", Some(3), "一、/（二）/2．"),
                (Item, "二、", None, "二、"),
                (SubItem, "（一）", Some(6), "二、/（一）"),
                (Point, "1、", Some(7), "二、/（一）/1、"),
                (Point, "（2）", Some(7), "二、/（一）/（2）"),
            ]
        );
        assert_eq!(s[0].text.lines().count(), 3);
        assert_eq!([&s[1].text, &s[1].heading], ["总体要求", ""]);
        assert_eq!(s[5].text, "社区助餐服务覆盖率提高。\n2026年起每年评估一次。");
        assert_eq!(s[9].number, Some(2));
    }

    #[test]
    fn hierarchy_variants() {
        let s = split("第一章 总则\n第一节 一般规定\n第一条 甲。\n第二节 特别规定\n第二条 乙：\n1. 丙；\n2. 丁。\n第二章 附则\n第一节 其他\n第三条 戊。").unwrap();
        assert_eq!((s[5].key.as_str(), s[5].parent), ("第一章/第二节/第二条/1.", Some(4)));
        assert_eq!((s[8].label.as_str(), s[8].parent, s[9].parent), ("第一节", Some(7), Some(8)));
        // Chapters may consist of a heading only; a label may stand alone with its text below it.
        let s = split("第一章 总则\n第二章 附则\n第一条\n本办法自发布之日起施行。\n第二条\n（一）甲").unwrap();
        assert_eq!((s[2].parent, s[2].text.as_str(), s[4].parent), (Some(1), "本办法自发布之日起施行。", Some(3)));
        // By the continuation rule a paragraph after a list stays with the last entry.
        assert_eq!(split("第一条 包括：\n（一）甲；\n（二）乙。\n前款规定的……").unwrap()[2].text, "乙。\n前款规定的……");
    }

    #[test]
    fn crlf_and_cr_input() {
        let s = split("\u{feff}标题\r\n\r\n第一条　甲\r\n乙\r第二条 丙\r\n").unwrap();
        assert_eq!([&s[1].text, &s[2].text], ["甲\n乙", "丙"]);
        assert_eq!(err("第一条 甲\r\n\r\n第三条 乙"), ("numbering_gap", 3));
    }

    #[test]
    fn false_positives_are_body_text() {
        let body = [
            "依照本办法第三条规定的情形除外。",
            "第三条规定的补贴标准另行制定。",
            "第三条、第四条所列设施应当同步交付。",
            "第一次会议审议通过。",
            "2026年1月1日起施行。",
            "1.5倍以上的面积。",
            "（征求意见稿）",
            "一二、三",
            "（1一）不是编号",
        ];
        let s = split(&format!("第一条 甲：\n{}\n第二条 乙", body.join("\n"))).unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].text, format!("甲：\n{}", body.join("\n")));
    }

    #[test]
    fn chinese_numbers() {
        let good = [("一", 1), ("九", 9), ("十", 10), ("十一", 11), ("二十", 20), ("二十三", 23), ("一百", 100)];
        let more = [("一百零五", 105), ("一百一十", 110), ("两", 2), ("两百", 200), ("〇", 0), ("零", 0)];
        let digits = [("一千零一十", 1010), ("12", 12), ("１２", 12), ("007", 7)];
        for (s, n) in good.into_iter().chain(more).chain(digits) {
            assert_eq!(parse_chinese_number(s), Some(n), "{s}");
        }
        for bad in ["", "一二", "一百五", "一百十", "零五", "十十", "一百零", "百", "十二百", "a", "1二", "99999999999"]
        {
            assert_eq!(parse_chinese_number(bad), None, "{bad}");
        }
        for n in 0..=9999 {
            assert_eq!(parse_chinese_number(&to_chinese_number(n)), Some(n), "{n}");
        }
        let s = split("第１条 甲\n第2条 乙\n第三条 丙\n第四条 丁：\n（１）戊").unwrap();
        assert_eq!(s.iter().map(|s| s.number.unwrap()).collect::<Vec<_>>(), [1, 2, 3, 4, 1]);
        assert!(split("第一条 甲\n第１条 乙").unwrap_err().zh.contains("第一条之后应为第２条"));
    }

    #[test]
    fn numbering_errors() {
        let e = split("标题\n第一条 甲\n第二条 乙\n第三条 丙\n第四条 丁\n第五条 戊\n\n第七条 己").unwrap_err();
        assert_eq!((e.code, e.line), ("numbering_gap", 8));
        assert_eq!(e.zh, "第8行：第五条之后应为第六条，但出现了第七条。");
        assert_eq!(e.en, "Line 8: 第七条 follows 第五条; expected 第六条.");
        assert_eq!(err("第一条 甲\n第二条 乙\n第三条 丙\n第三条 丁"), ("numbering_repeat", 4));
        assert_eq!(err("第一条 甲\n第二条 乙\n第一条 丙"), ("numbering_repeat", 3));
        assert_eq!(err("标题\n第二条 甲"), ("numbering_start", 2));
        assert_eq!(err("第一章 总则\n第二节 甲"), ("numbering_start", 2));
        assert_eq!(err("一、甲\n（一）乙\n1. 丙\n3. 丁"), ("numbering_gap", 4));
        assert_eq!(err("第一章 总则\n第一节 甲\n第一条 乙\n第三节 丙"), ("numbering_gap", 4));
        assert_eq!(err("第一条 甲\n第十一二条 乙"), ("bad_number", 2));
        let e = split("第一条 甲：\n（二）乙").unwrap_err();
        assert_eq!((e.code, e.line), ("numbering_start", 2));
        assert_eq!(e.zh, "第2行：第一条中的编号应从“（一）”开始，但出现了“（二）”。");
        assert_eq!(e.en, "Line 2: Numbering under 第一条 should start at （一）, but found （二）.");
    }

    #[test]
    fn mixed_structure_errors() {
        for (text, line) in [
            ("一、甲\n第一条 乙", 2),
            ("第一条 甲\n一、乙", 2),
            ("第一条 甲\n第一章 总则\n第二条 乙", 2),
            ("第一章 总则\n第一条 甲\n第一节 乙\n第二条 丙", 3),
            ("（一）甲\n（二）乙\n第一条 丙", 3),
            ("第一条 甲：\n1. 乙\n（一）丙", 3),
        ] {
            assert_eq!(err(text), ("mixed_structure", line), "{text}");
        }
    }

    #[test]
    fn whole_text_errors() {
        assert_eq!(err(""), ("empty", 0));
        assert_eq!(err(" \r\n\u{3000}\t\n"), ("empty", 0));
        let e = split("某某办法\n为了规范管理，制定本办法。").unwrap_err();
        assert_eq!((e.code, e.line), ("no_structure", 0));
        assert!(e.zh.contains("第一条、第二条") && e.en.contains("一、二、") && !e.zh.starts_with("第0行"));
        assert_eq!(err(&"字".repeat(MAX_CHARS + 1)), ("too_long", 0));
        let many: String = (1..=MAX_SECTIONS + 1).map(|n| format!("第{n}条 甲\n")).collect();
        assert_eq!(err(&many), ("too_many_sections", 0));
        let exact: String = (1..=MAX_SECTIONS).map(|n| format!("第{n}条 甲\n")).collect();
        assert_eq!(split(&exact).unwrap().len(), MAX_SECTIONS);
    }

    #[test]
    fn empty_sections() {
        for (text, line) in [
            ("第一条 甲\n第二条\n第三条 乙", 2),
            ("第一条 甲\n第二条", 2),
            ("一、\n二、乙", 1),
            ("第一条 甲：\n（一）\n（二）乙", 2),
            ("第一条 甲：\n（一）乙\n1.\n", 3),
        ] {
            assert_eq!(err(text), ("empty_section", line), "{text}");
        }
    }

    #[test]
    fn tables_are_complete() {
        for k in SectionKind::ALL {
            assert_eq!(SectionKind::parse(k.as_str()), Some(*k));
            assert_eq!(SectionKind::ALL[*k as usize], *k, "bit() and rank() index by declaration order");
        }
        assert_eq!((SectionKind::parse("clause"), SubItem.as_str()), (None, "sub_item"));
        for row in MESSAGES.lines() {
            let cols: Vec<_> = row.split('|').collect();
            assert_eq!(cols.len(), 3, "{row}");
            let e = fail(5, cols[0], ["一、", "第二条", "第三条"]);
            assert!(!e.zh.contains('{') && !e.en.contains('{') && e.zh.starts_with("第5行："), "{row}");
        }
    }
}
