"""Publish a whole set of outputs at once: lock, stage, swap the folder, manifest.

See `itreport.publish.stage` for the design and docs/outputs.md for what a user can rely on.
"""
