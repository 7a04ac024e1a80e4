//! What an imported spreadsheet means: its header mapped to the item's fields (the common
//! Chinese column names), each row parsed into an item or refused with the field, the column
//! and the reason, and compared with the catalogue as it stands. Rules only: the service
//! reads the catalogue and writes the outcome.

use std::collections::HashMap;

use uuid::Uuid;

use super::model::{Attribute, Audience, ItemFields, ItemForm, Level, split_channels};
use super::sheet::Sheet;
use crate::error::FieldIssue;
use crate::kernel::text::folded;
use crate::t;

/// A field of the item a column can hold (`Seq` is understood and ignored).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    Seq,
    PolicyArea,
    Item,
    SubItem,
    Basis,
    Content,
    ResponsibleBody,
    TimeLimit,
    Channels,
    Attribute,
    Audience,
    Level,
}

impl Field {
    /// The API's name of the field, as issues and reports use it.
    pub fn api_name(self) -> &'static str {
        match self {
            Field::Seq => "seq",
            Field::PolicyArea => "policy_area",
            Field::Item => "item",
            Field::SubItem => "sub_item",
            Field::Basis => "basis",
            Field::Content => "content",
            Field::ResponsibleBody => "responsible_body",
            Field::TimeLimit => "time_limit",
            Field::Channels => "channels",
            Field::Attribute => "attribute",
            Field::Audience => "audience",
            Field::Level => "level",
        }
    }

    fn from_api_name(name: &str) -> Option<Field> {
        FIELDS.iter().copied().find(|f| f.api_name() == name || (name == "policy_area_id" && *f == Field::PolicyArea))
    }

    /// Header names catalogues use for this field, folded (no spaces or brackets).
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Field::Seq => &["序号", "编号", "no", "seq"],
            Field::PolicyArea => &["政策领域", "领域", "事项领域", "公开领域", "所属领域", "业务领域", "policyarea"],
            Field::Item => &["一级事项", "公开事项", "事项名称", "事项", "主项", "item"],
            Field::SubItem => &["二级事项", "子项", "子事项", "二级事项名称", "subitem"],
            Field::Basis => &["公开依据", "依据", "法律依据", "政策依据", "设定依据", "basis"],
            Field::Content => &["公开内容", "公开内容要素", "内容", "要素", "公开要素", "content"],
            Field::ResponsibleBody => {
                &["责任主体", "公开主体", "责任单位", "责任部门", "公开责任主体", "responsiblebody"]
            }
            Field::TimeLimit => &["公开时限", "时限", "timelimit"],
            Field::Channels => &["公开渠道", "公开渠道和载体", "公开载体", "渠道", "公开方式", "channels"],
            Field::Attribute => &["公开属性", "属性", "attribute"],
            Field::Audience => &["公开对象", "对象", "audience"],
            Field::Level => &["公开层级", "层级", "level"],
        }
    }
}

const FIELDS: [Field; 12] = [
    Field::Seq,
    Field::PolicyArea,
    Field::Item,
    Field::SubItem,
    Field::Basis,
    Field::Content,
    Field::ResponsibleBody,
    Field::TimeLimit,
    Field::Channels,
    Field::Attribute,
    Field::Audience,
    Field::Level,
];

/// Columns a catalogue must have.
const REQUIRED: [Field; 7] =
    [Field::PolicyArea, Field::Item, Field::Basis, Field::Content, Field::TimeLimit, Field::Channels, Field::Attribute];

/// The header read: which column holds which field, and what was not understood.
#[derive(Debug)]
pub struct Header {
    pub columns: Vec<(usize, String, Field)>,
    pub unknown: Vec<String>,
}

impl Header {
    fn column_of(&self, f: Field) -> Option<(usize, &str)> {
        self.columns.iter().find(|(_, _, g)| *g == f).map(|(i, h, _)| (*i, h.as_str()))
    }
}

/// Maps the header; an issue (field `file`) names the required columns it lacks.
pub fn map_header(header: &[String]) -> Result<Header, FieldIssue> {
    let mut columns = Vec::new();
    let mut unknown = Vec::new();
    for (i, h) in header.iter().enumerate() {
        let folded = folded(h);
        if folded.is_empty() {
            continue;
        }
        match FIELDS.iter().find(|f| f.aliases().contains(&folded.as_str())) {
            Some(f) if !columns.iter().any(|(_, _, g)| g == f) => columns.push((i, h.clone(), *f)),
            _ => unknown.push(h.clone()),
        }
    }
    let missing: Vec<&str> =
        REQUIRED.iter().filter(|f| !columns.iter().any(|(_, _, g)| g == *f)).map(|f| f.aliases()[0]).collect();
    if !missing.is_empty() {
        let list = missing.join("、");
        return Err(FieldIssue::new(
            "file",
            "missing_columns",
            t!("表头缺少必需的列：{list}。", "The header lacks required columns: {list}."),
        ));
    }
    Ok(Header { columns, unknown })
}

/// What the catalogue holds already, by item key.
pub struct Existing {
    pub id: Uuid,
    pub fields: ItemFields,
    pub version: i32,
    pub removed: bool,
}

/// What a row comes to.
#[derive(Debug)]
pub enum Plan {
    Create(ItemFields),
    /// The existing item's id and version, and its new fields.
    Change {
        id: Uuid,
        version: i32,
        fields: ItemFields,
        restore: bool,
    },
    Unchanged,
    Refused(Vec<RowIssue>),
}

/// A refusal reason, with the column it came from.
#[derive(Clone, Debug)]
pub struct RowIssue {
    pub field: &'static str,
    pub column: Option<String>,
    pub issue: FieldIssue,
}

/// One row's plan, with its number and title.
#[derive(Debug)]
pub struct PlannedRow {
    pub row: usize,
    pub title: String,
    pub plan: Plan,
}

/// What a row needs from outside: policy areas by folded name or code, the channel list,
/// the agency's name (a blank responsible body), the catalogue as it stands.
pub struct Context<'a> {
    pub areas: &'a HashMap<String, Uuid>,
    pub channels: &'a [String],
    pub agency_name: &'a str,
    pub existing: &'a HashMap<String, Existing>,
}

/// Plans every row of the sheet.
pub fn plan(sheet: &Sheet, header: &Header, cx: &Context<'_>) -> Vec<PlannedRow> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    sheet
        .rows
        .iter()
        .map(|(number, cells)| {
            let cell = |f: Field| header.column_of(f).and_then(|(i, _)| cells.get(i)).map(|s| s.trim());
            let title = match cell(Field::SubItem).filter(|s| !s.is_empty()) {
                Some(sub) => format!("{} / {sub}", cell(Field::Item).unwrap_or("")),
                None => cell(Field::Item).unwrap_or("").to_string(),
            };
            let plan = match parse_row(&cell, header, cx) {
                Err(issues) => Plan::Refused(issues),
                Ok(fields) => {
                    let key = fields.key();
                    match seen.get(&key) {
                        Some(first) => Plan::Refused(vec![duplicate(header, *first)]),
                        None => {
                            seen.insert(key.clone(), *number);
                            compare(fields, cx.existing.get(&key))
                        }
                    }
                }
            };
            PlannedRow { row: *number, title, plan }
        })
        .collect()
}

fn compare(fields: ItemFields, existing: Option<&Existing>) -> Plan {
    match existing {
        None => Plan::Create(fields),
        Some(e) if e.fields == fields && !e.removed => Plan::Unchanged,
        Some(e) => Plan::Change { id: e.id, version: e.version, fields, restore: e.removed },
    }
}

fn duplicate(header: &Header, first: usize) -> RowIssue {
    RowIssue {
        field: "item",
        column: header.column_of(Field::Item).map(|(_, h)| h.to_string()),
        issue: FieldIssue::new(
            "item",
            "duplicate_row",
            t!(
                "与第 {first} 行是同一事项（同一领域、一级和二级事项）。",
                "The same item as row {first} (same area, item and sub-item)."
            ),
        ),
    }
}

fn parse_row<'c>(
    cell: &impl Fn(Field) -> Option<&'c str>,
    header: &Header,
    cx: &Context<'_>,
) -> Result<ItemFields, Vec<RowIssue>> {
    let mut issues: Vec<FieldIssue> = Vec::new();
    let area = match cell(Field::PolicyArea).filter(|s| !s.is_empty()) {
        None => None,
        Some(name) => {
            let found = cx.areas.get(&folded(name)).copied();
            if found.is_none() {
                issues.push(FieldIssue::new(
                    "policy_area",
                    "unknown_policy_area",
                    t!("平台没有名为“{name}”的政策领域。", "No policy area is called “{name}”."),
                ));
            }
            found
        }
    };
    let attribute = label(cell(Field::Attribute), Field::Attribute, Attribute::from_label, &mut issues);
    let audience = label(cell(Field::Audience), Field::Audience, Audience::from_label, &mut issues);
    let level = label(cell(Field::Level), Field::Level, Level::from_label, &mut issues);
    let form = ItemForm {
        policy_area_id: area,
        item: cell(Field::Item),
        sub_item: cell(Field::SubItem),
        basis: cell(Field::Basis),
        content: cell(Field::Content),
        responsible_body: cell(Field::ResponsibleBody),
        time_limit: cell(Field::TimeLimit),
        channels: cell(Field::Channels).map(split_channels).unwrap_or_default(),
        attribute,
        audience,
        level,
    };
    let parsed = ItemFields::parse(form, cx.channels, cx.agency_name);
    match parsed {
        Ok(fields) if issues.is_empty() => Ok(fields),
        Ok(_) => Err(located(issues, header)),
        Err(more) => {
            // A cell that could not be read (an unknown area or attribute) reaches the form
            // as blank, and would be reported a second time as "required".
            let said: Vec<Option<Field>> = issues.iter().map(|i| Field::from_api_name(&i.field)).collect();
            issues.extend(more.into_iter().filter(|i| !said.contains(&Field::from_api_name(&i.field))));
            Err(located(issues, header))
        }
    }
}

/// A cell read as one of a vocabulary's labels; blank is `None`, anything else unknown an issue.
fn label<T>(raw: Option<&str>, f: Field, read: fn(&str) -> Option<T>, issues: &mut Vec<FieldIssue>) -> Option<T> {
    let raw = raw.filter(|s| !s.is_empty())?;
    let v = read(raw);
    if v.is_none() {
        issues.push(FieldIssue::new(
            f.api_name(),
            "unknown_value",
            t!("“{raw}”不是可识别的取值。", "“{raw}” is not a value this field takes."),
        ));
    }
    v
}

fn located(issues: Vec<FieldIssue>, header: &Header) -> Vec<RowIssue> {
    issues
        .into_iter()
        .map(|issue| {
            let f = Field::from_api_name(&issue.field);
            RowIssue {
                field: f.map(Field::api_name).unwrap_or("item"),
                column: f.and_then(|f| header.column_of(f)).map(|(_, h)| h.to_string()),
                issue,
            }
        })
        .collect()
}

/// A row of the export layout (`sheet::COLUMNS`) for an item.
pub fn export_row(seq: usize, f: &ItemFields, area_name: &str) -> Vec<String> {
    vec![
        seq.to_string(),
        area_name.to_string(),
        f.item.clone(),
        f.sub_item.clone(),
        f.basis.clone(),
        f.content.clone(),
        f.responsible_body.clone(),
        f.time_limit.text.clone(),
        f.channels.join("、"),
        f.attribute.label().to_string(),
        f.audience.label().to_string(),
        f.level.label().to_string(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::disclosure::sheet;

    fn cx_parts() -> (HashMap<String, Uuid>, Vec<String>) {
        let mut areas = HashMap::new();
        areas.insert("养老服务".to_string(), Uuid::from_u128(1));
        (areas, vec!["政府网站".into(), "公示栏".into()])
    }

    #[test]
    fn headers_map_by_common_names_and_say_what_they_miss() {
        let h: Vec<String> = [
            "序号",
            "领域",
            "公开事项",
            "公开内容（要素）",
            "公开依据",
            "公开时限",
            "公开渠道和载体",
            "公开属性",
            "备注",
        ]
        .map(String::from)
        .to_vec();
        let m = map_header(&h).unwrap();
        assert_eq!(m.unknown, ["备注"]);
        assert_eq!(m.column_of(Field::Content), Some((3, "公开内容（要素）")));
        let err = map_header(&h[..3]).unwrap_err();
        assert_eq!(err.code, "missing_columns");
        assert!(err.message.zh.contains("公开依据") && err.message.zh.contains("公开属性"), "{}", err.message.zh);
    }

    #[test]
    fn rows_are_planned_with_their_columns_and_duplicates() {
        let (areas, channels) = cx_parts();
        let existing = HashMap::new();
        let cx = Context { areas: &areas, channels: &channels, agency_name: "区民政局", existing: &existing };
        let text = "政策领域,一级事项,二级事项,公开依据,公开内容,公开时限,公开渠道,公开属性\n\
            养老服务,养老机构,名录,《办法》,名称,20个工作日,政府网站,主动公开\n\
            养老服务,养老 机构,名录,《办法》,名称,20个工作日,政府网站,主动公开\n\
            殡葬服务,殡仪馆,,《条例》,,实时,抖音,随便\n";
        let s = sheet::read(text.as_bytes()).unwrap();
        let h = map_header(&s.header).unwrap();
        let rows = plan(&s, &h, &cx);
        assert!(matches!(rows[0].plan, Plan::Create(_)));
        let Plan::Refused(dup) = &rows[1].plan else { panic!("{:?}", rows[1]) };
        assert_eq!(dup[0].issue.code, "duplicate_row");
        let Plan::Refused(bad) = &rows[2].plan else { panic!("{:?}", rows[2]) };
        let got: Vec<(&str, Option<&str>, &str)> =
            bad.iter().map(|i| (i.field, i.column.as_deref(), i.issue.code)).collect();
        assert_eq!(
            got,
            [
                ("policy_area", Some("政策领域"), "unknown_policy_area"),
                ("attribute", Some("公开属性"), "unknown_value"),
                ("content", Some("公开内容"), "required"),
                ("channels", Some("公开渠道"), "unknown_channel"),
            ]
        );
        assert_eq!(rows[2].row, 4);
    }
}
