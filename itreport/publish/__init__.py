"""The last stage: turning a finished build into what leaves the building (copies, mail, records)."""
