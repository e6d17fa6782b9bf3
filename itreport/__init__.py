"""itreport: an IT division's data as YAML in git, rendered into briefings."""
