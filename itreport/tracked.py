"""Which content files git tracks: asked once per build, or kept by a preview while the index
does not change, and resolved for a file only when a check asks about it.

The privacy check needs it: a restricted field in a tracked file is an error (it is in git's
history), in an untracked one a warning.
"""

from __future__ import annotations

import os
from pathlib import Path

from itreport.gitrepo import Listing, listing_key, real_paths, refusal, tracked_listing
from itreport.load import FolderSource, active_memo
from itreport.problems import Problem, Severity


def tracked_files(
    source: FolderSource, private: FolderSource | None = None
) -> tuple[TrackedFiles | None, Problem | None]:
    """Which files of the content (and of a committed private folder) git tracks (None outside
    a repository), and a warning when git refuses to read the repository."""
    listing = git_listing(source.root)
    git_refused = refusal(source.root) if listing is None else None
    if git_refused is not None:
        # Which files git tracks cannot be told: every file counts as tracked, so a restricted
        # field stays an error rather than becoming a warning because of who owns the checkout.
        listing = Listing(os.path.abspath(source.root), tuple(source.files()))
    tracked = TrackedFiles([source], [listing]) if listing is not None else None
    if private is not None:
        private_listing = git_listing(private.root)
        if private_listing is not None and TrackedFiles([private], [private_listing]).any():
            # A private folder inside a repository, committed: said as an error.
            tracked = TrackedFiles(
                [*(tracked.folders if tracked else []), private],
                [private_listing, *([listing] if listing is not None else [])],
            )
    if git_refused is None:
        return tracked, None
    reason, command = git_refused
    return tracked, Problem(
        str(source.root),
        0,
        0,
        Severity.WARNING,
        f"git refuses this repository ({reason}): every file counts as tracked, there is "
        "no baseline, and builds are marked as not under version control",
        hint=f"if you trust whoever owns the checkout: {command or 'add it to safe.directory'}",
        rule="git.refused",
    )


class TrackedFiles:
    """Which files git tracks, by the name messages give them, worked out for a name when asked.

    Only files that hold restricted fields are ever asked about (`itreport.checks.privacy`), so
    resolving every file of a large division up front was wasted on every preview rebuild.
    """

    def __init__(self, folders: list[FolderSource], listings: list[Listing]) -> None:
        self.folders = folders
        self._listings = listings
        self._paths: set[str] | None = None
        self._real = real_paths()

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        if self._paths is None:
            # Resolved now, not when git was asked: a kept listing's names may lead elsewhere
            # since (a tracked link re-pointed), and the verdict must be a fresh run's.
            self._paths = set()
            for listing in self._listings:
                self._paths |= listing.real()
        for source in self.folders:
            rel = source.relative(name)
            if rel is not None and self._real(os.path.join(os.path.abspath(source.root), rel)) in self._paths:
                return True
        return False

    def any(self) -> bool:
        """Whether git tracks any YAML file of the folders."""
        return any(source.display(rel) in self for source in self.folders for rel in source.files())


def git_listing(folder: Path) -> Listing | None:
    """The files git tracks below the folder (None outside a repository).

    Under `remembering`, git's listing is kept while `listing_key` shows nothing that could change
    it: asking git costs a large division's preview more than validating the file that changed.
    """
    memo = active_memo()
    key = listing_key(folder) if memo is not None else None
    if memo is None or key is None:
        return tracked_listing(folder)

    def listing() -> tuple[Listing | None, bool]:
        found = tracked_listing(folder)
        # A failure inside a repository (an ownership check, a broken index) is not kept: what
        # fixes it need not touch what the key sees.
        return found, found is not None or not isinstance(key, tuple) or key[-1] is None

    return memo.kept(f"git.tracked:{os.path.realpath(folder)}", key, listing)
