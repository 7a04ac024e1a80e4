//! Decisions that are not (or no longer) open: drafts staff are preparing, a planned entry
//! of the yearly catalogue, and a withdrawn draft.

use crate::demo::plan::{DemoComments, DemoDecision, Stage};

pub static WITHDRAWN_WATER_PRICE: DemoDecision = DemoDecision {
    title: "示范区居民生活用水阶梯价格调整方案（征求意见稿）",
    agency: "示范区发展和改革委员会",
    area: "municipal_services",
    summary: "调整居民生活用水第一阶梯水价，第一阶梯年用水量由180立方米调整为216立方米，对低保家庭每户每月减免5立方米水费。",
    basis: "《中华人民共和国价格法》；《政府制定价格行为规则》；《城镇供水价格管理办法》。",
    explanation: "根据供水企业成本监审结果，现行水价已不能弥补供水成本。方案在提高第一阶梯水量的同时调整水价，总体上不增加低用水量家庭的负担。",
    draft: "示范区居民生活用水阶梯价格调整方案（征求意见稿）
一、调整内容
（一）第一阶梯年用水量由180立方米调整为216立方米，水价由每立方米2.80元调整为3.05元；
（二）第二、第三阶梯水价按第一阶梯水价的1.5倍和3倍确定。
二、保障措施
（一）低保家庭、特困人员每户每月减免5立方米水费；
（二）家庭人口超过4人的，每增加1人，各阶梯年用水量增加45立方米。
三、实施时间
新的水价自批准之日起的次月抄表周期开始执行。",
    planned_timing: Some("{year}年第三季度"),
    stage: Stage::Withdrawn {
        opened_ago: 24,
        closes_in: 6,
        withdrawn_ago: 5,
        reason: "征求意见期间，省发展改革委发布了新的供水成本监审结果，方案的测算依据需要相应调整。现撤回本征求意见稿，重新测算后将另行公开征求意见，并依法举行价格听证会。已收到的意见将在重新起草时一并研究。",
    },
    comments: DemoComments {
        points: &[
            ("一、", "第一阶梯水量提高是好事，但水价涨了近一成，建议分步调整。"),
            ("一、", "建议公布供水企业的成本监审报告，让群众知道涨价的依据。"),
            ("二、", "低保家庭减免的做法很好，建议把低保边缘家庭也纳入。"),
            ("二、", "多人口家庭要自己申请增加水量吗？建议由供水企业根据户籍信息主动办理。"),
            ("", "水价调整应当举行听证会，听证代表中要有普通居民。"),
        ],
        ordinary: 8,
        withdraw_every: 0,
        published_first: usize::MAX,
        campaign: None,
        hidden: &[],
        offline: &[],
    },
    attachments: &[],
};

pub static DRAFT_DIGITAL_PARK: DemoDecision = DemoDecision {
    title: "示范区数字经济产业园区建设管理办法（草案）",
    agency: "示范区发展和改革委员会",
    area: "major_construction_projects",
    summary: "规范数字经济产业园区的认定、建设、入驻企业准入和退出，明确对园区运营主体的考核和扶持办法。",
    basis: "《“十四五”数字经济发展规划》；《××省数字经济促进条例》。",
    explanation: "本草案正在起草中，尚未公开征求意见。拟在征求区有关部门意见后，于本季度公开征求社会意见。",
    draft: "示范区数字经济产业园区建设管理办法（草案）
第一章 总则
第一条 为推动数字经济集聚发展，规范产业园区建设管理，制定本办法。
第二条 本办法所称数字经济产业园区，是指经区人民政府认定，以数字产业化和产业数字化企业为主要入驻对象的园区。
第二章 认定与建设
第三条 申请认定的园区应当具备下列条件：
（一）园区建筑面积不少于三万平方米；
（二）数字经济企业占入驻企业的比例不低于百分之六十；
（三）有专业的运营管理团队。
第四条 园区运营主体应当建设公共技术服务平台，为入驻企业提供算力、数据和测试服务。
第三章 考核与退出
第五条 区发展和改革委员会每年对园区进行考核，考核结果向社会公开。
第六条 连续两年考核不合格的，撤销园区认定。
第七条 本办法自发布之日起施行。",
    planned_timing: Some("{year}年第四季度"),
    stage: Stage::Draft,
    comments: DemoComments::NONE,
    attachments: &[],
};

pub static DRAFT_LIFTS: DemoDecision = DemoDecision {
    title: "示范区既有住宅加装电梯管理办法（草案）",
    agency: "示范区住房和城乡建设局",
    area: "urban_rural_planning",
    summary: "简化既有住宅加装电梯的审批程序，明确业主协商、资金筹集、财政补贴和电梯后续维护的办法。",
    basis: "《中华人民共和国民法典》；《特种设备安全法》；《××省既有住宅加装电梯指导意见》。",
    explanation: "草案正在征求区有关部门意见，尚未公开。",
    draft: "示范区既有住宅加装电梯管理办法（草案）
第一章 总则
第一条 为方便老年人、残疾人等群体出行，规范既有住宅加装电梯工作，制定本办法。
第二条 本办法适用于本区已建成投入使用、未设电梯的四层以上住宅。
第二章 协商与审批
第三条 加装电梯应当经本单元专有部分面积占比三分之二以上且人数占比三分之二以上的业主参与表决，并经参与表决的业主四分之三以上同意。
第四条 加装电梯实行联合审查，区住房和城乡建设局在十五个工作日内出具审查意见。
第三章 资金与维护
第五条 加装电梯费用由业主按楼层协商分摊，区财政对每台电梯给予二十万元补贴。
第六条 电梯建成后，业主应当委托有资质的单位进行日常维护保养。
第七条 本办法自发布之日起施行。",
    planned_timing: Some("{year}年第四季度"),
    stage: Stage::Draft,
    comments: DemoComments::NONE,
    attachments: &[],
};

pub static PLANNED_INVESTMENT: DemoDecision = DemoDecision {
    title: "示范区政府投资项目管理办法（修订）",
    agency: "示范区发展和改革委员会",
    area: "major_construction_projects",
    summary: "修订政府投资项目的审批、概算控制、代建和后评价制度，列入本年度重大行政决策事项目录，拟于年内起草并公开征求意见。",
    basis: "《政府投资条例》；《重大行政决策程序暂行条例》。",
    explanation: "",
    draft: "",
    planned_timing: Some("{year}年12月"),
    stage: Stage::Planned,
    comments: DemoComments::NONE,
    attachments: &[],
};
