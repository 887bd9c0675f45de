<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>FieldDelegate</name>
    <message>
        <source>(not imported)</source>
        <translation>（不导入）</translation>
    </message>
</context>
<context>
    <name>FilesPage</name>
    <message>
        <source>Files to import</source>
        <translation>选择要导入的文件</translation>
    </message>
    <message>
        <source>Choose tables in the import formats (CSV or Excel): regions, stocks, flows, land changes, targets or officials. You can also drag files onto the list.</source>
        <translation>请选择符合导入格式的表格（CSV 或 Excel）：区划、存量、变动（增减）、土地变更记录、目标指标或领导干部任职。也可以把文件拖到下面的列表中。</translation>
    </message>
    <message>
        <source>&amp;Add files…</source>
        <translation>添加文件(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>移除(&amp;R)</translation>
    </message>
    <message>
        <source>Files are imported in the order their contents need: regions first, then officials, targets, stocks, land changes and flows.</source>
        <translation>文件按数据之间的依赖顺序导入：先区划，再领导干部任职、目标指标、存量、土地变更记录和变动（增减）。</translation>
    </message>
    <message>
        <source>Add files to import</source>
        <translation>添加要导入的文件</translation>
    </message>
    <message>
        <source>Tables (*.csv *.xlsx *.xlsm);;All files (*)</source>
        <translation>表格 (*.csv *.xlsx *.xlsm);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>ImportPage</name>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>The files are imported in this order. Each file is imported completely or not at all.</source>
        <translation>文件按以下顺序导入；每个文件要么全部导入，要么完全不导入。</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>关闭(&amp;C)</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>数据类型</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>&amp;Cancel import</source>
        <translation>取消导入(&amp;C)</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在开始…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Cancelling: rolling back the file being imported…</source>
        <translation>正在取消：回滚正在导入的文件…</translation>
    </message>
    <message>
        <source>Imported</source>
        <translation>已导入</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>正在导入…</translation>
    </message>
    <message>
        <source>Not imported</source>
        <translation>未导入</translation>
    </message>
    <message>
        <source>Import failed</source>
        <translation>导入失败</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>All {count} file(s) were imported.</source>
        <translation>{count} 个文件已全部导入。</translation>
    </message>
    <message>
        <source>Import cancelled. {file} was not imported: what had been written of it was rolled back, so the project is as it was before it.</source>
        <translation>导入已取消。{file} 未导入：已写入的部分已全部回滚，项目数据与导入该文件之前完全相同。</translation>
    </message>
    <message>
        <source>{file} could not be imported; nothing of it was written.</source>
        <translation>{file} 未能导入，其中的数据一条也没有写入。</translation>
    </message>
    <message>
        <source>Imported before that: {files}.</source>
        <translation>此前已导入：{files}。</translation>
    </message>
    <message>
        <source>Not imported: {files}.</source>
        <translation>未导入：{files}。</translation>
    </message>
    <message>
        <source>Go Back to check and import the files not imported.</source>
        <translation>可点击“上一步”重新检查并导入未导入的文件。</translation>
    </message>
</context>
<context>
    <name>ImportWizard</name>
    <message>
        <source>Import data</source>
        <translation>导入数据</translation>
    </message>
</context>
<context>
    <name>IssuesModel</name>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Sheet</source>
        <translation>工作表</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>行号</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
</context>
<context>
    <name>MappingModel</name>
    <message>
        <source>(not imported)</source>
        <translation>（不导入）</translation>
    </message>
    <message>
        <source>Column in the file</source>
        <translation>文件中的列</translation>
    </message>
    <message>
        <source>Imported as</source>
        <translation>导入为</translation>
    </message>
    <message>
        <source>Choose the field this column holds; * marks a required field.</source>
        <translation>选择这一列对应的字段；带 * 的为必填字段。</translation>
    </message>
</context>
<context>
    <name>PreviewPage</name>
    <message>
        <source>Check the files</source>
        <translation>检查文件</translation>
    </message>
    <message>
        <source>Each file is read and checked without changing the project. Everything listed under Problems must be fixed before importing.</source>
        <translation>逐个读取并校验文件，不会改动项目数据。“问题”中列出的每一项都须改正后才能导入。</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>导入(&amp;I)</translation>
    </message>
    <message>
        <source>Check &amp;again</source>
        <translation>重新检查(&amp;A)</translation>
    </message>
    <message>
        <source>Read every file again (after you corrected it)</source>
        <translation>重新读取并校验所有文件（改正文件后使用）</translation>
    </message>
    <message>
        <source>Choose the kind of table</source>
        <translation>请选择数据类型</translation>
    </message>
    <message>
        <source>Choose the sheet</source>
        <translation>请选择工作表</translation>
    </message>
    <message>
        <source>Sheet:</source>
        <translation>工作表：</translation>
    </message>
    <message>
        <source>&amp;Replace the earlier import</source>
        <translation>替换以前的导入(&amp;R)</translation>
    </message>
    <message>
        <source>Kind of table:</source>
        <translation>数据类型：</translation>
    </message>
    <message>
        <source>Land classification:</source>
        <translation>土地分类：</translation>
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
        <source>* required field</source>
        <translation>* 为必填字段</translation>
    </message>
    <message>
        <source>Columns</source>
        <translation>列对应关系</translation>
    </message>
    <message>
        <source>First rows</source>
        <translation>前几行</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Detect automatically</source>
        <translation>自动识别</translation>
    </message>
    <message>
        <source>二调 (GB/T 21010-2007)</source>
        <translation>二调（GB/T 21010-2007）</translation>
    </message>
    <message>
        <source>三调 (GB/T 21010-2017)</source>
        <translation>三调（GB/T 21010-2017）</translation>
    </message>
    <message>
        <source>The land classification of the codes in the file. Codes of the 二调 classification are converted to the 三调 classes of the land account.</source>
        <translation>文件中地类编码所用的土地分类。二调分类的编码将换算为土地账户的三调地类。</translation>
    </message>
    <message>
        <source>Choose the region</source>
        <translation>请选择区划</translation>
    </message>
    <message>
        <source>(not given)</source>
        <translation>（未填写）</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在检查…</translation>
    </message>
    <message>
        <source>Could not be checked</source>
        <translation>无法检查</translation>
    </message>
    <message>
        <source>Shares to correct</source>
        <translation>拆分比例需改正</translation>
    </message>
    <message>
        <source>{count} problem(s)</source>
        <translation>{count} 处问题</translation>
    </message>
    <message>
        <source>Ready: {count} row(s)</source>
        <translation>可导入：{count} 行</translation>
    </message>
    <message>
        <source>First rows (of {count})</source>
        <translation>前几行（共 {count} 行）</translation>
    </message>
    <message>
        <source>Problems ({count})</source>
        <translation>问题（{count} 处）</translation>
    </message>
    <message>
        <source>Imported before: tick Replace</source>
        <translation>已导入过：请勾选“替换”</translation>
    </message>
    <message>
        <source>Add files on the previous page.</source>
        <translation>请在上一页添加文件。</translation>
    </message>
    <message>
        <source>Checking the files…</source>
        <translation>正在检查文件…</translation>
    </message>
    <message>
        <source>{file} ({status})</source>
        <translation>{file}（{status}）</translation>
    </message>
    <message>
        <source>All files are ready: Import adds them to the project, each file completely or not at all.</source>
        <translation>所有文件均已就绪：点击“导入”将其加入项目，每个文件要么全部导入，要么完全不导入。</translation>
    </message>
    <message>
        <source>Import is possible when every file is ready. Not ready: {files}. Correct the file (then Check again), its kind, sheet or columns, or remove it on the previous page.</source>
        <translation>所有文件都就绪后才能导入。尚未就绪：{files}。请改正文件（然后点击“重新检查”），或调整其数据类型、工作表、列对应关系，或在上一页移除该文件。</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>&lt;span style=&apos;color:#b00020&apos;&gt;Required fields without a column: {fields}. Choose the column that holds each.&lt;/span&gt;</source>
        <translation>&lt;span style=&apos;color:#b00020&apos;&gt;以下必填字段没有对应的列：{fields}。请为每个字段选择所在的列。&lt;/span&gt;</translation>
    </message>
    <message>
        <source>No problems: {rows} rows can be imported.</source>
        <translation>没有发现问题：可导入 {rows} 行。</translation>
    </message>
    <message>
        <source>Not recognised from the headers: choose the kind.</source>
        <translation>无法从表头识别：请选择数据类型。</translation>
    </message>
    <message>
        <source>Recognised from the headers.</source>
        <translation>已从表头识别。</translation>
    </message>
    <message>
        <source>Chosen by you.</source>
        <translation>由您指定。</translation>
    </message>
    <message>
        <source>Read with the columns as you mapped them.</source>
        <translation>按您设置的列对应关系读取。</translation>
    </message>
    <message>
        <source>Not fully recognised: the closest kind. Check the columns below.</source>
        <translation>未能完全识别，这是最接近的类型。请检查下面的列对应关系。</translation>
    </message>
    <message>
        <source>Several sheets could be imported: choose one.</source>
        <translation>有多个工作表可以导入，请选择其中一个。</translation>
    </message>
    <message>
        <source>Every 存量及变动表 sheet is read; choose a sheet to import only it.</source>
        <translation>将读取全部存量及变动表工作表；如只导入其中一个，请选择该工作表。</translation>
    </message>
    <message>
        <source>Converted from 二调 to 三调 classes ({rows} rows): {mapping}</source>
        <translation>已将二调地类换算为三调地类（{rows} 行）：{mapping}</translation>
    </message>
    <message>
        <source>The file uses 二调 codes; some classes split: choose below.</source>
        <translation>文件使用二调编码，其中部分地类须拆分：请在下方选择。</translation>
    </message>
    <message>
        <source>The codes are read as 三调 classes; nothing is converted.</source>
        <translation>编码按三调地类读取，不做换算。</translation>
    </message>
    <message>
        <source>The codes are read as 二调 classes and converted to 三调 classes.</source>
        <translation>编码按二调地类读取，并换算为三调地类。</translation>
    </message>
    <message>
        <source>No 二调 codes found: the codes are read as 三调 classes.</source>
        <translation>未发现二调编码，按三调地类读取。</translation>
    </message>
    <message>
        <source>二调 codes are recognised and converted to 三调 classes; choose here when the codes could be either.</source>
        <translation>自动识别二调编码并换算为三调地类；编码无法判断属于哪种分类时，请在此选择。</translation>
    </message>
    <message>
        <source>The file does not state its region: choose it.</source>
        <translation>文件中未写明区划，请选择。</translation>
    </message>
    <message>
        <source>The file does not state its year: enter it.</source>
        <translation>文件中未写明年度，请填写。</translation>
    </message>
    <message>
        <source>Stated in the file.</source>
        <translation>文件中已写明。</translation>
    </message>
    <message>
        <source>The sheets state different ones ({values}): import the sheets one at a time.</source>
        <translation>各工作表写明的不一致（{values}），请逐个工作表导入。</translation>
    </message>
    <message>
        <source>The same content was imported before: {earlier}. Importing it again is refused unless you tick Replace.</source>
        <translation>内容完全相同的文件已导入过：{earlier}。除非勾选“替换”，否则拒绝重复导入。</translation>
    </message>
    <message>
        <source>Change records of this kind are already stored for {clashes}. Importing them again would count them twice; with Replace, those records are deleted and replaced by this file&apos;s.</source>
        <translation>以下区划、年度、资源已有同类变动记录：{clashes}。再次导入会重复计算；勾选“替换”后，这些记录将被删除，改用本文件中的记录。</translation>
    </message>
    <message>
        <source>Stock values in the file overwrite the stored ones; every change is logged with this import.</source>
        <translation>文件中的存量数值会覆盖已有数值；每一处修改都会随本次导入记入修改记录。</translation>
    </message>
    <message>
        <source>Units in the file: {units} (converted to each item&apos;s unit on import).</source>
        <translation>文件中的单位：{units}（导入时换算为各项目的计量单位）。</translation>
    </message>
    <message>
        <source>No unit column: values are taken in each item&apos;s own unit (hectares for land).</source>
        <translation>文件没有单位列：数值按各项目自身的计量单位读取（土地为公顷）。</translation>
    </message>
</context>
<context>
    <name>SplitBox</name>
    <message>
        <source>二调 classes that split into several 三调 classes</source>
        <translation>须拆分为多个三调地类的二调地类</translation>
    </message>
    <message>
        <source>For each class, tick the one 三调 class that receives all of it, or enter the share of each (the shares of a class must add up to 100 %). The file is checked again with your choice.</source>
        <translation>请为每个二调地类勾选全部计入的一个三调地类，或填写各三调地类所占比例（同一地类的比例之和须为 100%）。选择后将按此重新校验文件。</translation>
    </message>
</context>
<context>
    <name>SplitModel</name>
    <message>
        <source>{cls}: the shares add up to {total} %; they must add up to 100 %.</source>
        <translation>{cls}：比例之和为 {total}%，须为 100%。</translation>
    </message>
    <message>
        <source>二调 class (GB/T 21010-2007)</source>
        <translation>二调地类（GB/T 21010-2007）</translation>
    </message>
    <message>
        <source>三调 class</source>
        <translation>三调地类</translation>
    </message>
    <message>
        <source>All to this class</source>
        <translation>全部计入</translation>
    </message>
    <message>
        <source>Share (%)</source>
        <translation>比例（%）</translation>
    </message>
    <message>
        <source>Class total (%)</source>
        <translation>合计（%）</translation>
    </message>
    <message>
        <source>Put the whole area of {cls} into {target}.</source>
        <translation>将 {cls} 的全部面积计入 {target}。</translation>
    </message>
    <message>
        <source>The share of {cls} that becomes {target}, in percent.</source>
        <translation>{cls} 计入 {target} 的比例（%）。</translation>
    </message>
    <message>
        <source>{count} row(s) of the file: {rows}</source>
        <translation>文件中共 {count} 行：第 {rows} 行</translation>
    </message>
    <message>
        <source>not chosen</source>
        <translation>未选择</translation>
    </message>
    <message>
        <source>The shares of a class must add up to 100 %.</source>
        <translation>同一地类的比例之和须为 100%。</translation>
    </message>
</context>
</TS>
