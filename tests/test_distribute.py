"""Distribution end to end: a real git repository, a real build, a real SMTP server on 127.0.0.1.

The two editions are built once per session (building is the slow part); every test works on its
own copy of that repository, so outboxes and logs never leak between tests.
"""

from __future__ import annotations

import email
import hashlib
import io
import json
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from click.testing import CliRunner
from pypdf import PdfReader, PdfWriter

from itreport.build import BuildOptions, build
from itreport.cli import main
from itreport.publish.watermark import STAMP_SIZE, text_boxes
from tests.conftest import FIXTURES, replace_in
from tests.test_changes import git

BRIEFINGS = """editions:
  - id: board
    title: Board briefing
    audience: board
    sections: [summary, finance, appendix]
  - id: mgmt
    title: Management report
    audience: management
    sections: [summary, people, appendix]
"""
LONG_NAME = "Maximiliana " + "Wolfeschlegelsteinhausenbergerdorff-" * 1 + "Lindqvist-Åkesson de la Tour"
HOSTILE_NAME = "Eve ) Tj ET /JavaScript (app.alert(1)) <script>x</script> >> endobj"
RECIPIENTS = f"""sender:
  name: Group IT
  email: it@example.org
recipients:
  - id: ada
    name: Ada Lind
    email: ada@example.org
    cleared: [board]
    editions: [board]
  - id: bo
    name: Bo Åkesson
    email: bo@example.org
    cleared: [board, management]
    editions: [board, mgmt]
  - id: cy
    name: Cy Holm
    email: cy@example.org
    cleared: [management]
    editions: [mgmt]
  - id: eve
    name: "{HOSTILE_NAME}"
    email: eve@example.org
    cleared: [management]
    editions: [mgmt]
  - id: max
    name: "{LONG_NAME}"
    email: max@example.org
    cleared: [management]
    editions: [mgmt]
"""
EXPECTED = {
    ("ada@example.org", "board"),
    ("bo@example.org", "board"),
    ("bo@example.org", "mgmt"),
    ("cy@example.org", "mgmt"),
    ("eve@example.org", "mgmt"),
    ("max@example.org", "mgmt"),
}
NAMES = {
    "ada@example.org": "Ada Lind",
    "bo@example.org": "Bo Åkesson",
    "cy@example.org": "Cy Holm",
    "eve@example.org": HOSTILE_NAME,
    "max@example.org": LONG_NAME,
}


def make_division(root: Path) -> Path:
    content = root / "content"
    shutil.copytree(FIXTURES / "minimal", content)
    (content / "briefings.yaml").write_text(BRIEFINGS, encoding="utf-8")
    (content / "recipients.yaml").write_text(RECIPIENTS, encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "division")
    return content


@pytest.fixture(scope="session")
def built_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A committed division with both editions built into <repo>/output (built once)."""
    root = tmp_path_factory.mktemp("distribute") / "repo"
    root.mkdir()
    content = make_division(root)
    build(BuildOptions(content, root / "output", ("pdf",)))
    return root


@pytest.fixture(scope="session")
def distributed(built_repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built repository after `distribute` wrote every copy (read-only for the tests)."""
    root = tmp_path_factory.mktemp("distributed") / "repo"
    shutil.copytree(built_repo, root, symlinks=True)
    result = CliRunner().invoke(main, ["distribute", str(root / "content"), "--out", str(root / "output")])
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture
def repo(built_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(built_repo, root, symlinks=True)
    monkeypatch.chdir(root)
    return root


@dataclass
class Recorder:
    """An aiosmtpd handler that keeps what it accepts, and can refuse the first N messages."""

    fail_first: int = 0
    reply: str = "451 4.3.0 Try again later"
    received: list[tuple[str, list[str], bytes]] = field(default_factory=list)
    refused: int = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refused < self.fail_first:
            self.refused += 1
            return self.reply
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.original_content)))
        return "250 OK"

    def messages(self) -> list[EmailMessage]:
        return [email.message_from_bytes(data, policy=default_policy) for _f, _t, data in self.received]  # type: ignore[misc]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Recorder, dict[str, str]]]:
    handler = Recorder()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    env = {
        "ITREPORT_SMTP_HOST": "127.0.0.1",
        "ITREPORT_SMTP_PORT": str(controller.port),
        "ITREPORT_SMTP_SECURITY": "none",
    }
    try:
        yield handler, env
    finally:
        controller.stop()


def run(*args: str, env: dict[str, str] | None = None, input: str | None = None) -> Any:
    return CliRunner().invoke(main, list(args), env=env, input=input, catch_exceptions=False)


def attachments(msg: EmailMessage) -> dict[str, bytes]:
    return {
        str(part.get_filename()): bytes(part.get_content())
        for part in msg.iter_attachments()
        if part.get_content_type() == "application/pdf"
    }


def edition_of(filename: str) -> str:
    return filename.split("-")[0]


def pages_text(pdf: bytes, password: str | None = None) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf))
    if password is not None:
        assert reader.decrypt(password)
    return [page.extract_text() for page in reader.pages]


def log_entries(repo: Path) -> list[dict[str, Any]]:
    path = repo / "output" / "distribution.jsonl"
    return (
        [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []
    )


# --- sending ----------------------------------------------------------------------------------


def test_send_gives_each_listed_person_exactly_their_editions(
    repo: Path, smtp: tuple[Recorder, dict[str, str]]
) -> None:
    server, env = smtp
    result = run("distribute", "content", "--send", env=env)
    assert result.exit_code == 0, result.output
    assert "6 sent" not in result.output  # messages, not copies, are counted
    assert "5 sent, 0 already sent, 0 not sent" in result.output

    got: set[tuple[str, str]] = set()
    for (mail_from, rcpts, _data), msg in zip(server.received, server.messages(), strict=True):
        assert mail_from == "it@example.org"
        assert len(rcpts) == 1
        to = rcpts[0]
        assert msg["To"].addresses[0].addr_spec == to
        assert msg["To"].addresses[0].display_name == NAMES[to]
        for filename, pdf in attachments(msg).items():
            got.add((to, edition_of(filename)))
            built = (repo / "output" / filename).read_bytes()
            assert len(PdfReader(io.BytesIO(pdf)).pages) == len(PdfReader(io.BytesIO(built)).pages)
            texts = pages_text(pdf)
            for text in texts:
                assert f"Personal copy for {NAMES[to][:30]}" in text
            for other in set(NAMES) - {to}:  # no address is ever printed in a copy
                assert all(other not in t and to not in t for t in texts)
            # The copy id in the metadata traces back to this person through the CLI.
            copy = repo / f"{to}-{filename}"
            copy.write_bytes(pdf)
            traced = run("trace", str(copy), "--out", "output")
            assert traced.exit_code == 0, traced.output
            assert f"<{to}>" in traced.output
            assert f"edition '{edition_of(filename)}'" in traced.output
    assert got == EXPECTED  # nobody received an edition they are not listed for, nobody was missed

    entries = log_entries(repo)
    assert {(e["email"], e["edition"]) for e in entries if e["event"] == "sent"} == EXPECTED
    assert {(e["email"], e["edition"]) for e in entries if e["event"] == "written"} == EXPECTED
    manifest = json.loads((repo / "output" / "manifest.json").read_text(encoding="utf-8"))
    assert {(d["recipient"], d["edition"], d["status"]) for d in manifest["distribution"]} == {
        (email.split("@")[0], edition, "sent") for email, edition in EXPECTED
    }
    assert "@" not in json.dumps(manifest["distribution"])


def test_a_server_that_says_try_later_once_gets_the_message_on_the_retry(
    repo: Path, smtp: tuple[Recorder, dict[str, str]]
) -> None:
    server, env = smtp
    server.fail_first = 1
    result = run("distribute", "content", "--edition", "board", "--send", env=env)
    assert result.exit_code == 0, result.output
    assert server.refused == 1
    assert sorted(r[1][0] for r in server.received) == ["ada@example.org", "bo@example.org"]
    assert "2 sent, 0 already sent, 0 not sent" in result.output


def test_a_permanent_refusal_is_reported_and_not_logged_as_sent(
    repo: Path, smtp: tuple[Recorder, dict[str, str]]
) -> None:
    server, env = smtp
    server.fail_first, server.reply = 1, "550 5.7.1 Mailbox unavailable"
    result = run("distribute", "content", "--edition", "board", "--send", env=env)
    assert result.exit_code == 1
    assert "NOT SENT: Ada Lind <ada@example.org>: 550 5.7.1 Mailbox unavailable" in result.output
    assert "1 sent, 0 already sent, 1 not sent" in result.output
    sent = [e["email"] for e in log_entries(repo) if e["event"] == "sent"]
    assert sent == ["bo@example.org"]
    # The next run sends only what is missing: Bo's copy needs --resend.
    again = run("distribute", "content", "--edition", "board", "--send", env=env)
    assert again.exit_code == 0, again.output
    assert [r[1][0] for r in server.received] == ["bo@example.org", "ada@example.org"]
    assert "skipped: Bo Åkesson <bo@example.org>: already sent" in again.output


def test_sending_twice_needs_resend(repo: Path, smtp: tuple[Recorder, dict[str, str]]) -> None:
    server, env = smtp
    assert run("distribute", "content", "--edition", "board", "--send", env=env).exit_code == 0
    second = run("distribute", "content", "--edition", "board", "--send", env=env)
    assert second.exit_code == 0
    assert "0 sent, 2 already sent, 0 not sent" in second.output
    assert len(server.received) == 2
    third = run("distribute", "content", "--edition", "board", "--send", "--resend", env=env)
    assert "2 sent, 0 already sent" in third.output
    assert len(server.received) == 4
    assert run("distribute", "content", "--resend").exit_code == 2  # --resend without --send
    # Bo's board copy went out; with every edition, his message carries only the management copy.
    everything = run("distribute", "content", "--send", env=env)
    assert "sent: Bo Åkesson <bo@example.org>: accepted (only mgmt: the other copies were sent before)" in (
        everything.output
    )
    bo = [
        msg
        for (_f, rcpts, _d), msg in zip(server.received, server.messages(), strict=True)
        if rcpts == ["bo@example.org"]
    ]
    assert [sorted(attachments(m)) for m in bo][-1] == ["mgmt-2026-10.pdf"]
    manifest = json.loads((repo / "output" / "manifest.json").read_text(encoding="utf-8"))
    status = {(d["recipient"], d["edition"]): d["status"] for d in manifest["distribution"]}
    assert status[("bo", "board")] == "skipped" and status[("bo", "mgmt")] == "sent"


def test_starttls_is_required_unless_switched_off(repo: Path, smtp: tuple[Recorder, dict[str, str]]) -> None:
    server, env = smtp
    result = run(
        "distribute", "content", "--edition", "board", "--send", env={**env, "ITREPORT_SMTP_SECURITY": ""}
    )
    assert result.exit_code == 1
    assert "does not offer STARTTLS; refusing to send in clear" in result.output
    assert server.received == []
    clear_password = {**env, "ITREPORT_SMTP_USER": "u", "ITREPORT_SMTP_PASSWORD": "p"}
    refused = run("distribute", "content", "--send", env=clear_password)
    assert refused.exit_code == 2
    assert "refusing to send a password over an unencrypted connection" in refused.output
    assert run("distribute", "content", "--send", env={"ITREPORT_SMTP_HOST": ""}).exit_code == 2


# --- encryption -------------------------------------------------------------------------------


def test_encrypted_copies_open_with_their_password_only(
    repo: Path, tmp_path: Path, smtp: tuple[Recorder, dict[str, str]]
) -> None:
    server, env = smtp
    secrets = tmp_path / "secrets.yaml"  # outside the repository
    secrets.write_text("editions:\n  board: board-pass\nrecipients:\n  bo: bo-pass\n", encoding="utf-8")
    result = run(
        "distribute", "content", "--edition", "board", "--send", "--passwords", str(secrets), env=env
    )
    assert result.exit_code == 0, result.output
    for (_f, rcpts, _d), msg in zip(server.received, server.messages(), strict=True):
        to = rcpts[0]
        for filename, pdf in attachments(msg).items():
            edition = edition_of(filename)
            password = "bo-pass" if to == "bo@example.org" else "board-pass"
            reader = PdfReader(io.BytesIO(pdf))
            assert edition == "board" and reader.is_encrypted, (to, filename)
            assert "password that you receive separately" in str(msg.get_body(("plain",)).get_content())
            assert not PdfReader(io.BytesIO(pdf)).decrypt("wrong").value
            assert all(f"Personal copy for {NAMES[to]}" in t for t in pages_text(pdf, password))
            assert "AES" in str(reader.trailer["/Encrypt"]["/CF"]["/StdCF"]["/CFM"])
            assert reader.trailer["/Encrypt"]["/R"] == 6
            copy = tmp_path / f"{to}-{filename}"
            copy.write_bytes(pdf)
            traced = run("trace", str(copy), "--out", "output")  # found by digest, no password needed
            assert f"<{to}>" in traced.output, traced.output


def test_a_passwords_file_inside_the_repository_is_refused(repo: Path) -> None:
    inside = repo / "secrets.yaml"
    inside.write_text("editions:\n  board: x\n", encoding="utf-8")
    result = run("distribute", "content", "--passwords", str(inside), "--dry-run")
    assert result.exit_code == 2
    assert "inside the repository" in result.output


def test_edition_password_from_the_environment(repo: Path, distributed: Path, tmp_path: Path) -> None:
    result = run("distribute", "content", "--edition", "board", env={"ITREPORT_PASSWORD_BOARD": "s3cret"})
    assert result.exit_code == 0, result.output
    copy = (repo / "output/outbox/copies/ada/board-2026-10.pdf").read_bytes()
    assert PdfReader(io.BytesIO(copy)).is_encrypted
    assert "Ada Lind" in pages_text(copy, "s3cret")[0]
    # Encryption is random, the copy inside is not: it is the same plain copy as without a password.
    plain = (distributed / "output/outbox/copies/ada/board-2026-10.pdf").read_bytes()
    entry = next(e for e in log_entries(repo) if e["recipient"] == "ada")
    assert entry["plain_sha256"] == hashlib.sha256(plain).hexdigest() != entry["sha256"]
    # An encrypted copy that was re-saved is no longer in the log by digest: trace asks for the password.
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(copy), password="s3cret"))
    writer.encrypt("s3cret", algorithm="AES-256")
    resaved = tmp_path / "resaved.pdf"
    with resaved.open("wb") as fh:
        writer.write(fh)
    wrong = run("trace", str(resaved), "--out", "output", input="guess\n")
    assert wrong.exit_code == 1
    assert "password is missing or wrong" in wrong.output
    right = run("trace", str(resaved), "--out", "output", input="s3cret\n")
    assert right.exit_code == 0, right.output
    assert "given to: Ada Lind <ada@example.org> (ada)" in right.output
    assert "found by copy id in the metadata" in right.output


# --- outbox, reproducibility, dry run ---------------------------------------------------------


def test_outbox_messages_and_plain_copies_are_byte_reproducible(distributed: Path, repo: Path) -> None:
    outbox = distributed / "output" / "outbox"
    emls = sorted(p.name for p in outbox.glob("*.eml"))
    assert emls == [f"{r}.eml" for r in ("ada", "bo", "cy", "eve", "max")]
    assert run("distribute", "content", "--edition", "board").exit_code == 0  # again, in a copy
    again = repo / "output" / "outbox"
    assert (again / "ada.eml").read_bytes() == (outbox / "ada.eml").read_bytes()
    for rel in ("copies/ada/board-2026-10.pdf", "copies/bo/board-2026-10.pdf"):
        assert (again / rel).read_bytes() == (outbox / rel).read_bytes()
    assert sorted(p.name for p in again.glob("*.eml")) == ["ada.eml", "bo.eml"]  # the outbox holds one run
    msg = email.message_from_bytes((outbox / "bo.eml").read_bytes(), policy=default_policy)
    assert msg["Subject"] == "Test IT: Board briefing and Management report, October 2026"
    assert msg["Date"] == "Sat, 31 Oct 2026 00:00:00 +0000"
    assert sorted(attachments(msg)) == ["board-2026-10.pdf", "mgmt-2026-10.pdf"]  # type: ignore[misc]
    written = [e for e in log_entries(repo) if e["event"] == "written"]
    assert len(written) == 2


def test_dry_run_shows_who_gets_what_and_writes_nothing(repo: Path) -> None:
    before = sorted(p.name for p in (repo / "output").iterdir())
    result = run("distribute", "content", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "would send Bo Åkesson <bo@example.org>: board (copy " in result.output
    assert "dry run: 6 copies, nothing written or sent" in result.output
    assert sorted(p.name for p in (repo / "output").iterdir()) == before


# --- safety -----------------------------------------------------------------------------------


def test_a_draft_build_needs_allow_draft(repo: Path) -> None:
    with (repo / "content" / "narrative.yaml").open("a", encoding="utf-8") as fh:
        fh.write("# an uncommitted edit\n")
    result = build(BuildOptions(repo / "content", repo / "output", ("pdf",), ("board",)))
    assert result.draft
    refused = run("distribute", "content", "--edition", "board")
    assert refused.exit_code == 2
    assert "--allow-draft" in refused.output
    assert not (repo / "output" / "outbox").exists()
    allowed = run("distribute", "content", "--edition", "board", "--allow-draft")
    assert allowed.exit_code == 0, allowed.output
    assert "DRAFT" in allowed.output
    assert all(e["draft"] for e in log_entries(repo))


def test_data_errors_stop_distribution_with_the_located_report(repo: Path) -> None:
    replace_in(
        repo / "content", "recipients.yaml", "editions: [board]\n  - id: bo", "editions: [mgmt]\n  - id: bo"
    )
    result = run("distribute", "content", "--dry-run")
    assert result.exit_code == 1
    assert (
        "content/recipients.yaml:9:16: error: recipient 'ada' is not cleared for edition 'mgmt'"
        in result.output
    )
    assert "an edition whose data has errors cannot be distributed" in result.output
    assert not (repo / "output" / "distribution.jsonl").exists()


def test_a_build_from_another_commit_or_a_changed_pdf_is_refused(repo: Path) -> None:
    pdf = repo / "output" / "board-2026-10.pdf"
    pdf.write_bytes(pdf.read_bytes() + b"\n% tampered\n")
    tampered = run("distribute", "content", "--dry-run")
    assert tampered.exit_code == 2
    assert "differs from the build recorded in manifest.json" in tampered.output
    git(repo, "commit", "-q", "--allow-empty", "-m", "later")
    stale = run("distribute", "content", "--dry-run")
    assert stale.exit_code == 2
    assert "build again before distributing" in stale.output


def test_without_a_build_distribute_says_to_build_first(repo: Path) -> None:
    shutil.rmtree(repo / "output")
    result = run("distribute", "content")
    assert result.exit_code == 2
    assert "build the briefings first" in result.output


# --- validation of recipients.yaml ------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "name: Ada Lind",
            'name: "Ada\\r\\nBcc: all@example.org"',
            "recipients.yaml:6:11: error: name contains a line break",
        ),
        ("name: Ada Lind", 'name: "Ada\\u202eLind"', "U+202E"),
        ("name: Ada Lind", f"name: {'A' * 81}", "name is 81 characters long (at most 80)"),
        (
            "email: ada@example.org",
            'email: "ada@example.org\\r\\nBcc: x@evil.example"',
            "e-mail address contains a line break",
        ),
        ("email: ada@example.org", "email: Ada <ada@example.org>", "is not an e-mail address"),
        (
            "email: cy@example.org",
            "email: ADA@example.org",
            "recipient email 'ada@example.org' appears twice",
        ),
        (
            "editions: [board]\n  - id: bo",
            "editions: [bord]\n  - id: bo",
            "unknown edition 'bord' (did you mean 'board'?)",
        ),
        ("cleared: [board]\n", "cleared: [bored]\n", "'bored' is not a valid cleared"),
    ],
)
def test_bad_recipients_are_located_errors(content: Path, old: str, new: str, expected: str) -> None:
    (content / "briefings.yaml").write_text(BRIEFINGS, encoding="utf-8")
    (content / "recipients.yaml").write_text(RECIPIENTS.replace(old, new, 1), encoding="utf-8")
    result = run("validate", "content")
    assert result.exit_code == 1
    assert expected in result.output
    assert "\r" not in result.output and "\u202e" not in result.output


def test_compose_refuses_line_breaks_in_headers_even_past_validation() -> None:
    from datetime import date

    from itreport.publish.outbox import Attachment, Letter, compose

    letter = Letter(
        "IT",
        "it@example.org",
        "Eve\r\nBcc: x@evil.example",
        "eve@example.org",
        "sv_SE",
        "O",
        "IT",
        "oktober 2026",
        "31 oktober 2026",
        (Attachment("a.pdf", b"%PDF", "Rapport", "AAAA-BBBB", False),),
    )
    with pytest.raises(ValueError, match="CR or LF"):
        compose(letter, date(2026, 10, 31))
    hostile_titles = replace(letter, division="IT\r\nBcc: all@evil.example", name="Åsa Berg")
    assert (
        compose(hostile_titles, date(2026, 10, 31))["Subject"]
        == "IT Bcc: all@evil.example: Rapport, oktober 2026"
    )
    swedish = compose(letter.__class__(**{**letter.__dict__, "name": "Åsa Berg"}), date(2026, 10, 31))
    body = swedish.get_body(("plain",))
    assert body is not None
    assert "Hej Åsa Berg," in body.get_content()
    assert "exemplar AAAA-BBBB" in body.get_content()


# --- the stamp on the page ---------------------------------------------------------------------


def test_stamp_sits_in_free_space_on_every_page(distributed: Path) -> None:
    copies = distributed / "output" / "outbox" / "copies"
    for copy in [
        copies / "bo" / "board-2026-10.pdf",
        copies / "bo" / "mgmt-2026-10.pdf",
        copies / "max" / "mgmt-2026-10.pdf",
    ]:
        reader = PdfReader(copy)
        for number, page in enumerate(reader.pages, 1):
            boxes = text_boxes(page)
            stamps = [b for b in boxes if abs(b.size - STAMP_SIZE) < 0.01 and b.baseline < 60]
            assert stamps, (copy, number)
            stamp = stamps[0]
            others = [b for b in boxes if b not in stamps]
            for other in others:  # nothing overlaps the stamp's line
                assert other.top < stamp.bottom or other.bottom > stamp.top, (copy, number, other)
            assert stamp.bottom > 0 and stamp.x > 20, (copy, number)
        assert reader.metadata is not None and reader.metadata["/ITReportCopyId"]
        assert "/Metadata" not in reader.trailer["/Root"]  # no longer claims PDF/A


def test_hostile_name_is_printed_as_text_and_adds_nothing_to_the_pdf(distributed: Path) -> None:
    copy = (distributed / "output/outbox/copies/eve/mgmt-2026-10.pdf").read_bytes()
    built = (distributed / "output/mgmt-2026-10.pdf").read_bytes()
    assert all(HOSTILE_NAME in text for text in pages_text(copy))
    assert b"/JavaScript" not in copy and b"/JS" not in copy and b"/OpenAction" not in built
    reader = PdfReader(io.BytesIO(copy))
    assert reader.metadata is not None and reader.metadata["/ITReportRecipient"] == HOSTILE_NAME
    assert len(reader.pages) == len(PdfReader(io.BytesIO(built)).pages)


# --- trace ------------------------------------------------------------------------------------


def test_trace_falls_back_to_the_printed_copy_id_when_metadata_is_stripped(
    repo: Path, tmp_path: Path
) -> None:
    assert run("distribute", "content", "--edition", "board").exit_code == 0
    writer = PdfWriter(clone_from=repo / "output/outbox/copies/bo/board-2026-10.pdf")
    writer.metadata = None
    stripped = tmp_path / "leak.pdf"
    with stripped.open("wb") as fh:
        writer.write(fh)
    result = run("trace", str(stripped), "--out", "output")
    assert result.exit_code == 0, result.output
    assert "given to: Bo Åkesson <bo@example.org> (bo)" in result.output
    assert "copy id in the page text" in result.output


def test_trace_of_an_unknown_or_broken_file_exits_1(
    distributed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(distributed)
    built = run("trace", "output/board-2026-10.pdf")
    assert built.exit_code == 1
    assert "not in output/distribution.jsonl" in built.output
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"not a pdf")
    broken = run("trace", str(junk))
    assert broken.exit_code == 1
    assert "not a readable PDF" in broken.output


def test_distribute_and_trace_as_subprocesses(distributed: Path) -> None:
    cmd = [sys.executable, "-m", "itreport"]
    dry = subprocess.run(
        [*cmd, "distribute", "content", "--dry-run"],
        cwd=distributed,
        capture_output=True,
        text=True,
        check=False,
    )
    assert dry.returncode == 0, dry.stderr
    assert "dry run: 6 copies, nothing written or sent" in dry.stdout
    traced = subprocess.run(
        [*cmd, "trace", "output/outbox/copies/ada/board-2026-10.pdf"],
        cwd=distributed,
        capture_output=True,
        text=True,
        check=False,
    )
    assert traced.returncode == 0, traced.stderr
    assert "given to: Ada Lind <ada@example.org> (ada)" in traced.stdout
    assert "Traceback" not in dry.stderr + traced.stderr


# --- units: retries, placement, copy ids, the log across builds -----------------------------------


def test_retries_pause_doubling_and_stop_after_three_attempts(smtp: tuple[Recorder, dict[str, str]]) -> None:
    from itreport.publish.smtp import send, settings_from_env

    server, env = smtp
    settings = settings_from_env(env)
    pauses: list[float] = []
    server.fail_first = 5
    failed = send(
        settings, "it@example.org", "ada@example.org", b"Subject: x\r\n\r\nx\r\n", sleep=pauses.append
    )
    assert (failed.sent, failed.attempts, pauses) == (False, 3, [1.0, 2.0])
    assert failed.detail == "451 4.3.0 Try again later (gave up after 3 attempts)"
    pauses.clear()
    server.fail_first, server.refused = 1, 0
    ok = send(settings, "it@example.org", "ada@example.org", b"Subject: x\r\n\r\nx\r\n", sleep=pauses.append)
    assert (ok.sent, ok.attempts, pauses) == (True, 2, [1.0])
    assert [r[1] for r in server.received] == [["ada@example.org"]]


def test_refused_connection_is_retried_then_reported() -> None:
    from itreport.publish.smtp import SmtpSettings, send

    pauses: list[float] = []
    closed = SmtpSettings("127.0.0.1", free_port(), "none")  # nobody listens there
    outcome = send(closed, "it@example.org", "ada@example.org", b"x", sleep=pauses.append)
    assert (outcome.sent, outcome.attempts, pauses) == (False, 3, [1.0, 2.0])
    assert "ConnectionRefusedError" in outcome.detail


def test_stamp_goes_above_the_footer_or_below_it_when_the_body_reaches_down() -> None:
    from itreport.publish.watermark import Box, Placement, StampError, place_stamp

    footer = [Box(45.0, 23.0, 8.0), Box(510.0, 23.0, 8.0)]
    # Footer top 23 + 0.72*8 = 28.76; stamp baseline 28.76 + 2.5 + 0.22*6.5 = 32.69.
    above = place_stamp(595.0, 842.0, [*footer, Box(45.0, 60.0, 9.0)])
    assert above == Placement(45.0, pytest.approx(32.69), 505.0)
    # Body text down to baseline 40 leaves no room above: below the footer instead,
    # 23 - 0.22*8 - 2.5 - 0.72*6.5 = 14.06.
    below = place_stamp(595.0, 842.0, [*footer, Box(45.0, 40.0, 9.0)])
    assert below.baseline == pytest.approx(14.06)
    with pytest.raises(StampError):
        place_stamp(595.0, 842.0, [Box(45.0, 9.0, 8.0), Box(45.0, 22.0, 9.0)])
    assert place_stamp(595.0, 842.0, []) == Placement(45.35, 24.0, pytest.approx(504.3))


def test_copy_ids_are_deterministic_and_differ_per_person_edition_and_build() -> None:
    from itreport.publish.copyid import COPY_ID_RE, copy_id, ids_in_text

    base = copy_id("abc", "board", "ada@example.org", "f" * 64)
    assert base == copy_id("abc", "board", "ADA@example.org", "f" * 64)  # addresses compare caselessly
    others = {
        copy_id("abd", "board", "ada@example.org", "f" * 64),
        copy_id("abc", "mgmt", "ada@example.org", "f" * 64),
        copy_id("abc", "board", "bo@example.org", "f" * 64),
        copy_id("abc", "board", "ada@example.org", "e" * 64),
    }
    assert base not in others and len(others) == 4
    assert COPY_ID_RE.fullmatch(base)
    assert ids_in_text(f"Personal copy for Ada · copy {base} · do not forward") == [base]


def test_a_new_build_keeps_the_distribution_log(repo: Path) -> None:
    assert run("distribute", "content", "--edition", "board").exit_code == 0
    log = (repo / "output" / "distribution.jsonl").read_bytes()
    build(BuildOptions(repo / "content", repo / "output", ("html",), ("board",)))
    assert (repo / "output" / "distribution.jsonl").read_bytes() == log


# --- STARTTLS and login, with a certificate made for the test ---------------------------------


def _certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (cryptography comes with pypdf[crypto])."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "itreport test relay")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "relay.pem", folder / "relay.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


def test_starttls_with_login_sends_and_a_wrong_password_is_not_retried(repo: Path, tmp_path: Path) -> None:
    import ssl

    from aiosmtpd.smtp import AuthResult, LoginPassword

    cert, key = _certificate(tmp_path)
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(cert, key)
    logins: list[tuple[bytes, bool]] = []

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (b"relay", b"s3cret")
        logins.append((data.login, session.ssl is not None))
        return AuthResult(success=ok, handled=False)  # handled=False: the server replies 235 or 535

    handler = Recorder()
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=free_port(),
        tls_context=tls,
        require_starttls=True,
        auth_required=True,
        authenticator=authenticator,
    )
    controller.start()
    try:
        env = {
            "ITREPORT_SMTP_HOST": "127.0.0.1",
            "ITREPORT_SMTP_PORT": str(controller.port),
            "ITREPORT_SMTP_USER": "relay",
            "ITREPORT_SMTP_PASSWORD": "s3cret",
            "ITREPORT_SMTP_CA_FILE": str(cert),
        }
        sent = run("distribute", "content", "--edition", "board", "--send", env=env)
        assert sent.exit_code == 0, sent.output
        assert sorted(r[1][0] for r in handler.received) == ["ada@example.org", "bo@example.org"]
        assert logins == [(b"relay", True), (b"relay", True)]  # the password only ever went over TLS
        wrong = run("distribute", "content", "--send", env={**env, "ITREPORT_SMTP_PASSWORD": "nope"})
        assert wrong.exit_code == 1
        assert "NOT SENT: Cy Holm <cy@example.org>: login refused (535)" in wrong.output
        assert len(logins) == 2 + 4  # board copies were skipped as sent; one attempt per other message
        untrusted = run(
            "distribute", "content", "--send", "--resend", env={**env, "ITREPORT_SMTP_CA_FILE": ""}
        )
        assert untrusted.exit_code == 1
        assert "certificate is not trusted" in untrusted.output
    finally:
        controller.stop()


def test_implicit_tls_sends_over_tls_from_the_first_byte(repo: Path, tmp_path: Path) -> None:
    """ITREPORT_SMTP_SECURITY=ssl (port 465 style): TLS before any SMTP, the relay's CA checked."""
    import ssl

    cert, key = _certificate(tmp_path)
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(cert, key)
    secure: list[bool] = []

    class TlsRecorder(Recorder):
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            secure.append(server.transport.get_extra_info("ssl_object") is not None)
            return await super().handle_DATA(server, session, envelope)

    handler = TlsRecorder()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), ssl_context=tls)
    controller.start()
    try:
        env = {
            "ITREPORT_SMTP_HOST": "127.0.0.1",
            "ITREPORT_SMTP_PORT": str(controller.port),
            "ITREPORT_SMTP_SECURITY": "ssl",
            "ITREPORT_SMTP_CA_FILE": str(cert),
        }
        sent = run("distribute", "content", "--edition", "board", "--send", env=env)
        assert sent.exit_code == 0, sent.output
        assert sorted(r[1][0] for r in handler.received) == ["ada@example.org", "bo@example.org"]
        assert secure == [True, True]
        untrusted = run(
            "distribute",
            "content",
            "--edition",
            "board",
            "--send",
            "--resend",
            env={**env, "ITREPORT_SMTP_CA_FILE": ""},
        )
        assert untrusted.exit_code == 1
        assert "certificate is not trusted" in untrusted.output
        assert len(handler.received) == 2
    finally:
        controller.stop()


def test_distribute_waits_for_a_build_holding_the_output_lock(repo: Path) -> None:
    """A build swaps the output folder; copies must never be made from a folder being swapped."""
    import fcntl
    import os
    import threading

    from itreport.publish.lock import LOCK_NAME

    fd = os.open(repo / "output" / LOCK_NAME, os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    released = threading.Event()

    def release() -> None:
        released.wait(timeout=30)
        os.close(fd)  # closing releases the build's lock

    holder = threading.Thread(target=release)
    holder.start()
    timer = threading.Timer(1.0, released.set)
    timer.start()
    try:
        result = run("distribute", "content", "--dry-run")
    finally:
        released.set()
        holder.join()
        timer.cancel()
    assert result.exit_code == 0, result.output
    assert "waiting for another itreport build" in result.output
    assert "dry run: 6 copies" in result.output
