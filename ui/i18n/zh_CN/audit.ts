<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>Audit</name>
    <message>
      <source>Resource</source>
      <extracomment>Cell backgrounds of a state; the text on them is always dark so it stays readable. The role that gives the whole record of a row (any column).</extracomment>
      <translation>资源</translation>
    </message>
    <message>
      <source>Item</source>
      <translation>项目</translation>
    </message>
    <message>
      <source>Unit</source>
      <translation>单位</translation>
    </message>
    <message>
      <source>Start
{date}</source>
      <translation>期初
{date}</translation>
    </message>
    <message>
      <source>End
{date}</source>
      <translation>期末
{date}</translation>
    </message>
    <message>
      <source>Change</source>
      <translation>变化量</translation>
    </message>
    <message>
      <source>Change (%)</source>
      <translation>变化率（%）</translation>
    </message>
    <message>
      <source>Additions</source>
      <translation>增加</translation>
    </message>
    <message>
      <source>Reductions</source>
      <translation>减少</translation>
    </message>
    <message>
      <source>binding</source>
      <translation>约束性</translation>
    </message>
    <message>
      <source>expected</source>
      <translation>预期性</translation>
    </message>
    <message>
      <source>Met</source>
      <translation>达标</translation>
    </message>
    <message>
      <source>Short by {gap}</source>
      <translation>缺口 {gap}</translation>
    </message>
    <message>
      <source>Over by {gap}</source>
      <translation>超出 {gap}</translation>
    </message>
    <message>
      <source>No data</source>
      <translation>无数据</translation>
    </message>
    <message>
      <source>No target for this year</source>
      <translation>该年度无目标</translation>
    </message>
    <message>
      <source>no data</source>
      <translation>无数据</translation>
    </message>
    <message>
      <source>{year}: actual {actual} {unit}; target {op} {target} {unit} ({kind}, {source})</source>
      <translation>{year}年：实际 {actual} {unit}；目标 {op} {target} {unit}（{kind}，{source}）</translation>
    </message>
    <message>
      <source>Indicator</source>
      <translation>指标</translation>
    </message>
    <message>
      <source>Kind</source>
      <translation>类型</translation>
    </message>
    <message>
      <source>Recommendation: {text}</source>
      <translation>审计建议：{text}</translation>
    </message>
    <message>
      <source>No.</source>
      <translation>编号</translation>
    </message>
    <message>
      <source>Content area</source>
      <translation>审计内容</translation>
    </message>
    <message>
      <source>Description</source>
      <translation>问题描述</translation>
    </message>
    <message>
      <source>Amount</source>
      <translation>涉及数量</translation>
    </message>
    <message>
      <source>Severity</source>
      <translation>严重程度</translation>
    </message>
    <message>
      <source>Responsibility</source>
      <translation>责任类型</translation>
    </message>
    <message>
      <source>Source</source>
      <translation>来源</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>状态</translation>
    </message>
  </context>
  <context>
    <name>AuditWorkspace</name>
    <message>
      <source>Compared span shorter than the tenure</source>
      <extracomment>an audit report was generated from this workspace: pdf path, xlsx path the audit shown was (re)loaded and its numbers are on screen</extracomment>
      <translation>比较期间短于任期</translation>
    </message>
    <message>
      <source>The comparison starts later than the tenure because earlier year-end data are missing; state this in the evaluation.</source>
      <translation>因缺少更早的年末数据，比较期间的起点晚于任职起始时间，评价时应予说明。</translation>
    </message>
    <message>
      <source>The official's audits: a draft being worked on or a final one</source>
      <translation>该领导干部的审计：正在编制的草稿或已定稿的审计</translation>
    </message>
    <message>
      <source>New draft</source>
      <translation>新建草稿</translation>
    </message>
    <message>
      <source>Start a new draft audit of this official</source>
      <translation>为该领导干部新建一份审计草稿</translation>
    </message>
    <message>
      <source>Audit:</source>
      <translation>审计：</translation>
    </message>
    <message>
      <source>Year-end at the tenure's end:</source>
      <translation>期末取数规则：</translation>
    </message>
    <message>
      <source>Findings</source>
      <translation>问题清单</translation>
    </message>
    <message>
      <source>Resources at start and end</source>
      <translation>任期前后资源对比</translation>
    </message>
    <message>
      <source>Targets each year</source>
      <translation>各年度目标完成情况</translation>
    </message>
    <message>
      <source>Evaluation score</source>
      <translation>审计评价计分</translation>
    </message>
    <message>
      <source>Verify</source>
      <translation>核验</translation>
    </message>
    <message>
      <source>Recompute the fingerprint from the database and compare it with the finalised one</source>
      <translation>根据数据库重新计算数据指纹，并与定稿时的指纹比对</translation>
    </message>
    <message>
      <source>Finalise…</source>
      <translation>定稿…</translation>
    </message>
    <message>
      <source>Freeze the audit and store its fingerprint</source>
      <translation>冻结审计内容并保存数据指纹</translation>
    </message>
    <message>
      <source>Generate report…</source>
      <translation>生成报告…</translation>
    </message>
    <message>
      <source>Previous year-end</source>
      <translation>任职止前最近的年末</translation>
    </message>
    <message>
      <source>The last 31 December on or before the tenure's end (the default)</source>
      <translation>任职止当日或之前最近的 12 月 31 日（默认）</translation>
    </message>
    <message>
      <source>Nearest year-end</source>
      <translation>距任职止最近的年末</translation>
    </message>
    <message>
      <source>The 31 December nearest to the tenure's end (ties: the earlier)</source>
      <translation>距任职止最近的 12 月 31 日（距离相等时取较早者）</translation>
    </message>
    <message>
      <source>Year-end of the end year</source>
      <translation>任职止当年年末</translation>
    </message>
    <message>
      <source>31 December of the year the tenure ended</source>
      <translation>任职止当年的 12 月 31 日</translation>
    </message>
    <message>
      <source>Accept</source>
      <translation>确认</translation>
    </message>
    <message>
      <source>Accept the selected findings</source>
      <translation>确认所选问题</translation>
    </message>
    <message>
      <source>Edit…</source>
      <translation>修改…</translation>
    </message>
    <message>
      <source>Edit the selected finding (a proposed one is accepted)</source>
      <translation>修改所选问题（待确认的问题修改后即为确认）</translation>
    </message>
    <message>
      <source>Reject</source>
      <translation>否决</translation>
    </message>
    <message>
      <source>Reject the selected findings</source>
      <translation>否决所选问题</translation>
    </message>
    <message>
      <source>Add finding…</source>
      <translation>新增问题…</translation>
    </message>
    <message>
      <source>Select a finding to read it in full.</source>
      <translation>选中一条问题可在此查看全文。</translation>
    </message>
    <message>
      <source>Audit</source>
      <translation>审计</translation>
    </message>
    <message>
      <source>{post} · {region} ({code}) ·</source>
      <translation>{post} · {region}（{code}）·</translation>
    </message>
    <message>
      <source>in office</source>
      <translation>在任</translation>
    </message>
    <message>
      <source>audit during the tenure</source>
      <translation>任中审计</translation>
    </message>
    <message>
      <source>departure audit</source>
      <translation>离任审计</translation>
    </message>
    <message>
      <source>Tenure: {start} – {end} ({kind})</source>
      <translation>任期：{start} 至 {end}（{kind}）</translation>
    </message>
    <message>
      <source>Compared: year-end {start} with year-end {end}</source>
      <translation>比较年末：期初 {start}，期末 {end}</translation>
    </message>
    <message>
      <source>(in office: the latest year-end)</source>
      <translation>（在任：取最近有数据的年末）</translation>
    </message>
    <message>
      <source>final</source>
      <translation>定稿</translation>
    </message>
    <message>
      <source>draft</source>
      <translation>草稿</translation>
    </message>
    <message>
      <source>Audit {id} · {state} · {start}–{end}</source>
      <translation>审计 {id} · {state} · {start}–{end}年</translation>
    </message>
    <message>
      <source>{n} proposed finding(s) to decide</source>
      <translation>尚有 {n} 条待确认的问题</translation>
    </message>
    <message>
      <source>Every finding is decided.</source>
      <translation>所有问题均已确认或否决。</translation>
    </message>
    <message>
      <source>Final (read-only): finalised by {user} on {when}. Fingerprint (SHA-256): {digest}</source>
      <translation>已定稿（只读）：由 {user} 于 {when} 定稿。数据指纹（SHA-256）：{digest}</translation>
    </message>
    <message>
      <source>Draft: decide every proposed finding, then finalise. Decisions can be undone (Ctrl+Z) until the audit is final.</source>
      <translation>草稿：逐条确认或否决待确认的问题后定稿。定稿前的操作均可撤销（Ctrl+Z）。</translation>
    </message>
    <message>
      <source>Finding {id}</source>
      <translation>问题 {id}</translation>
    </message>
    <message>
      <source>Recommendation: {text}</source>
      <translation>审计建议：{text}</translation>
    </message>
    <message>
      <source>Deduction set by the audit team: {points} points</source>
      <translation>审计组认定扣分：{points} 分</translation>
    </message>
    <message>
      <source>Accept finding {id}</source>
      <translation>确认问题 {id}</translation>
    </message>
    <message>
      <source>Accept {n} findings</source>
      <translation>确认 {n} 条问题</translation>
    </message>
    <message>
      <source>Reject finding {id}</source>
      <translation>否决问题 {id}</translation>
    </message>
    <message>
      <source>Reject {n} findings</source>
      <translation>否决 {n} 条问题</translation>
    </message>
    <message>
      <source>Edit finding {id}</source>
      <translation>修改问题 {id}</translation>
    </message>
    <message>
      <source>Finalise audit</source>
      <translation>审计定稿</translation>
    </message>
    <message>
      <source>{n} proposed finding(s) are not decided yet. Accept, edit or reject each of them before finalising.</source>
      <translation>还有 {n} 条待确认的问题。请逐条确认、修改或否决后再定稿。</translation>
    </message>
    <message>
      <source>Finalise audit {id} of {name}?

Its data, findings and score are frozen and fingerprinted; the audit can no longer be changed. This cannot be undone, and the decisions made so far can no longer be undone either.</source>
      <translation>确定将{name}的审计 {id} 定稿吗？

定稿后，审计数据、问题和评分将被冻结并生成数据指纹，不能再修改。此操作不可撤销，此前所作的确认、否决也将无法撤销。</translation>
    </message>
    <message>
      <source>Verified: the data are unchanged since the audit was finalised.</source>
      <translation>核验通过：数据与定稿时一致。</translation>
    </message>
    <message>
      <source>Tampered: the data changed after the audit was finalised!
Finalised fingerprint: {stored}
Fingerprint now: {now}</source>
      <translation>核验失败：定稿后数据已被改动！
定稿指纹：{stored}
当前指纹：{now}</translation>
    </message>
    <message>
      <source>Report</source>
      <translation>报告</translation>
    </message>
    <message>
      <source>The report was written:
{xlsx}
{pdf}</source>
      <translation>报告已生成：
{xlsx}
{pdf}</translation>
    </message>
    <message>
      <source>New audit</source>
      <translation>新建审计</translation>
    </message>
    <message>
      <source>The project has no officials yet. Import the officials' table (id, name, post, region, start, end) first.</source>
      <translation>项目中还没有领导干部信息。请先导入领导干部表（编号、姓名、职务、区划、任职起、任职止）。</translation>
    </message>
  </context>
  <context>
    <name>FindingDialog</name>
    <message>
      <source>Edit finding {id}</source>
      <translation>修改问题 {id}</translation>
    </message>
    <message>
      <source>Add a finding</source>
      <translation>新增问题</translation>
    </message>
    <message>
      <source>optional</source>
      <translation>选填</translation>
    </message>
    <message>
      <source>Deduct instead of the scheme's points:</source>
      <translation>不按计分办法，认定扣分：</translation>
    </message>
    <message>
      <source> points</source>
      <translation> 分</translation>
    </message>
    <message>
      <source>No</source>
      <translation>无</translation>
    </message>
    <message>
      <source>Content area:</source>
      <translation>审计内容：</translation>
    </message>
    <message>
      <source>Severity:</source>
      <translation>严重程度：</translation>
    </message>
    <message>
      <source>Responsibility:</source>
      <translation>责任类型：</translation>
    </message>
    <message>
      <source>Description:</source>
      <translation>问题描述：</translation>
    </message>
    <message>
      <source>Recommendation:</source>
      <translation>审计建议：</translation>
    </message>
    <message>
      <source>Unit:</source>
      <translation>单位：</translation>
    </message>
    <message>
      <source>Amount:</source>
      <translation>涉及数量：</translation>
    </message>
    <message>
      <source>Major problem (caps the grade):</source>
      <translation>重大问题（限定评价等次）：</translation>
    </message>
    <message>
      <source>The amount “{text}” is not a number.</source>
      <translation>涉及数量“{text}”不是数字。</translation>
    </message>
    <message>
      <source>Describe the finding.</source>
      <translation>请填写问题描述。</translation>
    </message>
  </context>
  <context>
    <name>Findings</name>
    <message>
      <source>Proposed</source>
      <extracomment>the scheme's severities and responsibilities (core data, shown as they are) the findings, status or rule of audit ``audit_id`` changed</extracomment>
      <translation>待确认</translation>
    </message>
    <message>
      <source>Accepted</source>
      <translation>已确认</translation>
    </message>
    <message>
      <source>Rejected</source>
      <translation>已否决</translation>
    </message>
    <message>
      <source>Auditor</source>
      <translation>审计组</translation>
    </message>
    <message>
      <source>Missed target ({year})</source>
      <translation>目标未完成（{year}年）</translation>
    </message>
    <message>
      <source>Decline in tenure</source>
      <translation>任期内下降</translation>
    </message>
    <message>
      <source>Data check ({year})</source>
      <translation>数据校验（{year}年）</translation>
    </message>
    <message>
      <source>Add finding</source>
      <translation>新增问题</translation>
    </message>
  </context>
  <context>
    <name>OfficialPicker</name>
    <message>
      <source>New audit: choose an official</source>
      <translation>新建审计：选择领导干部</translation>
    </message>
    <message>
      <source>ID</source>
      <translation>编号</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>姓名</translation>
    </message>
    <message>
      <source>Post</source>
      <translation>职务</translation>
    </message>
    <message>
      <source>Region</source>
      <translation>区划</translation>
    </message>
    <message>
      <source>Tenure from</source>
      <translation>任职起</translation>
    </message>
    <message>
      <source>Tenure to</source>
      <translation>任职止</translation>
    </message>
    <message>
      <source>in office</source>
      <translation>在任</translation>
    </message>
    <message>
      <source>Audits</source>
      <translation>审计</translation>
    </message>
    <message>
      <source>Open audit</source>
      <translation>打开审计</translation>
    </message>
    <message>
      <source>The official's newest audit opens (a draft is continued, a final one can start a new draft); without any audit a draft is started.</source>
      <translation>打开该领导干部最近的一次审计（草稿可继续编辑，已定稿的可新建草稿）；尚无审计的将新建一份草稿。</translation>
    </message>
    <message>
      <source>none</source>
      <translation>无</translation>
    </message>
    <message>
      <source>{n} ({final} final)</source>
      <translation>{n} 份（定稿 {final} 份）</translation>
    </message>
  </context>
  <context>
    <name>PdfPreview</name>
    <message>
      <source>◀ Previous</source>
      <translation>◀ 上一页</translation>
    </message>
    <message>
      <source>Previous page</source>
      <translation>上一页</translation>
    </message>
    <message>
      <source>Next ▶</source>
      <translation>下一页 ▶</translation>
    </message>
    <message>
      <source>Next page</source>
      <translation>下一页</translation>
    </message>
    <message>
      <source>Fit width</source>
      <translation>适合宽度</translation>
    </message>
    <message>
      <source>Zoom to the width of the window</source>
      <translation>按窗口宽度缩放</translation>
    </message>
    <message>
      <source>Zoom out</source>
      <translation>缩小</translation>
    </message>
    <message>
      <source>Zoom in</source>
      <translation>放大</translation>
    </message>
    <message>
      <source>Print…</source>
      <translation>打印…</translation>
    </message>
    <message>
      <source>Print the report</source>
      <translation>打印报告</translation>
    </message>
    <message>
      <source>Open workbook</source>
      <translation>打开工作簿</translation>
    </message>
    <message>
      <source>Open the Excel workbook in the spreadsheet program</source>
      <translation>用电子表格软件打开 Excel 工作簿</translation>
    </message>
    <message>
      <source>of {n}</source>
      <translation>/ 共 {n} 页</translation>
    </message>
    <message>
      <source>Report preview</source>
      <translation>报告预览</translation>
    </message>
    <message>
      <source>The PDF {path} could not be opened ({error}). Generate the report again.</source>
      <translation>无法打开 PDF 文件 {path}（{error}）。请重新生成报告。</translation>
    </message>
    <message>
      <source>Print</source>
      <translation>打印</translation>
    </message>
    <message>
      <source>The printer could not be started. Check that it is connected and ready.</source>
      <translation>无法启动打印机。请检查打印机是否已连接并就绪。</translation>
    </message>
    <message>
      <source>The workbook {path} no longer exists.</source>
      <translation>工作簿 {path} 已不存在。</translation>
    </message>
    <message>
      <source>No program is set up to open {path}. Install a spreadsheet program (Excel, WPS, LibreOffice) or open the file from its folder.</source>
      <translation>没有可以打开 {path} 的程序。请安装电子表格软件（Excel、WPS、LibreOffice），或到文件所在的文件夹中打开。</translation>
    </message>
  </context>
  <context>
    <name>ReportDialog</name>
    <message>
      <source>Generate report</source>
      <translation>生成报告</translation>
    </message>
    <message>
      <source>Natural resource balance sheet</source>
      <translation>自然资源资产负债表</translation>
    </message>
    <message>
      <source>Departure audit report</source>
      <translation>自然资源资产审计报告</translation>
    </message>
    <message>
      <source>Templates from: {folder}</source>
      <translation>模板目录：{folder}</translation>
    </message>
    <message>
      <source>Templates: the shipped ones</source>
      <translation>模板：系统自带模板</translation>
    </message>
    <message>
      <source>Region:</source>
      <translation>区划：</translation>
    </message>
    <message>
      <source>Year:</source>
      <translation>年度：</translation>
    </message>
    <message>
      <source>Audit:</source>
      <translation>审计：</translation>
    </message>
    <message>
      <source>Generate…</source>
      <translation>生成…</translation>
    </message>
    <message>
      <source>Audit {id} · {name} {post} · {start}–{end} · {state}</source>
      <translation>审计 {id} · {name} {post} · {start}–{end}年 · {state}</translation>
    </message>
    <message>
      <source>final</source>
      <translation>定稿</translation>
    </message>
    <message>
      <source>draft</source>
      <translation>草稿</translation>
    </message>
    <message>
      <source>Report</source>
      <translation>报告</translation>
    </message>
  </context>
  <context>
    <name>Reports</name>
    <message>
      <source>Audit report {id} {name}</source>
      <translation>{name}审计报告（审计{id}）</translation>
    </message>
    <message>
      <source>{region} balance sheet {year}</source>
      <translation>{region}{year}年自然资源资产负债表</translation>
    </message>
    <message>
      <source>Save the report as</source>
      <translation>报告另存为</translation>
    </message>
    <message>
      <source>Excel workbook (*.xlsx)</source>
      <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
      <source>Generating the report…</source>
      <translation>正在生成报告…</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <source>Report</source>
      <translation>报告</translation>
    </message>
    <message>
      <source>The report was written, with warnings:
{warnings}</source>
      <translation>报告已生成，但有以下警告：
{warnings}</translation>
    </message>
  </context>
  <context>
    <name>ScorePanel</name>
    <message>
      <source>Recomputing…</source>
      <translation>正在重新计算…</translation>
    </message>
    <message>
      <source>No.</source>
      <translation>编号</translation>
    </message>
    <message>
      <source>Content area</source>
      <translation>审计内容</translation>
    </message>
    <message>
      <source>Full marks</source>
      <translation>满分</translation>
    </message>
    <message>
      <source>Deducted</source>
      <translation>扣分</translation>
    </message>
    <message>
      <source>Score</source>
      <translation>得分</translation>
    </message>
    <message>
      <source>Area</source>
      <translation>内容</translation>
    </message>
    <message>
      <source>Rule</source>
      <translation>扣分规则</translation>
    </message>
    <message>
      <source>Points</source>
      <translation>扣分</translation>
    </message>
    <message>
      <source>Basis</source>
      <translation>扣分依据</translation>
    </message>
    <message>
      <source>Total:</source>
      <translation>综合得分：</translation>
    </message>
    <message>
      <source>Grade:</source>
      <translation>评价等次：</translation>
    </message>
    <message>
      <source>A major problem caps the grade: by points it would be “{grade}”.</source>
      <translation>存在重大问题，评价等次封顶：按得分应为“{grade}”。</translation>
    </message>
    <message>
      <source>Deductions and their basis ({n})</source>
      <translation>扣分及依据（{n}）</translation>
    </message>
    <message>
      <source>Notes: nothing deducted ({n})</source>
      <translation>未扣分说明（{n}）</translation>
    </message>
  </context>
</TS>