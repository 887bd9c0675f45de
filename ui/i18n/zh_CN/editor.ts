<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>AccountEditor</name>
    <message>
      <source>Calculating…</source>
      <translation>正在计算…</translation>
    </message>
    <message>
      <source>Calculation failed</source>
      <translation>计算失败</translation>
    </message>
    <message>
      <source>see each row</source>
      <translation>见各行</translation>
    </message>
    <message>
      <source>{region} · {year} · {account} stocks and changes · unit: {unit}</source>
      <translation>{region} · {year} 年 · {account}存量及变动表 · 单位：{unit}</translation>
    </message>
    <message>
      <source>Checks passed</source>
      <translation>校验通过</translation>
    </message>
    <message>
      <source>{errors} errors, {warnings} warnings</source>
      <translation>{errors} 个错误，{warnings} 个警告</translation>
    </message>
    <message>
      <source>Value not accepted</source>
      <translation>数值未被接受</translation>
    </message>
    <message>
      <source>Clear {count} cells</source>
      <translation>清除 {count} 个单元格</translation>
    </message>
    <message>
      <source>Paste</source>
      <translation>粘贴</translation>
    </message>
    <message>
      <source>Select the cell where the pasted block should start.</source>
      <translation>请先选中粘贴区域左上角的单元格。</translation>
    </message>
    <message>
      <source>Nothing was pasted: {count} cells cannot take the pasted value.</source>
      <translation>未粘贴任何数据：有 {count} 个单元格不能接受粘贴的数值。</translation>
    </message>
    <message>
      <source>… and {count} more.</source>
      <translation>……另有 {count} 个。</translation>
    </message>
    <message>
      <source>Correct the values (or the cell where you paste) and paste again.</source>
      <translation>请更正数值（或粘贴位置）后重新粘贴。</translation>
    </message>
    <message>
      <source>Paste refused</source>
      <translation>粘贴被拒绝</translation>
    </message>
    <message>
      <source>Paste {count} cells</source>
      <translation>粘贴 {count} 个单元格</translation>
    </message>
    <message>
      <source>Not found</source>
      <translation>未找到</translation>
    </message>
    <message>
      <source>Annual amounts and computed items have no change records.</source>
      <translation>年度流量项目和计算项目没有变动明细。</translation>
    </message>
    <message>
      <source>{item} {name} · {column} · {year}</source>
      <translation>{item} {name} · {column} · {year} 年</translation>
    </message>
    <message>
      <source>Show change records</source>
      <translation>查看变动明细</translation>
    </message>
    <message>
      <source>Copy</source>
      <translation>复制</translation>
    </message>
    <message>
      <source>Clear values</source>
      <translation>清除数值</translation>
    </message>
    <message>
      <source>Find item…</source>
      <translation>查找项目…</translation>
    </message>
  </context>
  <context>
    <name>AccountTableModel</name>
    <message>
      <source>Human factors</source>
      <extracomment>the columns a problem of each kind is marked on (others: the code and name)</extracomment>
      <translation>人为因素</translation>
    </message>
    <message>
      <source>Natural factors</source>
      <translation>自然因素</translation>
    </message>
    <message>
      <source>Other factors</source>
      <translation>其他因素</translation>
    </message>
    <message>
      <source>Code</source>
      <translation>编码</translation>
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
      <source>Opening stock</source>
      <translation>期初存量</translation>
    </message>
    <message>
      <source>Additions</source>
      <translation>增加</translation>
    </message>
    <message>
      <source>Total additions</source>
      <translation>增加合计</translation>
    </message>
    <message>
      <source>Reductions</source>
      <translation>减少</translation>
    </message>
    <message>
      <source>Total reductions</source>
      <translation>减少合计</translation>
    </message>
    <message>
      <source>Closing (computed)</source>
      <translation>期末存量（计算）</translation>
    </message>
    <message>
      <source>Closing (reported)</source>
      <translation>期末存量（填报）</translation>
    </message>
    <message>
      <source>Discrepancy</source>
      <translation>差额</translation>
    </message>
    <message>
      <source>computed</source>
      <translation>计算得出</translation>
    </message>
    <message>
      <source>a group: the sum of its members</source>
      <translation>汇总分组，由所含项目合计</translation>
    </message>
    <message>
      <source>computed by a formula</source>
      <translation>由公式计算</translation>
    </message>
    <message>
      <source>the sum of its sub-items</source>
      <translation>由下级项目合计</translation>
    </message>
    <message>
      <source>no opening stock</source>
      <translation>无期初存量</translation>
    </message>
    <message>
      <source>the previous year is locked</source>
      <translation>上一年度已结账锁定</translation>
    </message>
    <message>
      <source>the year is locked</source>
      <translation>本年度已结账锁定</translation>
    </message>
    <message>
      <source>Reported closing minus computed closing (opening + additions − reductions)</source>
      <translation>期末填报存量减去计算期末存量（期初 + 增加 − 减少）</translation>
    </message>
    <message>
      <source>Double-click or press Enter to list the changes behind a cell</source>
      <translation>双击或按回车键查看该单元格的变动明细</translation>
    </message>
    <message>
      <source>Read-only: {reason}</source>
      <translation>只读：{reason}</translation>
    </message>
    <message>
      <source>「{value}」 is not a number.</source>
      <translation>「{value}」不是数字。</translation>
    </message>
    <message>
      <source>「{value}」: enter a number that is not negative.</source>
      <translation>「{value}」：请输入不小于 0 的数字。</translation>
    </message>
    <message>
      <source>Edit {item}</source>
      <translation>修改 {item}</translation>
    </message>
    <message>
      <source>Row {row}, column {column}: 「{value}」 — outside the table</source>
      <translation>第 {row} 行第 {column} 列：「{value}」 — 超出表格范围</translation>
    </message>
    <message>
      <source>{item} {name}, {column}: 「{value}」 — {why}</source>
      <translation>{item} {name}，{column}：「{value}」 — {why}</translation>
    </message>
    <message>
      <source>read-only ({reason})</source>
      <translation>只读（{reason}）</translation>
    </message>
    <message>
      <source>not a number</source>
      <translation>不是数字</translation>
    </message>
    <message>
      <source>negative</source>
      <translation>不能为负数</translation>
    </message>
  </context>
  <context>
    <name>FindBar</name>
    <message>
      <source>Item code or name</source>
      <translation>项目编码或名称</translation>
    </message>
    <message>
      <source>Next</source>
      <translation>下一个</translation>
    </message>
    <message>
      <source>Close the find bar (Esc)</source>
      <translation>关闭查找栏（Esc）</translation>
    </message>
    <message>
      <source>Find:</source>
      <translation>查找：</translation>
    </message>
  </context>
  <context>
    <name>FlowDialog</name>
    <message>
      <source>New change record</source>
      <translation>新增变动记录</translation>
    </message>
    <message>
      <source>(outside)</source>
      <translation>（账户外）</translation>
    </message>
    <message>
      <source>From (reduces):</source>
      <translation>转出项目（减少）：</translation>
    </message>
    <message>
      <source>To (adds):</source>
      <translation>转入项目（增加）：</translation>
    </message>
    <message>
      <source>Cause:</source>
      <translation>变动原因：</translation>
    </message>
    <message>
      <source>Value ({unit}):</source>
      <translation>数量（{unit}）：</translation>
    </message>
  </context>
  <context>
    <name>FlowsModel</name>
    <message>
      <source>From</source>
      <translation>转出</translation>
    </message>
    <message>
      <source>To</source>
      <translation>转入</translation>
    </message>
    <message>
      <source>Cause</source>
      <translation>变动原因</translation>
    </message>
    <message>
      <source>Value</source>
      <translation>数量</translation>
    </message>
    <message>
      <source>(outside)</source>
      <translation>（账户外）</translation>
    </message>
    <message>
      <source>「{value}」 is not a number.</source>
      <translation>「{value}」不是数字。</translation>
    </message>
  </context>
  <context>
    <name>FlowsPanel</name>
    <message>
      <source>&amp;Add record…</source>
      <translation>新增记录(&amp;A)…</translation>
    </message>
    <message>
      <source>&amp;Delete selected</source>
      <translation>删除所选(&amp;D)</translation>
    </message>
    <message>
      <source>Close</source>
      <translation>关闭</translation>
    </message>
    <message>
      <source>No change records behind this cell.</source>
      <translation>该单元格没有变动明细。</translation>
    </message>
    <message>
      <source>{count} records, total {total} {unit}</source>
      <translation>共 {count} 条，合计 {total} {unit}</translation>
    </message>
    <message>
      <source> (the table shows {value}; recalculating…)</source>
      <translation>（表中为 {value}，正在重新计算…）</translation>
    </message>
    <message>
      <source> — locked year, read-only</source>
      <translation> — 已结账年度，只读</translation>
    </message>
    <message>
      <source>Change record value</source>
      <translation>修改变动记录数量</translation>
    </message>
    <message>
      <source>Delete change record</source>
      <translation>删除变动记录</translation>
    </message>
    <message>
      <source>Delete {count} change records</source>
      <translation>删除 {count} 条变动记录</translation>
    </message>
    <message>
      <source>New change record</source>
      <translation>新增变动记录</translation>
    </message>
    <message>
      <source>Enter the value as a number.</source>
      <translation>数量请输入数字。</translation>
    </message>
    <message>
      <source>Add change record</source>
      <translation>新增变动记录</translation>
    </message>
    <message>
      <source>Change records</source>
      <translation>变动明细</translation>
    </message>
  </context>
  <context>
    <name>ProblemsModel</name>
    <message>
      <source>Severity</source>
      <translation>级别</translation>
    </message>
    <message>
      <source>Resource</source>
      <translation>资源</translation>
    </message>
    <message>
      <source>Item</source>
      <translation>项目</translation>
    </message>
    <message>
      <source>Problem</source>
      <translation>问题</translation>
    </message>
    <message>
      <source>Expected</source>
      <translation>应为</translation>
    </message>
    <message>
      <source>Actual</source>
      <translation>实际</translation>
    </message>
    <message>
      <source>Difference</source>
      <translation>差额</translation>
    </message>
    <message>
      <source>Unit</source>
      <translation>单位</translation>
    </message>
    <message>
      <source>Error</source>
      <translation>错误</translation>
    </message>
    <message>
      <source>Warning</source>
      <translation>警告</translation>
    </message>
  </context>
  <context>
    <name>ProblemsPanel</name>
    <message>
      <source>Run the checks again</source>
      <translation>重新校验</translation>
    </message>
    <message>
      <source>Choose a year and run the checks (Accounts ▸ Check).</source>
      <translation>请选择年度后运行校验（核算 ▸ 校验）。</translation>
    </message>
    <message>
      <source>Checking {year}…</source>
      <translation>正在校验 {year} 年…</translation>
    </message>
    <message>
      <source>{place} {year}: {errors} errors, {warnings} warnings</source>
      <translation>{place} {year} 年：{errors} 个错误，{warnings} 个警告</translation>
    </message>
    <message>
      <source>{place} {year}: no problems found</source>
      <translation>{place} {year} 年：未发现问题</translation>
    </message>
    <message>
      <source>The checks could not run.</source>
      <translation>校验未能完成。</translation>
    </message>
  </context>
</TS>