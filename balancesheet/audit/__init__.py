"""Departure audits (领导干部自然资源资产离任审计): tenure analysis, targets, findings, scoring."""
