<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>Errors</name>
    <message>
      <source>Something went wrong that the program did not expect. Nothing was saved from the failed operation. The details were written to the log file: {path}</source>
      <translation>发生了程序未预料到的错误，失败的操作没有保存任何内容。详细信息已写入日志文件：{path}</translation>
    </message>
    <message>
      <source>Error</source>
      <translation>错误</translation>
    </message>
  </context>
  <context>
    <name>Export</name>
    <message>
      <source>Export to folder</source>
      <translation>导出到文件夹</translation>
    </message>
    <message>
      <source>{path}: {rows} rows</source>
      <translation>{path}：{rows} 行</translation>
    </message>
    <message>
      <source>Export finished</source>
      <translation>导出完成</translation>
    </message>
  </context>
  <context>
    <name>Help</name>
    <message>
      <source>User manual</source>
      <translation>用户手册</translation>
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <source>Navigator</source>
      <extracomment>the user changed the language: the application rebuilds the window</extracomment>
      <translation>导航</translation>
    </message>
    <message>
      <source>Problems</source>
      <translation>校验问题</translation>
    </message>
    <message>
      <source>&amp;New project…</source>
      <translation>新建项目(&amp;N)…</translation>
    </message>
    <message>
      <source>Create an empty project file</source>
      <translation>新建一个空的项目文件</translation>
    </message>
    <message>
      <source>&amp;Open project…</source>
      <translation>打开项目(&amp;O)…</translation>
    </message>
    <message>
      <source>Open a project file</source>
      <translation>打开项目文件</translation>
    </message>
    <message>
      <source>Open the &amp;sample county</source>
      <translation>打开示例县(&amp;S)</translation>
    </message>
    <message>
      <source>&amp;Import data…</source>
      <translation>导入数据(&amp;I)…</translation>
    </message>
    <message>
      <source>Import tables (CSV or Excel) into the project</source>
      <translation>将表格（CSV 或 Excel）导入项目</translation>
    </message>
    <message>
      <source>&amp;Export data…</source>
      <translation>导出数据(&amp;E)…</translation>
    </message>
    <message>
      <source>Export the region's data as importable tables</source>
      <translation>将当前区划的数据导出为可再导入的表格</translation>
    </message>
    <message>
      <source>&amp;Save</source>
      <translation>保存(&amp;S)</translation>
    </message>
    <message>
      <source>Every edit is saved at once; this confirms it</source>
      <translation>每次修改都会立即保存；此命令确认已写入文件</translation>
    </message>
    <message>
      <source>&amp;Back up project…</source>
      <translation>备份项目(&amp;B)…</translation>
    </message>
    <message>
      <source>Write a consistent copy of the project file</source>
      <translation>写出项目文件的一致副本</translation>
    </message>
    <message>
      <source>&amp;Print…</source>
      <translation>打印(&amp;P)…</translation>
    </message>
    <message>
      <source>Print the report shown, or make one to print</source>
      <translation>打印当前显示的报告，或先生成报告再打印</translation>
    </message>
    <message>
      <source>&amp;Close project</source>
      <translation>关闭项目(&amp;C)</translation>
    </message>
    <message>
      <source>E&amp;xit</source>
      <translation>退出(&amp;X)</translation>
    </message>
    <message>
      <source>&amp;Undo</source>
      <translation>撤销(&amp;U)</translation>
    </message>
    <message>
      <source>&amp;Redo</source>
      <translation>重做(&amp;R)</translation>
    </message>
    <message>
      <source>&amp;Copy</source>
      <translation>复制(&amp;C)</translation>
    </message>
    <message>
      <source>&amp;Paste</source>
      <translation>粘贴(&amp;P)</translation>
    </message>
    <message>
      <source>&amp;Find…</source>
      <translation>查找(&amp;F)…</translation>
    </message>
    <message>
      <source>Pre&amp;ferences…</source>
      <translation>首选项(&amp;F)…</translation>
    </message>
    <message>
      <source>&amp;Check</source>
      <translation>校验(&amp;C)</translation>
    </message>
    <message>
      <source>Check the selected region and year</source>
      <translation>校验所选区划和年度</translation>
    </message>
    <message>
      <source>&amp;Lock year…</source>
      <translation>结账锁定(&amp;L)…</translation>
    </message>
    <message>
      <source>Sign the year off (结账): no more changes</source>
      <translation>年度结账：锁定后不能再修改</translation>
    </message>
    <message>
      <source>&amp;Unlock year…</source>
      <translation>解锁(&amp;U)…</translation>
    </message>
    <message>
      <source>Reopen a locked year (the reason is logged)</source>
      <translation>重新打开已结账的年度（原因记入修改记录）</translation>
    </message>
    <message>
      <source>Land &amp;change records</source>
      <translation>土地变更记录(&amp;C)</translation>
    </message>
    <message>
      <source>&amp;Transition matrix</source>
      <translation>转移矩阵(&amp;T)</translation>
    </message>
    <message>
      <source>C&amp;harts</source>
      <translation>图表(&amp;H)</translation>
    </message>
    <message>
      <source>&amp;New audit…</source>
      <translation>新建审计(&amp;N)…</translation>
    </message>
    <message>
      <source>Start a departure audit of an official</source>
      <translation>开始一项领导干部离任审计</translation>
    </message>
    <message>
      <source>&amp;Generate report…</source>
      <translation>生成报告(&amp;G)…</translation>
    </message>
    <message>
      <source>Balance-sheet or audit report: workbook and PDF</source>
      <translation>资产负债表或审计报告：工作簿和 PDF</translation>
    </message>
    <message>
      <source>User &amp;manual</source>
      <translation>用户手册(&amp;M)</translation>
    </message>
    <message>
      <source>&amp;About</source>
      <translation>关于(&amp;A)</translation>
    </message>
    <message>
      <source>&amp;File</source>
      <translation>文件(&amp;F)</translation>
    </message>
    <message>
      <source>Open &amp;recent</source>
      <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
      <source>&amp;Edit</source>
      <translation>编辑(&amp;E)</translation>
    </message>
    <message>
      <source>&amp;Accounts</source>
      <translation>核算(&amp;A)</translation>
    </message>
    <message>
      <source>A&amp;udit</source>
      <translation>审计(&amp;U)</translation>
    </message>
    <message>
      <source>&amp;View</source>
      <translation>视图(&amp;V)</translation>
    </message>
    <message>
      <source>Area &amp;unit</source>
      <translation>面积单位(&amp;U)</translation>
    </message>
    <message>
      <source>Hectares (公顷)</source>
      <translation>公顷</translation>
    </message>
    <message>
      <source>Mu (亩)</source>
      <translation>亩</translation>
    </message>
    <message>
      <source>&amp;Help</source>
      <translation>帮助(&amp;H)</translation>
    </message>
    <message>
      <source>Main</source>
      <translation>主工具栏</translation>
    </message>
    <message>
      <source>Import in progress</source>
      <translation>正在导入</translation>
    </message>
    <message>
      <source>An import is being written. Cancel it in the import window or wait until it finishes, then try again.</source>
      <translation>正在写入导入的数据。请在导入窗口中取消，或等待导入完成后再试。</translation>
    </message>
    <message>
      <source>no project</source>
      <translation>未打开项目</translation>
    </message>
    <message>
      <source>Natural-resource balance sheet — {name}</source>
      <translation>自然资源资产负债表 — {name}</translation>
    </message>
    <message>
      <source>Region {region}, {year}</source>
      <translation>区划 {region}，{year} 年</translation>
    </message>
    <message>
      <source>Locked</source>
      <translation>已结账锁定</translation>
    </message>
    <message>
      <source>Open for editing</source>
      <translation>可编辑</translation>
    </message>
    <message>
      <source>{year} land changes</source>
      <translation>{year} 年土地变更记录</translation>
    </message>
    <message>
      <source>Transition matrix</source>
      <translation>转移矩阵</translation>
    </message>
    <message>
      <source>Charts</source>
      <translation>图表</translation>
    </message>
    <message>
      <source>Audit {official}</source>
      <translation>审计 {official}</translation>
    </message>
    <message>
      <source>New project</source>
      <translation>新建项目</translation>
    </message>
    <message>
      <source>Open project</source>
      <translation>打开项目</translation>
    </message>
    <message>
      <source>(none)</source>
      <translation>（无）</translation>
    </message>
    <message>
      <source>All changes are saved in {path}</source>
      <translation>所有修改均已保存在 {path}</translation>
    </message>
    <message>
      <source>Back up project</source>
      <translation>备份项目</translation>
    </message>
    <message>
      <source>Backup written: {path}</source>
      <translation>备份已写入：{path}</translation>
    </message>
    <message>
      <source>Lock year</source>
      <translation>结账锁定</translation>
    </message>
    <message>
      <source>Lock {year} of region {region}? Nobody can change its data until it is unlocked.
Note (optional):</source>
      <translation>确定将区划 {region} 的 {year} 年结账锁定吗？解锁之前任何人都不能修改该年数据。
备注（可选）：</translation>
    </message>
    <message>
      <source>Unlock year</source>
      <translation>解锁年度</translation>
    </message>
    <message>
      <source>Why must {year} be reopened? (recorded in the change log)</source>
      <translation>为什么要重新打开 {year} 年？（将记入修改记录）</translation>
    </message>
    <message>
      <source>About</source>
      <translation>关于</translation>
    </message>
    <message>
      <source>&lt;h3&gt;Natural-resource balance sheet {version}&lt;/h3&gt;&lt;p&gt;County natural-resource asset balance sheets (land, water, forest, wetland) and departure audits of leading officials.&lt;/p&gt;&lt;p&gt;Log file: {log}&lt;/p&gt;</source>
      <translation>&lt;h3&gt;自然资源资产负债表 {version}&lt;/h3&gt;&lt;p&gt;县级自然资源资产负债表（土地、水、森林、湿地）编制与领导干部自然资源资产离任审计。&lt;/p&gt;&lt;p&gt;日志文件：{log}&lt;/p&gt;</translation>
    </message>
    <message>
      <source>Opening {path}…</source>
      <translation>正在打开 {path}…</translation>
    </message>
    <message>
      <source>&amp;Restore from backup…</source>
      <translation>从备份恢复(&amp;R)…</translation>
    </message>
    <message>
      <source>Replace the project's data with a backup copy (the current file is kept)</source>
      <translation>用备份副本替换项目数据（当前文件会先另存保留）</translation>
    </message>
    <message>
      <source>Change &amp;history…</source>
      <translation>修改记录(&amp;H)…</translation>
    </message>
    <message>
      <source>Who changed what and when: every edit, import, lock and unlock</source>
      <translation>谁在何时改了什么：每次修改、导入、结账与解锁</translation>
    </message>
    <message>
      <source>Writing the backup…</source>
      <translation>正在写入备份…</translation>
    </message>
    <message>
      <source>Restore from backup</source>
      <translation>从备份恢复</translation>
    </message>
    <message>
      <source>Replace all data of {project} with the backup {backup}?

Changes made after the backup will be gone from the project; the current file is first saved beside it (name with 恢复前 and the time), so the restore can be undone.</source>
      <translation>用备份 {backup} 替换 {project} 的全部数据？

备份之后所做的修改将从项目中消失；当前文件会先另存在同一目录（文件名含“恢复前”和时间），因此恢复操作本身也可以撤回。</translation>
    </message>
    <message>
      <source>Restoring…</source>
      <translation>正在恢复…</translation>
    </message>
    <message>
      <source>Restored from {backup}; the previous file is {safety}</source>
      <translation>已从 {backup} 恢复；恢复前的文件保存为 {safety}</translation>
    </message>
    <message>
      <source>Project upgraded</source>
      <translation>项目已升级</translation>
    </message>
  </context>
  <context>
    <name>Navigator</name>
    <message>
      <source>Regions</source>
      <extracomment>What a navigator entry opens: ("account", region, year, resource), ("changes", region, year), ("matrix", region, year), ("charts", region), ("official", official_id), ("audit", audit_id)</extracomment>
      <translation>区划</translation>
    </message>
    <message>
      <source>Charts</source>
      <translation>图表</translation>
    </message>
    <message>
      <source> (locked)</source>
      <translation>（已结账）</translation>
    </message>
    <message>
      <source>{year}</source>
      <translation>{year} 年</translation>
    </message>
    <message>
      <source>Land change records</source>
      <translation>土地变更记录</translation>
    </message>
    <message>
      <source>Transition matrix</source>
      <translation>转移矩阵</translation>
    </message>
    <message>
      <source>Officials and audits</source>
      <translation>领导干部与审计</translation>
    </message>
    <message>
      <source>Region {region}</source>
      <translation>区划 {region}</translation>
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
      <source>Audit {id}: {y0}–{y1} ({state})</source>
      <translation>审计 {id}：{y0}—{y1}（{state}）</translation>
    </message>
  </context>
  <context>
    <name>PreferencesDialog</name>
    <message>
      <source>Preferences</source>
      <translation>首选项</translation>
    </message>
    <message>
      <source>Language:</source>
      <translation>界面语言：</translation>
    </message>
    <message>
      <source>Hectares (公顷)</source>
      <translation>公顷</translation>
    </message>
    <message>
      <source>Mu (亩)</source>
      <translation>亩</translation>
    </message>
    <message>
      <source>Show areas in:</source>
      <translation>面积显示单位：</translation>
    </message>
    <message>
      <source>Differences up to this amount (in the item's unit) are treated as rounding by the checks</source>
      <translation>校验时，不超过此数值（按项目单位）的差额视为舍入误差</translation>
    </message>
    <message>
      <source>Check tolerance:</source>
      <translation>校验容差：</translation>
    </message>
    <message>
      <source>Import folder:</source>
      <translation>导入文件夹：</translation>
    </message>
    <message>
      <source>Export folder:</source>
      <translation>导出文件夹：</translation>
    </message>
    <message>
      <source>Report folder:</source>
      <translation>报告文件夹：</translation>
    </message>
    <message>
      <source>My templates folder:</source>
      <translation>自定义模板文件夹：</translation>
    </message>
    <message>
      <source>(empty: the shipped templates)</source>
      <translation>（留空：使用自带模板）</translation>
    </message>
    <message>
      <source>Browse…</source>
      <translation>浏览…</translation>
    </message>
    <message>
      <source>Choose a folder</source>
      <translation>选择文件夹</translation>
    </message>
  </context>
  <context>
    <name>StartDialog</name>
    <message>
      <source>Sample county</source>
      <translation>示例县</translation>
    </message>
    <message>
      <source>Creating the sample county…</source>
      <translation>正在创建示例县…</translation>
    </message>
    <message>
      <source>Welcome</source>
      <translation>欢迎使用</translation>
    </message>
    <message>
      <source>&lt;h2&gt;Natural-resource balance sheet&lt;/h2&gt;&lt;p&gt;Open a project file, create a new one, or explore the fictional sample county.&lt;/p&gt;</source>
      <translation>&lt;h2&gt;自然资源资产负债表&lt;/h2&gt;&lt;p&gt;打开一个项目文件、新建项目，或先看看虚构的示例县。&lt;/p&gt;</translation>
    </message>
    <message>
      <source>Recent projects:</source>
      <translation>最近打开的项目：</translation>
    </message>
    <message>
      <source>Open a project…</source>
      <translation>打开项目…</translation>
    </message>
    <message>
      <source>Create a new project…</source>
      <translation>新建项目…</translation>
    </message>
    <message>
      <source>Open the sample county</source>
      <translation>打开示例县</translation>
    </message>
  </context>
</TS>