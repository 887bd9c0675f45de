"""Reports: data computed once, filled into an .xlsx template, drawn as PDF from the filled workbook."""
