"""The last stage: publishing a finished build as one whole set (lock, stage, swap, manifest) and
turning it into what leaves the building (copies, mail, records).

See `itreport.publish.stage` for how a set is published and docs/outputs.md for what a user can
rely on.
"""
