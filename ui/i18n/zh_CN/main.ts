<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name></name>
    <message>
        <source>Welcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h2&gt;Natural-resource balance sheet&lt;/h2&gt;&lt;p&gt;Open a project file, create a new one, or explore the fictional sample county.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recent projects:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a project…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create a new project…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the sample county</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Help</name>
    <message>
        <source>User manual</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Navigator</source>
        <extracomment>the user changed the language: the application rebuilds the window</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Problems</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New project…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create an empty project file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open project…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a project file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the &amp;sample county</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Import data…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import tables (CSV or Excel) into the project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Export data…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the region&apos;s data as importable tables</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every edit is saved at once; this confirms it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Back up project…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write a consistent copy of the project file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print the report shown, or make one to print</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Close project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E&amp;xit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Find…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pre&amp;ferences…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the selected region and year</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Lock year…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign the year off (结账): no more changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Unlock year…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reopen a locked year (the reason is logged)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Land &amp;change records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Transition matrix</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;harts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New audit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start a departure audit of an official</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Generate report…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Balance-sheet or audit report: workbook and PDF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User &amp;manual</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Accounts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A&amp;udit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Area &amp;unit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hectares (公顷)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mu (亩)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Main</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Natural-resource balance sheet — {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Region {region}, {year}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Locked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open for editing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{year} land changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transition matrix</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Charts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audit {official}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All changes are saved in {path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back up project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backup written: {path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lock year</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lock {year} of region {region}? Nobody can change its data until it is unlocked.
Note (optional):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unlock year</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why must {year} be reopened? (recorded in the change log)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;Natural-resource balance sheet {version}&lt;/h3&gt;&lt;p&gt;County natural-resource asset balance sheets (land, water, forest, wetland) and departure audits of leading officials.&lt;/p&gt;&lt;p&gt;Log file: {log}&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Navigator</name>
    <message>
        <source>Regions</source>
        <extracomment>What a navigator entry opens: (&quot;account&quot;, region, year, resource), (&quot;changes&quot;, region, year), (&quot;matrix&quot;, region, year), (&quot;charts&quot;, region), (&quot;official&quot;, official_id), (&quot;audit&quot;, audit_id)</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Charts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (locked)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{year}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Land change records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transition matrix</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Officials and audits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Region {region}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>final</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>draft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audit {id}: {y0}–{y1} ({state})</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PreferencesDialog</name>
    <message>
        <source>Preferences</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hectares (公顷)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mu (亩)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show areas in:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Differences up to this amount (in the item&apos;s unit) are treated as rounding by the checks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check tolerance:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import folder:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export folder:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Report folder:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>My templates folder:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(empty: the shipped templates)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a folder</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QProgressDialog</name>
    <message>
        <source>Sample county</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Creating the sample county…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
