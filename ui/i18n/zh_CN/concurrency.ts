<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>EditCommands</name>
    <message>
      <source>The view has been refreshed with the current data.</source>
      <translation>已刷新为最新数据。</translation>
    </message>
    <message>
      <source>Changed by someone else</source>
      <translation>数据已被他人修改</translation>
    </message>
  </context>
</TS>