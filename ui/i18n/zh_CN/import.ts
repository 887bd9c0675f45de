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
        <source>Checking…</source>
        <translation>正在检查…</translation>
    </message>
    <message>
        <source>Could not be checked</source>
        <translation>无法检查</translation>
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
</TS>
