<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>CausePage</name>
    <message>
      <source>Resource:</source>
      <translation>资源：</translation>
    </message>
    <message>
      <source>Year:</source>
      <translation>年度：</translation>
    </message>
    <message>
      <source>Item:</source>
      <translation>项目：</translation>
    </message>
    <message>
      <source>{year}</source>
      <translation>{year}年</translation>
    </message>
    <message>
      <source>Computing…</source>
      <translation>正在计算…</translation>
    </message>
    <message>
      <source>{item}: changes in {year} by cause</source>
      <translation>{item}：{year}年按原因的增减变动</translation>
    </message>
    <message>
      <source>No additions or reductions of this item in {year}.</source>
      <translation>该项目{year}年没有增加或减少。</translation>
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
      <source>Total additions {add} {unit}, total reductions {red} {unit}</source>
      <translation>增加合计 {add} {unit}，减少合计 {red} {unit}</translation>
    </message>
    <message>
      <source>{cause} – {kind}: {value} {unit}</source>
      <translation>{cause}（{kind}）：{value} {unit}</translation>
    </message>
  </context>
  <context>
    <name>ChartPage</name>
    <message>
      <source>Area ({unit})</source>
      <translation>面积（{unit}）</translation>
    </message>
    <message>
      <source>Share ({unit})</source>
      <translation>比例（{unit}）</translation>
    </message>
    <message>
      <source>Count ({unit})</source>
      <translation>个数（{unit}）</translation>
    </message>
    <message>
      <source>Money ({unit})</source>
      <translation>金额（{unit}）</translation>
    </message>
    <message>
      <source>Amount ({unit})</source>
      <translation>数量（{unit}）</translation>
    </message>
  </context>
  <context>
    <name>ChartsView</name>
    <message>
      <source>Stock trends</source>
      <translation>存量趋势</translation>
    </message>
    <message>
      <source>Changes by cause</source>
      <translation>按原因增减</translation>
    </message>
    <message>
      <source>Indicators and targets</source>
      <translation>指标与目标</translation>
    </message>
    <message>
      <source>This region has no stocks yet.</source>
      <translation>该区划尚无存量数据。</translation>
    </message>
    <message>
      <source>Computing…</source>
      <translation>正在计算…</translation>
    </message>
    <message>
      <source>The charts could not be computed.</source>
      <translation>无法计算图表数据。</translation>
    </message>
  </context>
  <context>
    <name>HeatMap</name>
    <message>
      <source>{cls} unchanged: {value} {unit}</source>
      <translation>{cls} 未变化：{value} {unit}</translation>
    </message>
    <message>
      <source>From {a} to {b}: {value} {unit}</source>
      <translation>从 {a} 到 {b}：{value} {unit}</translation>
    </message>
    <message>
      <source>No data</source>
      <translation>无数据</translation>
    </message>
    <message>
      <source>Changed
({unit})</source>
      <translation>转移面积
（{unit}）</translation>
    </message>
    <message>
      <source>Unchanged
(diagonal)</source>
      <translation>未变化
（对角线）</translation>
    </message>
    <message>
      <source>Negative:
check the data</source>
      <translation>负值：
请核查数据</translation>
    </message>
  </context>
  <context>
    <name>IndicatorPage</name>
    <message>
      <source>Indicator:</source>
      <translation>指标：</translation>
    </message>
    <message>
      <source>{name}: actual and targets</source>
      <translation>{name}：实际值与目标</translation>
    </message>
    <message>
      <source>Year</source>
      <translation>年度</translation>
    </message>
    <message>
      <source>{name} ({unit})</source>
      <translation>{name}（{unit}）</translation>
    </message>
    <message>
      <source>Actual</source>
      <translation>实际值</translation>
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
      <source>Target {op} {value} {unit} ({kind}, {a}–{b})</source>
      <translation>目标 {op} {value} {unit}（{kind}，{a}—{b}年）</translation>
    </message>
    <message>
      <source>Met</source>
      <translation>达标</translation>
    </message>
    <message>
      <source>Missed</source>
      <translation>未达标</translation>
    </message>
    <message>
      <source>No target applies to this indicator.</source>
      <translation>该指标没有适用的目标。</translation>
    </message>
    <message>
      <source>Every target met in the years with data.</source>
      <translation>有数据的年度全部达标。</translation>
    </message>
    <message>
      <source>{year}: {word} {gap} {unit}</source>
      <translation>{year}年{word} {gap} {unit}</translation>
    </message>
    <message>
      <source>short by</source>
      <translation>缺口</translation>
    </message>
    <message>
      <source>over by</source>
      <translation>超出</translation>
    </message>
    <message>
      <source>Missed: {years}</source>
      <translation>未达标：{years}</translation>
    </message>
    <message>
      <source>, </source>
      <translation>、</translation>
    </message>
  </context>
  <context>
    <name>LandChangesModel</name>
    <message>
      <source>Year</source>
      <translation>年度</translation>
    </message>
    <message>
      <source>From class</source>
      <translation>变更前地类</translation>
    </message>
    <message>
      <source>To class</source>
      <translation>变更后地类</translation>
    </message>
    <message>
      <source>Cause</source>
      <translation>变更原因</translation>
    </message>
    <message>
      <source>Area ({unit})</source>
      <translation>面积（{unit}）</translation>
    </message>
    <message>
      <source>Source file</source>
      <translation>来源文件</translation>
    </message>
  </context>
  <context>
    <name>LandChangesView</name>
    <message>
      <source>Class code or name, e.g. 0101 or 耕地</source>
      <translation>地类代码或名称，如 0101 或 耕地</translation>
    </message>
    <message>
      <source>Filter:</source>
      <translation>筛选：</translation>
    </message>
    <message>
      <source>Cause:</source>
      <translation>原因：</translation>
    </message>
    <message>
      <source>Year:</source>
      <translation>年度：</translation>
    </message>
    <message>
      <source>All causes</source>
      <translation>全部原因</translation>
    </message>
    <message>
      <source>All years</source>
      <translation>全部年度</translation>
    </message>
    <message>
      <source>{year}</source>
      <translation>{year}年</translation>
    </message>
    <message>
      <source>{count} records, total {area} {unit}</source>
      <translation>共 {count} 条，合计 {area} {unit}</translation>
    </message>
    <message>
      <source>Loading…</source>
      <translation>正在加载…</translation>
    </message>
    <message>
      <source>Copying {count} records…</source>
      <translation>正在复制 {count} 条记录…</translation>
    </message>
  </context>
  <context>
    <name>StockTrendPage</name>
    <message>
      <source>Resource:</source>
      <translation>资源：</translation>
    </message>
    <message>
      <source>Unit:</source>
      <translation>单位：</translation>
    </message>
    <message>
      <source>{resource}: stocks by year</source>
      <translation>{resource}：各年末存量</translation>
    </message>
    <message>
      <source>Year (end of year)</source>
      <translation>年度（年末）</translation>
    </message>
    <message>
      <source>{name}, end of {year}: {value} {unit}</source>
      <translation>{name}，{year}年末：{value} {unit}</translation>
    </message>
  </context>
  <context>
    <name>TransitionMatrixModel</name>
    <message>
      <source>Total</source>
      <translation>合计</translation>
    </message>
    <message>
      <source>{cls} unchanged: {value} {unit}</source>
      <translation>{cls} 未变化：{value} {unit}</translation>
    </message>
    <message>
      <source>From {a} to {b}: {value} {unit}</source>
      <translation>从 {a} 到 {b}：{value} {unit}</translation>
    </message>
    <message>
      <source>Total end of {year}
({unit})</source>
      <translation>{year}年末合计
（{unit}）</translation>
    </message>
    <message>
      <source>Rows: end of {a}; columns: end of {b} ({unit})</source>
      <translation>行：{a}年末地类；列：{b}年末地类（{unit}）</translation>
    </message>
  </context>
  <context>
    <name>TransitionMatrixView</name>
    <message>
      <source>From end of:</source>
      <translation>起始年末：</translation>
    </message>
    <message>
      <source>To end of:</source>
      <translation>截止年末：</translation>
    </message>
    <message>
      <source>Classes:</source>
      <translation>地类级别：</translation>
    </message>
    <message>
      <source>Table</source>
      <translation>表格</translation>
    </message>
    <message>
      <source>Heat map</source>
      <translation>热力图</translation>
    </message>
    <message>
      <source>{year}</source>
      <translation>{year}年</translation>
    </message>
    <message>
      <source>First-level classes</source>
      <translation>一级地类</translation>
    </message>
    <message>
      <source>Second-level classes</source>
      <translation>二级地类</translation>
    </message>
    <message>
      <source>Level {level} classes</source>
      <translation>{level}级地类</translation>
    </message>
    <message>
      <source>The end year must be later than the start year.</source>
      <translation>截止年度须晚于起始年度。</translation>
    </message>
    <message>
      <source>Computing…</source>
      <translation>正在计算…</translation>
    </message>
    <message>
      <source>The matrix could not be computed.</source>
      <translation>无法计算转移矩阵。</translation>
    </message>
    <message>
      <source>Rows: classes at the end of {a}; columns: classes at the end of {b}</source>
      <translation>行：{a}年末地类；列：{b}年末地类</translation>
    </message>
  </context>
</TS>