<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>HistoryDialog</name>
    <message>
      <source>Change history</source>
      <translation>修改记录</translation>
    </message>
    <message>
      <source>All regions</source>
      <translation>全部区划</translation>
    </message>
    <message>
      <source>All years</source>
      <translation>全部年度</translation>
    </message>
    <message>
      <source>All kinds</source>
      <translation>全部类别</translation>
    </message>
    <message>
      <source>Any user</source>
      <translation>任意用户</translation>
    </message>
    <message>
      <source>&amp;Show</source>
      <translation>查询(&amp;S)</translation>
    </message>
    <message>
      <source>&amp;Region:</source>
      <translation>区划(&amp;R)：</translation>
    </message>
    <message>
      <source>&amp;Year:</source>
      <translation>年度(&amp;Y)：</translation>
    </message>
    <message>
      <source>&amp;Kind:</source>
      <translation>类别(&amp;K)：</translation>
    </message>
    <message>
      <source>&amp;User:</source>
      <translation>用户(&amp;U)：</translation>
    </message>
    <message>
      <source>&amp;Export CSV…</source>
      <translation>导出 CSV(&amp;E)…</translation>
    </message>
    <message>
      <source>Reading the change log…</source>
      <translation>正在读取修改记录…</translation>
    </message>
    <message>
      <source>{count} entries, newest first. Every change is kept; the log cannot be edited.</source>
      <translation>共 {count} 条，最新的在前。每次修改都会保留，修改记录不可更改。</translation>
    </message>
    <message>
      <source>Export change history</source>
      <translation>导出修改记录</translation>
    </message>
    <message>
      <source>CSV files (*.csv)</source>
      <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
      <source>Exported to {path}</source>
      <translation>已导出到 {path}</translation>
    </message>
  </context>
  <context>
    <name>HistoryModel</name>
    <message>
      <source>Time</source>
      <translation>时间</translation>
    </message>
    <message>
      <source>User</source>
      <translation>用户</translation>
    </message>
    <message>
      <source>Action</source>
      <translation>操作</translation>
    </message>
    <message>
      <source>What</source>
      <translation>对象</translation>
    </message>
    <message>
      <source>Old value</source>
      <translation>旧值</translation>
    </message>
    <message>
      <source>New value</source>
      <translation>新值</translation>
    </message>
    <message>
      <source>Imported file</source>
      <translation>导入文件</translation>
    </message>
  </context>
</TS>