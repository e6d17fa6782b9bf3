"""`python -m itreport` runs the CLI."""

from itreport.cli import main

main()
