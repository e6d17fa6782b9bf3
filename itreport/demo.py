"""`itreport demo`: write a realistic, seeded division of a chosen size.

The generated divisions are how we try itreport at the size of a group IT function and how
`make bench` measures it: small is about the size of the example, medium about 400 people and 80
projects, large about 2,000 people, 400 projects and 6,000 budget lines. The same scale and seed
always give byte-identical files. YAML is written as text (no YAML library) so that even the
large division is written in about a second; every generated division validates with no errors.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from itreport.schema import modeline, write_schemas

AS_OF = date(2026, 10, 31)
FISCAL_YEAR = 2026
MONTHS = [f"{FISCAL_YEAR}-{m:02d}" for m in range(1, 13)]
ACTUAL_MONTHS = MONTHS[:10]  # January to October: booked up to as-of
FORECAST_MONTHS = MONTHS[10:]


@dataclass(frozen=True)
class Scale:
    """How big a generated division is."""

    people: int
    teams: int
    projects: int
    budget_lines: int
    objectives: int


SCALES: dict[str, Scale] = {
    "small": Scale(people=40, teams=6, projects=12, budget_lines=40, objectives=5),
    "medium": Scale(people=400, teams=20, projects=80, budget_lines=1500, objectives=8),
    "large": Scale(people=2000, teams=60, projects=400, budget_lines=6000, objectives=12),
}


class DemoError(Exception):
    """The demo division cannot be written where asked (exit code 2)."""


# --- Vocabulary ------------------------------------------------------------------------------------

FIRST_NAMES = tuple(
    (  # noqa: SIM905 (a word list reads best as text)
        "Anna Erik Maria Lars Karin Anders Eva Johan Sara Per Lena Mikael Emma Henrik Sofia Magnus "
        "Kristina Fredrik Linnea Jonas Helena Stefan Camilla David Petra Mattias Annika Rasmus Malin "
        "Goran Ida Niklas Elin Patrik Jenny Tobias Hanna Daniel Frida Oskar Maja Viktor Ebba Gustav Alva "
        "Axel Wilma Hugo Klara Filip Astrid Simon Agnes Olle Tove Jakob Nora Emil Saga Isak"
    ).split()
)
LAST_NAMES = tuple(
    (  # noqa: SIM905 (a word list reads best as text)
        "Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Gustafsson "
        "Pettersson Jonsson Jansson Hansson Bengtsson Lindberg Jakobsson Magnusson Lindstrom Olofsson "
        "Lindqvist Lindgren Berg Axelsson Bergstrom Lundberg Lind Lundgren Lundqvist Mattsson Berglund "
        "Fredriksson Sandberg Henriksson Forsberg Sjoberg Wallin Engstrom Eklund Danielsson Lundin "
        "Hakansson Bjork Bergman Gunnarsson Holm Wikstrom Samuelsson Isaksson Fransson Bergqvist Nystrom "
        "Holmberg Arvidsson Lofgren Soderberg Nyberg Blomqvist Claesson Nordstrom Moberg Ek Hedberg "
        "Lundell Sandstrom"
    ).split()
)
LOCATIONS = ("Sundsvall", "Sundsvall", "Sundsvall", "Umeå", "Stockholm", "Östersund", "Gävle", "remote")

# (id, title, family, required certifications, training programmes)
ROLES: tuple[tuple[str, str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("cio", "Head of IT (CIO)", "Management", (), ("security-awareness", "leadership-programme")),
    (
        "it-manager",
        "IT Team Manager",
        "Management",
        ("itil4-f",),
        ("security-awareness", "leadership-programme"),
    ),
    (
        "project-manager",
        "Project Manager",
        "Project management",
        ("prince2-p",),
        ("security-awareness", "prince2-course"),
    ),
    ("enterprise-architect", "Enterprise Architect", "Architecture", ("togaf",), ("security-awareness",)),
    ("it-controller", "IT Business Controller", "Finance", (), ("security-awareness",)),
    (
        "infrastructure-engineer",
        "Infrastructure Engineer",
        "Engineering",
        ("az-104",),
        ("security-awareness", "azure-path"),
    ),
    ("network-engineer", "Network Engineer", "Engineering", ("ccna",), ("security-awareness",)),
    ("security-analyst", "Security Analyst", "Security", (), ("security-awareness", "nis2-for-it")),
    ("developer", "Software Developer", "Engineering", (), ("security-awareness",)),
    ("data-engineer", "Data Engineer", "Engineering", (), ("security-awareness",)),
    (
        "sap-consultant",
        "SAP Application Specialist",
        "Applications",
        ("sap-s4-fin",),
        ("security-awareness",),
    ),
    (
        "service-desk-analyst",
        "Service Desk Analyst",
        "Service",
        ("itil4-f",),
        ("security-awareness", "itil4-course"),
    ),
    ("business-analyst", "Business Analyst", "Applications", (), ("security-awareness",)),
    (
        "scrum-master",
        "Scrum Master",
        "Project management",
        ("psm-1",),
        ("security-awareness", "scrum-course"),
    ),
)
# (id, name, issuer, validity in months or 0)
CERTIFICATIONS = (
    ("itil4-f", "ITIL 4 Foundation", "PeopleCert", 36),
    ("prince2-p", "PRINCE2 Practitioner", "PeopleCert", 36),
    ("togaf", "TOGAF Enterprise Architecture Practitioner", "The Open Group", 0),
    ("az-104", "Microsoft Certified Azure Administrator Associate", "Microsoft", 12),
    ("ccna", "Cisco Certified Network Associate", "Cisco", 36),
    ("cissp", "CISSP", "ISC2", 36),
    ("psm-1", "Professional Scrum Master I", "Scrum.org", 0),
    ("sap-s4-fin", "SAP Certified Associate, S/4HANA Financial Accounting", "SAP", 0),
)
# (id, name, provider, hours, certification or "")
PROGRAMMES = (
    ("security-awareness", "Annual security awareness training", "Group Security", 3, ""),
    ("nis2-for-it", "Cybersecurity Act (NIS2) for IT staff", "Group Security and Legal", 6, ""),
    ("leadership-programme", "Leadership programme (six modules)", "HR", 60, ""),
    ("itil4-course", "ITIL 4 Foundation course with exam", "Informator", 21, "itil4-f"),
    ("prince2-course", "PRINCE2 Practitioner course with exam", "Informator", 35, "prince2-p"),
    ("azure-path", "Azure Administrator learning path and exam", "Microsoft Learn", 40, "az-104"),
    ("scrum-course", "Professional Scrum Master course", "Scrum.org", 16, "psm-1"),
)
CERT_VALIDITY = {cid: months for cid, _n, _i, months in CERTIFICATIONS}
ROLE_CERTS = {rid: certs for rid, _t, _f, certs, _p in ROLES}
ROLE_TRAINING = {rid: prog for rid, _t, _f, _c, prog in ROLES}

# Departments: (team id, name, cost centre, lead role, member roles, sub-team areas)
DEPARTMENTS = (
    (
        "infra-ops",
        "Infrastructure & Operations",
        "cc-4110",
        ("infrastructure-engineer", "network-engineer"),
        ("Cloud platform", "Networks", "Data centre", "Storage and backup", "Telecom", "Monitoring"),
    ),
    (
        "apps",
        "Business Applications",
        "cc-4120",
        ("sap-consultant", "developer", "business-analyst"),
        ("SAP finance", "SAP maintenance", "Billing", "Integration", "HR systems", "CRM"),
    ),
    (
        "digital-data",
        "Digital & Data",
        "cc-4130",
        ("developer", "data-engineer", "scrum-master"),
        ("Data platform", "Customer channels", "Field apps", "Analytics", "Metering data", "APIs"),
    ),
    (
        "security",
        "Information Security",
        "cc-4140",
        ("security-analyst",),
        ("Security operations", "Identity and access", "OT security", "Governance and risk"),
    ),
    (
        "service-desk",
        "Service Desk & Workplace",
        "cc-4150",
        ("service-desk-analyst",),
        ("First line", "Second line", "Devices", "Collaboration"),
    ),
    (
        "architecture",
        "Architecture & PMO",
        "cc-4160",
        ("project-manager", "enterprise-architect", "it-controller"),
        ("Project office", "Enterprise architecture", "IT finance"),
    ),
)
BUSINESS_UNITS = (
    ("elnat", "Elnät (Grid)", "Maria Hedlund, Head of Grid"),
    ("produktion", "Produktion (Generation)", "Johan Forsberg, Head of Generation"),
    ("fjarrvarme", "Fjärrvärme (District Heating)", "Lena Öberg, Head of District Heating"),
    ("kundservice", "Kundservice & Försäljning (Retail)", "Sara Lindqvist, Head of Retail"),
    ("ekonomi", "Ekonomi (Finance)", "Per Sandberg, CFO"),
    ("hr", "HR", "Eva Nordström, HR Director"),
)
SYSTEMS = (
    "SAP S/4HANA",
    "Customer portal",
    "Field service app",
    "Data platform",
    "Wide-area network",
    "Identity and access",
    "Service desk tool",
    "Smart metering",
    "OT segmentation",
    "Billing system",
    "CRM",
    "HR system",
    "Document management",
    "Backup platform",
    "Data centre",
    "Mobile devices",
    "Analytics",
    "Integration platform",
    "API gateway",
    "GIS",
    "SCADA",
    "Asset management",
    "Payroll",
    "Procurement",
    "E-signing",
    "Intranet",
    "Contact centre",
    "Cloud landing zone",
    "Endpoint security",
    "Email security",
    "Outage management",
    "Energy trading",
    "Heat network control",
    "Warehouse system",
)
ACTIONS = (
    "upgrade",
    "migration",
    "replacement",
    "rollout",
    "consolidation",
    "modernisation",
    "pilot",
    "renewal",
    "hardening",
    "automation",
)
RISK_TITLES = (
    "Key supplier cannot staff the project as contracted",
    "Business users unavailable for acceptance testing",
    "Data quality in the legacy system delays migration",
    "Licence cost rises at contract renewal",
    "Integration with the billing system is more complex than estimated",
    "Security findings in the penetration test delay go-live",
    "Cut-over window clashes with the winter peak",
    "Scarce specialist skills leave the team",
    "Regulatory change alters the requirements",
    "Hardware delivery times grow",
)
ISSUE_TITLES = (
    "Test environment unavailable for a week",
    "Defects from the last test cycle still open",
    "Supplier invoice disputed",
    "Interface specification not signed off",
    "Change request waiting for approval",
    "Training material late",
)
DECISION_TITLES = (
    "Approve additional funding for the next phase",
    "Approve the go-live date",
    "Choose the hosting option",
    "Extend the supplier contract by one year",
)
SUMMARIES = (
    "Work is progressing to plan; the next test cycle starts as scheduled.",
    "Design and build continue; two change requests are in review.",
    "Supplier staffing is back at contract level after last month's gaps.",
    "Acceptance testing is under way with key users from the business.",
    "Migration rehearsal completed; lessons learned are being fed into the cut-over plan.",
    "Procurement finished and the supplier has started mobilisation.",
)
CATEGORY_LINES = (
    ("licences", "opex", "Licences"),
    ("cloud", "opex", "Cloud services"),
    ("contractors", "opex", "Consultants"),
    ("hardware", "capex", "Hardware"),
    ("telecom", "opex", "Telecom"),
    ("facilities", "opex", "Facilities"),
    ("training", "opex", "Training"),
    ("other", "opex", "Other costs"),
)
VENDORS = (
    "Microsoft",
    "SAP",
    "Cisco",
    "ServiceNow",
    "Atea",
    "Telia",
    "Tieto",
    "Dell",
    "HPE",
    "Oracle",
    "Salesforce",
    "Elastic",
    "Fortinet",
    "Citrix",
    "Adobe",
    "Esri",
    "Siemens",
    "ABB",
    "Visma",
    "Sogeti",
)
OBJECTIVES = (
    ("secure-operations", "Secure and resilient operations for IT and OT"),
    ("modern-core", "A modern, supported core of business systems"),
    ("data-driven", "Data-driven grid and customer operations"),
    ("digital-customer", "Digital self-service for customers"),
    ("cost-efficient-it", "Cost-efficient IT"),
    ("skilled-people", "Skilled people and fewer consultants"),
    ("cloud-first", "Cloud first for new workloads"),
    ("green-it", "Lower energy use and emissions from IT"),
    ("resilient-network", "A resilient network to every site"),
    ("simple-workplace", "A simple, secure digital workplace"),
    ("automation", "Automated operations"),
    ("compliance", "Compliance by design"),
)

BRIEFINGS = """\
# The four editions of the example: each audience sees only the data tiers it is cleared for.
editions:
  - id: board
    title: Board briefing
    audience: board
    classification: Confidential — Board
    filename: "board-{period}"
    recipients: [Board of Directors, CEO]
    sections:
      - summary
      - section: portfolio
        depth: summary
      - exceptions
      - section: finance
        depth: summary
      - section: people
        depth: summary
      - section: strategy
        depth: summary
      - appendix

  - id: executive
    title: CIO briefing
    audience: executive
    classification: Internal
    filename: "cio-{period}"
    recipients: [CIO, Executive committee]
    sections: [summary, changes, portfolio, exceptions, milestones, risks, finance, people, strategy,
               problems, appendix]

  - id: finance
    title: Finance pack
    audience: finance
    classification: Internal — Finance
    filename: "finance-{period}"
    recipients: [CFO, Group controller]
    sections:
      - summary
      - changes
      - finance
      - section: portfolio
        depth: summary
      - section: strategy
        depth: summary
      - appendix

  - id: management
    title: IT management report
    audience: management
    classification: Confidential — IT management
    filename: "management-{period}"
    recipients: [Head of IT, IT team leads]
    sections: [summary, changes, exceptions, milestones, risks, people, problems, portfolio, finance,
               appendix]
"""

# --- YAML text helpers -----------------------------------------------------------------------------

_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9 ,.()'/&+–-]*[A-Za-z0-9.)]$")


def q(text: str) -> str:
    """A YAML scalar for `text`: plain when that cannot be misread, else double-quoted.

    JSON string syntax is a subset of YAML's double-quoted style, so json.dumps quotes safely.
    """
    if _PLAIN.match(text) and ": " not in text and " #" not in text:
        return text
    return json.dumps(text, ensure_ascii=False)


def flow(items: Iterable[str]) -> str:
    return "[" + ", ".join(q(i) for i in items) + "]"


def months_block(indent: str, amounts: dict[str, int]) -> list[str]:
    return [f"{indent}{month}: {amount}" for month, amount in amounts.items()]


# --- Generated entities ----------------------------------------------------------------------------


@dataclass
class Person:
    id: str
    name: str
    title: str
    role: str
    team: str
    manager: str | None
    start: date
    employment: str = "employee"
    end: date | None = None


@dataclass
class Team:
    id: str
    name: str
    parent: str | None
    cost_centre: str
    lead: str = ""
    department: str = ""
    member_roles: tuple[str, ...] = ()


@dataclass
class Division:
    """Everything generated, kept so that references between files always resolve."""

    scale: Scale
    rng: random.Random
    teams: list[Team] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    project_ids: list[str] = field(default_factory=list)
    project_managers: list[str] = field(default_factory=list)
    department_heads: list[str] = field(default_factory=list)


def _day(rng: random.Random, start: date, end: date) -> date:
    """A random day in [start, end]."""
    span = (end - start).days
    return start + timedelta(days=rng.randint(0, max(0, span)))


def _round(value: float, step: int) -> int:
    return max(step, round(value / step) * step)


class _Names:
    """Unique person ids (first.last, then first.last2, …) in a fixed order."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def __call__(self) -> tuple[str, str]:
        first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
        base = f"{first}.{last}".lower()
        pid, n = base, 1
        while pid in self.used:
            n += 1
            pid = f"{base}{n}"
        self.used.add(pid)
        return pid, f"{first} {last}"


def _teams_and_people(div: Division) -> None:
    rng, scale = div.rng, div.scale
    names = _Names(rng)
    root = Team(
        "it-office",
        "Office of the CIO",
        None,
        "cc-4100",
        department="it-office",
        member_roles=("project-manager", "it-controller"),
    )
    departments = [
        Team(tid, name, "it-office", cc, department=tid, member_roles=roles)
        for tid, name, cc, roles, _areas in DEPARTMENTS[: max(1, min(len(DEPARTMENTS), scale.teams - 1))]
    ]
    teams = [root, *departments]
    areas = {tid: list(a) for tid, _n, _c, _r, a in DEPARTMENTS}
    i = 0
    while len(teams) < scale.teams:
        dept = departments[i % len(departments)]
        pool = areas[dept.id]
        round_ = i // len(departments)
        area = pool[round_ % len(pool)]
        suffix = "" if round_ < len(pool) else f" {round_ // len(pool) + 1}"
        slug = re.sub(r"[^a-z0-9]+", "-", area.lower()).strip("-")
        tid = f"{dept.id}-{slug}" + (f"-{round_ // len(pool) + 1}" if suffix else "")
        teams.append(
            Team(
                tid,
                area + suffix,
                dept.id,
                dept.cost_centre,
                department=dept.id,
                member_roles=dept.member_roles,
            )
        )
        i += 1
    div.teams = teams
    by_id = {t.id: t for t in teams}

    def hire(team: Team, role: str, title: str, manager: str | None, lead: bool) -> Person:
        pid, name = names()
        start = _day(rng, date(2008, 1, 1), date(2026, 9, 1))
        employment = "employee"
        end = None
        if not lead:
            r = rng.random()
            if r < 0.08:
                employment, start = "consultant", _day(rng, date(2024, 1, 1), date(2026, 8, 1))
                end = _day(rng, date(2026, 12, 1), date(2027, 12, 31))
            elif r < 0.12:
                employment, start = "contractor", _day(rng, date(2024, 6, 1), date(2026, 8, 1))
                end = _day(rng, date(2026, 12, 1), date(2027, 6, 30))
            elif r < 0.15:
                end = _day(rng, max(start + timedelta(days=200), date(2026, 1, 31)), date(2026, 10, 15))
                if end > AS_OF:
                    end = None
        person = Person(pid, name, title, role, team.id, manager, start, employment, end)
        div.people.append(person)
        return person

    cio = hire(root, "cio", "Head of IT (CIO)", None, lead=True)
    root.lead = cio.id
    for team in teams[1:]:
        parent = by_id[team.parent or "it-office"]
        title = f"Head of {team.name}" if team.parent == "it-office" else f"Team lead, {team.name}"
        team.lead = hire(team, "it-manager", title, parent.lead, lead=True).id
        if team.parent == "it-office":
            div.department_heads.append(team.lead)
    titles = {rid: title for rid, title, _f, _c, _p in ROLES}
    members = [t for t in teams if t.parent != "it-office"] or teams
    while len(div.people) < scale.people:
        team = members[rng.randrange(len(members))] if rng.random() < 0.85 else root
        role = rng.choice(team.member_roles)
        senior = rng.random() < 0.3
        title = ("Senior " if senior else "") + titles[role]
        person = hire(team, role, title, team.lead, lead=False)
        if role == "project-manager" and person.end is None:
            div.project_managers.append(person.id)
    if not div.project_managers:
        div.project_managers = [cio.id]


def _people_yaml(div: Division) -> str:
    rng = div.rng
    out = ["# Everyone who works in the division (generated by `itreport demo`).", "people:"]
    for p in div.people:
        out += [
            f"  - id: {p.id}",
            f"    name: {q(p.name)}",
            f"    title: {q(p.title)}",
            f"    role: {p.role}",
            f"    team: {p.team}",
        ]
        if p.manager:
            out.append(f"    manager: {p.manager}")
        if p.employment != "employee":
            out.append(f"    employment: {p.employment}")
        if rng.random() < 0.06:
            out.append(f"    fte: {rng.choice(('0.5', '0.6', '0.8'))}")
        out.append(f"    start: {p.start}")
        if p.end:
            out.append(f"    end: {p.end}")
        out.append(f"    location: {q(rng.choice(LOCATIONS))}")
        if p.employment == "employee":
            # Most reviews are within their yearly cycle; a few are overdue (a warning, as in life).
            earliest = date(2025, 9, 1) if rng.random() < 0.06 else date(2025, 11, 15)
            last = _day(rng, max(earliest, p.start), AS_OF - timedelta(days=10))
            if last >= p.start and (AS_OF - p.start).days > 120:
                out.append(f"    review: {{cycle_months: 12, last: {last}}}")
        certs = [c for c in ROLE_CERTS[p.role] if rng.random() < 0.85]
        if rng.random() < 0.2:
            certs.append(rng.choice(CERTIFICATIONS)[0])
        if certs:
            out.append("    certifications:")
            for cert in dict.fromkeys(certs):
                issued = _day(rng, date(2019, 1, 1), AS_OF - timedelta(days=30))
                months = CERT_VALIDITY[cert]
                line = f"      - {{certification: {cert}, issued: {issued}"
                if months:
                    expires = issued + timedelta(days=months * 365 // 12)
                    if expires < AS_OF + timedelta(days=120) and rng.random() < 0.9:
                        # renewed: the new certificate is what is on record
                        issued = _day(
                            rng, AS_OF - timedelta(days=months * 365 // 12 - 150), AS_OF - timedelta(days=20)
                        )
                        expires = issued + timedelta(days=months * 365 // 12)
                    line = f"      - {{certification: {cert}, issued: {issued}, expires: {expires}"
                out.append(line + "}")
        programmes = ROLE_TRAINING[p.role]
        if programmes and p.start < date(2026, 1, 12):
            out.append("    training:")
            for prog in programmes:
                assigned = date(2026, 1, 12)
                due = date(2026, 3, 31) if prog == "security-awareness" else date(2026, 12, 31)
                if rng.random() < 0.8:
                    done = _day(rng, assigned + timedelta(days=7), min(due, AS_OF - timedelta(days=3)))
                    out.append(
                        f"      - {{programme: {prog}, assigned: {assigned}, due: {due}, completed: {done}}}"
                    )
                else:
                    out.append(f"      - {{programme: {prog}, assigned: {assigned}, due: {due}}}")
    return "\n".join(out) + "\n"


def _teams_yaml(div: Division) -> str:
    out = ["# The team tree (generated by `itreport demo`).", "teams:"]
    for t in div.teams:
        out += [f"  - id: {t.id}", f"    name: {q(t.name)}"]
        if t.parent:
            out.append(f"    parent: {t.parent}")
        out += [f"    lead: {t.lead}", f"    cost_centre: {t.cost_centre}"]
    return "\n".join(out) + "\n"


def _roles_yaml() -> str:
    out = ["# Job descriptions (generated by `itreport demo`).", "roles:"]
    for rid, title, family, certs, programmes in ROLES:
        out += [f"  - id: {rid}", f"    title: {q(title)}", f"    family: {q(family)}"]
        out.append(f"    responsibilities: {flow([f'Deliver the {title.lower()} work of the team'])}")
        if certs:
            out.append(f"    required_certifications: {flow(certs)}")
        out.append(f"    training: {flow(programmes)}")
    return "\n".join(out) + "\n"


def _training_yaml() -> str:
    out = ["# Certifications and training programmes (generated by `itreport demo`).", "certifications:"]
    for cid, name, issuer, months in CERTIFICATIONS:
        out += [f"  - id: {cid}", f"    name: {q(name)}", f"    issuer: {q(issuer)}"]
        if months:
            out.append(f"    validity_months: {months}")
    out.append("programmes:")
    for pid, name, provider, hours, cert in PROGRAMMES:
        out += [
            f"  - id: {pid}",
            f"    name: {q(name)}",
            f"    provider: {q(provider)}",
            f"    hours: {hours}",
        ]
        if cert:
            out.append(f"    certification: {cert}")
    return "\n".join(out) + "\n"


def _positions_yaml(div: Division) -> str:
    rng = div.rng
    out = ["# Open and recently closed positions (generated by `itreport demo`).", "positions:"]
    recent = [p for p in div.people if p.start >= date(2026, 3, 1) and p.employment == "employee"]
    count = max(4, div.scale.people // 25)
    teams = [t for t in div.teams if t.parent]
    for n in range(1, count + 1):
        team = teams[rng.randrange(len(teams))]
        role = rng.choice(team.member_roles)
        status = rng.choice(
            ("draft", "approved", "advertised", "interviewing", "offer", "filled", "cancelled")
        )
        filled_by = None
        if status == "filled":
            if not recent:
                status = "advertised"
            else:
                hire = recent.pop(rng.randrange(len(recent)))
                filled_by, team = hire.id, next(t for t in div.teams if t.id == hire.team)
                role = hire.role
                opened = hire.start - timedelta(days=rng.randint(60, 150))
        if filled_by is None:
            opened = _day(rng, date(2026, 1, 5), AS_OF - timedelta(days=5))
        out += [
            f"  - id: pos-{FISCAL_YEAR}-{n:03d}",
            f"    role: {role}",
            f"    team: {team.id}",
            f"    status: {status}",
            f"    opened: {opened}",
            f"    target_start: {opened + timedelta(days=rng.randint(90, 180))}",
            f"    hiring_manager: {team.lead}",
        ]
        if filled_by:
            out.append(f"    filled_by: {filled_by}")
    return "\n".join(out) + "\n"


# --- Projects --------------------------------------------------------------------------------------


def _rag(value: float, amber: float, red: float) -> str:
    return "red" if value >= red else "amber" if value >= amber else "green"


def _project_yaml(div: Division, pid: str, name: str, index: int) -> str:
    rng = div.rng
    people = [p.id for p in div.people if p.end is None]
    r = rng.random()
    state = "active" if r < 0.7 else "completed" if r < 0.85 else "proposed" if r < 0.93 else "on_hold"
    months = rng.randint(6, 30)
    if state == "proposed":
        start = _day(rng, AS_OF + timedelta(days=30), AS_OF + timedelta(days=200))
    elif state == "completed":
        start = _day(rng, date(2024, 1, 1), AS_OF - timedelta(days=months * 30 + 20))
    else:
        start = _day(
            rng, max(date(2023, 6, 1), AS_OF - timedelta(days=months * 30 - 40)), AS_OF - timedelta(days=30)
        )
    end = start + timedelta(days=months * 30)
    slip = 0
    if state in ("active", "on_hold"):
        s = rng.random()
        slip = 0 if s < 0.6 else rng.randint(5, 30) if s < 0.85 else rng.randint(31, 150)
    budget_total = _round(rng.lognormvariate(15.5, 0.9), 50_000)
    capex = _round(budget_total * rng.uniform(0.4, 0.85), 50_000)
    opex = max(50_000, budget_total - capex)
    elapsed = min(1.0, max(0.0, (AS_OF - start).days / max(1, (end + timedelta(days=slip) - start).days)))
    percent = 100 if state == "completed" else 0 if state == "proposed" else int(elapsed * 95)
    o = rng.random()
    overrun = (
        0.0
        if o < 0.65 or state == "proposed"
        else rng.uniform(0.01, 0.06)
        if o < 0.85
        else rng.uniform(0.06, 0.25)
    )
    eac = _round((capex + opex) * (1 + overrun), 10_000)
    actual = 0 if state == "proposed" else _round(eac * (percent / 100) * rng.uniform(0.9, 1.05), 1000)
    if state == "completed":
        actual = eac
    manager = rng.choice(div.project_managers)
    owner = rng.choice(div.department_heads or [manager])
    sponsor = rng.choice(BUSINESS_UNITS)
    units = sorted(rng.sample([b[0] for b in BUSINESS_UNITS], rng.randint(1, 3)))
    objectives = sorted(rng.sample([o[0] for o in OBJECTIVES[: div.scale.objectives]], rng.randint(1, 2)))
    phase = {"proposed": "initiation", "completed": "closure", "on_hold": "execution"}.get(
        state, "planning" if elapsed < 0.2 else "execution"
    )
    out = [
        f"id: {pid}",
        f"name: {q(name)}",
        f"summary: {q(f'{name} for the group, led by IT with the business units it serves.')}",
        f"sponsor: {q(sponsor[2])}",
        f"owner: {owner}",
        f"manager: {manager}",
        f"business_units: {flow(units)}",
        f"business_users: {flow([f'Key users in {sponsor[1]}'])}",
        f"objectives: {flow(objectives)}",
        f"investment_class: {rng.choice(('run', 'grow', 'grow', 'transform'))}",
        f"phase: {phase}",
        f"state: {state}",
        "schedule:",
        f"  baseline: {{start: {start}, end: {end}}}",
    ]
    forecast_end = end + timedelta(days=slip)
    if slip:
        out.append(f"  forecast: {{start: {start}, end: {forecast_end}}}")
    if state == "completed":
        actual_end = min(AS_OF - timedelta(days=1), end + timedelta(days=rng.randint(0, 20)))
        out.append(f"  actual: {{start: {start}, end: {actual_end}}}")
    elif state != "proposed":
        out.append(f"  actual: {{start: {start}}}")
    out += [
        f"percent_complete: {percent}",
        "budget:",
        f"  capex: {capex}",
        f"  opex: {opex}",
        f"  total: {capex + opex}",
        f"  actual_to_date: {actual}",
        f"  estimate_at_completion: {eac}",
    ]
    slip_pct = 100 * slip / max(1, (end - start).days)
    schedule_rag = max(_rag(slip, 10, 30), _rag(slip_pct, 5, 15), key=("green", "amber", "red").index)
    cost_rag = _rag(100 * overrun, 5, 10)
    overall = max(schedule_rag, cost_rag, key=("green", "amber", "red").index)
    if state != "proposed":
        out.append("status:")
        first = max(start, AS_OF - timedelta(days=180))
        last_report = min(AS_OF, end + timedelta(days=30)) if state == "completed" else AS_OF
        stale = state != "completed" and rng.random() < 0.06
        if stale:
            last_report = AS_OF - timedelta(days=rng.randint(50, 80))
        report_dates: list[date] = []
        d = last_report - timedelta(days=rng.randint(3, 9))
        while d >= first and len(report_dates) < 6:
            report_dates.append(d)
            d -= timedelta(days=28)
        if not report_dates:
            report_dates = [last_report]
        for k, when in enumerate(reversed(report_dates)):
            latest = k == len(report_dates) - 1
            rag = overall if latest else rng.choice(("green", "green", overall))
            if state == "completed" and latest:
                rag = "green"
            out += [
                f"  - date: {when}",
                f"    author: {manager}",
                f"    summary: {q(rng.choice(SUMMARIES))}",
            ]
            if latest and rag != "green":
                out += [
                    "    recovery:",
                    f"      action: {q('Recovery plan agreed with the steering group; weekly follow-up.')}",
                    f"      owner: {owner}",
                    f"      due: {AS_OF + timedelta(days=rng.randint(14, 60))}",
                ]
            out.append(f"    overall: {{rag: {rag}}}")
            if latest:
                out += [
                    f"    schedule: {{rag: {schedule_rag if state != 'completed' else 'green'}}}",
                    f"    cost: {{rag: {cost_rag if state != 'completed' else 'green'}}}",
                    "    scope: {rag: green}",
                    f"    resources: {{rag: {rng.choice(('green', 'green', 'amber'))}}}",
                ]
    # Milestones spread over the baseline; those due before as-of are reached (or late).
    count = rng.randint(4, 8)
    out.append("milestones:")
    for m in range(1, count + 1):
        base = start + timedelta(days=(end - start).days * m // count)
        line = f"  - {{id: m{m}, name: {q(f'Milestone {m} of {count}')}, baseline: {base}"
        moved = base + timedelta(days=slip * m // count)
        if state == "completed":
            line += f", actual: {min(base, AS_OF - timedelta(days=1))}"
        elif moved <= AS_OF - timedelta(days=3) and state != "proposed":
            line += f", actual: {moved}"
        elif slip:
            line += f", forecast: {moved}"
        if m == count or m == count // 2:
            line += ", key: true"
        out.append(line + "}")
    if state != "proposed":
        out.append("risks:")
        for k in range(1, rng.randint(2, 6) + 1):
            closed = rng.random() < 0.2
            out += [
                f"  - id: r{k}",
                f"    title: {q(rng.choice(RISK_TITLES))}",
                f"    probability: {rng.randint(1, 5)}",
                f"    impact: {rng.randint(1, 5)}",
                f"    mitigation: {q('Agreed actions are tracked in the steering group.')}",
                f"    owner: {rng.choice(people)}",
                f"    raised: {_day(rng, start, AS_OF)}",
            ]
            if closed:
                out.append("    state: closed")
            elif rng.random() < 0.5:
                out.append(f"    due: {AS_OF + timedelta(days=rng.randint(10, 120))}")
        issues = rng.randint(0, 4)
        if issues:
            out.append("issues:")
        for k in range(1, issues + 1):
            raised = _day(rng, start, AS_OF)
            istate = rng.choice(("open", "in_progress", "in_progress", "resolved"))
            out += [
                f"  - id: i{k}",
                f"    title: {q(rng.choice(ISSUE_TITLES))}",
                f"    priority: {rng.choice(('low', 'medium', 'medium', 'high', 'critical'))}",
                f"    raised: {raised}",
                f"    action: {q('Owner follows up with the supplier weekly.')}",
                f"    owner: {rng.choice(people)}",
                f"    due: {raised + timedelta(days=rng.randint(14, 60))}",
                f"    state: {istate}",
            ]
            if istate == "resolved":
                out.append(f"    resolved: {_day(rng, raised, AS_OF)}")
    decisions = rng.choice((0, 0, 1, 1, 2))
    if decisions:
        out.append("decisions:")
    for k in range(1, decisions + 1):
        pending = rng.random() < 0.35 and state in ("active", "proposed")
        out += [
            f"  - id: d{k}",
            f"    title: {q(rng.choice(DECISION_TITLES))}",
            f"    requested_of: {q(rng.choice(('Executive committee', 'CIO', 'CFO', 'Steering group')))}",
        ]
        if pending:
            out += [f"    needed_by: {AS_OF + timedelta(days=rng.randint(7, 90))}", "    state: pending"]
        else:
            decided = _day(rng, min(start, AS_OF - timedelta(days=30)), AS_OF - timedelta(days=1))
            out += [
                f"    needed_by: {decided + timedelta(days=rng.randint(0, 10))}",
                "    state: approved",
                f"    decided: {decided}",
                f"    outcome: {q('Approved as proposed.')}",
            ]
    others = [p for p in div.project_ids[:index] if p != pid]
    deps = rng.choice((0, 0, 1, 2)) if others else 0
    if deps:
        out.append("dependencies:")
    for _ in range(deps):
        out += [
            f"  - project: {rng.choice(others)}",
            f"    description: {q('Needs the other project to deliver its platform first.')}",
            f"    needed_by: {AS_OF + timedelta(days=rng.randint(30, 300))}",
            f"    state: {rng.choice(('on_track', 'on_track', 'at_risk', 'blocked', 'done'))}",
        ]
    if rng.random() < 0.5:
        planned = _round(budget_total * rng.uniform(0.1, 0.5), 10_000)
        out += [
            "benefits:",
            "  - id: b1",
            f"    description: {q('Lower yearly run cost after decommissioning the old solution')}",
            f"    planned: {planned}",
            f"    realised: {planned // 2 if state == 'completed' else 0}",
            f"    measure: {q('SEK a year')}",
            f"    due: {end + timedelta(days=365)}",
        ]
    return "\n".join(out) + "\n"


def _project_names(count: int) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    n = 0
    while len(out) < count:
        system = SYSTEMS[n % len(SYSTEMS)]
        action = ACTIONS[(n // len(SYSTEMS) + n) % len(ACTIONS)]
        wave = n // (len(SYSTEMS) * len(ACTIONS))
        name = f"{system} {action}" + (f" (wave {wave + 1})" if wave else "")
        slug = re.sub(r"[^a-z0-9]+", "-", f"{system} {action}".lower()).strip("-")
        pid = slug + (f"-{wave + 1}" if wave else "")
        if pid not in {p for p, _ in out}:
            out.append((pid, name))
        n += 1
    return out


# --- Budget ----------------------------------------------------------------------------------------


def _line(
    out: list[str],
    rng: random.Random,
    lid: str,
    name: str,
    category: str,
    nature: str,
    centre: str,
    annual: int,
    project: str | None = None,
) -> None:
    monthly = max(1000, annual // 12 // 1000 * 1000)
    plan = {m: monthly for m in MONTHS}
    plan[MONTHS[-1]] += max(0, annual - monthly * 12) // 1000 * 1000
    drift = rng.choice((0.97, 0.99, 1.0, 1.0, 1.02, 1.05, 1.12))
    actual = {m: int(plan[m] * drift * rng.uniform(0.93, 1.06)) for m in ACTUAL_MONTHS}
    forecast = {m: _round(plan[m] * drift, 1000) for m in FORECAST_MONTHS}
    out += [
        f"  - id: {lid}",
        f"    name: {q(name)}",
        f"    category: {category}",
        f"    nature: {nature}",
        f"    cost_centre: {centre}",
    ]
    if project:
        out.append(f"    project: {project}")
    out.append(f"    annual_plan: {sum(plan.values())}")
    out.append("    plan:")
    out += months_block("      ", plan)
    out.append("    actual:")
    out += months_block("      ", actual)
    out.append("    forecast:")
    out += months_block("      ", forecast)


def _budget_yaml(div: Division, projects: Sequence[str]) -> str:
    rng = div.rng
    out = [
        f"# Budget {FISCAL_YEAR} (generated by `itreport demo`): plan for every month, actuals up to",
        "# October, forecast for November and December.",
        f"fiscal_year: {FISCAL_YEAR}",
        "currency: SEK",
        "lines:",
    ]
    total = div.scale.budget_lines
    written = 0
    centres = ["cc-4100", *[t.cost_centre for t in div.teams if t.parent == "it-office"]]
    for team in div.teams:
        if written >= total:
            break
        size = sum(1 for p in div.people if p.team == team.id)
        _line(
            out,
            rng,
            f"pers-{team.id}",
            f"Salaries and social charges, {team.name}",
            "personnel",
            "opex",
            team.cost_centre,
            _round(size * 780_000, 12_000),
        )
        written += 1
    for pid in projects:
        if written >= total:
            break
        _line(
            out,
            rng,
            f"proj-{pid}",
            f"Project {pid}, external costs",
            "contractors",
            rng.choice(("capex", "opex")),
            rng.choice(centres),
            _round(rng.lognormvariate(14.2, 0.7), 12_000),
            pid,
        )
        written += 1
    n = 0
    while written < total:
        category, nature, label = CATEGORY_LINES[n % len(CATEGORY_LINES)]
        vendor = VENDORS[(n // len(CATEGORY_LINES)) % len(VENDORS)]
        centre = centres[n % len(centres)]
        _line(
            out,
            rng,
            f"{category}-{n + 1:05d}",
            f"{label}, {vendor} ({centre})",
            category,
            nature,
            centre,
            _round(rng.lognormvariate(13.3, 0.8), 12_000),
        )
        written += 1
        n += 1
    out.append("revenue:")
    for uid, name, _head in BUSINESS_UNITS:
        amount = _round(div.scale.people * rng.uniform(1500, 4000), 100)
        out += [
            f"  - id: chargeback-{uid}",
            f"    business_unit: {uid}",
            "    kind: chargeback",
            f"    service: {q(f'Workplace and application services for {name}')}",
            "    plan:",
            *months_block("      ", {m: amount for m in MONTHS}),
            "    actual:",
            *months_block("      ", {m: int(amount * rng.uniform(0.97, 1.03)) for m in ACTUAL_MONTHS}),
        ]
    out.append("savings:")
    heads = div.department_heads or [div.people[0].id]
    for k in range(1, max(3, div.scale.projects // 10) + 1):
        target = _round(rng.lognormvariate(13.5, 0.6), 10_000)
        state = rng.choice(("planned", "in_progress", "in_progress", "achieved", "at_risk"))
        realised = target if state == "achieved" else _round(target * rng.uniform(0, 0.8), 10_000)
        if state == "planned":
            realised = 0
        out += [
            f"  - id: saving-{k:03d}",
            f"    title: {q(f'Saving {k}: renegotiate or retire {rng.choice(VENDORS)} services')}",
            f"    category: {rng.choice(CATEGORY_LINES)[0]}",
            f"    target: {target}",
            f"    realised: {realised}",
            f"    owner: {rng.choice(heads)}",
            f"    due: {date(FISCAL_YEAR, 12, 31)}",
            f"    state: {state}",
        ]
    return "\n".join(out) + "\n"


# --- Division, strategy, narrative -------------------------------------------------------------------


def _division_yaml(div: Division, scale_name: str) -> str:
    heads = {t.cost_centre: t.lead for t in div.teams if t.parent in (None, "it-office")}
    names = {cc: name for _t, name, cc, _r, _a in DEPARTMENTS}
    names["cc-4100"] = "Office of the CIO"
    out = [
        f"# A generated division ({scale_name}) for trying and benchmarking itreport: `itreport demo`.",
        "name: Group IT",
        "organisation: Nordvik Energi AB",
        f"head: {div.teams[0].lead}",
        f"as_of: {AS_OF}",
        "period:",
        "  start: 2026-10-01",
        "  end: 2026-10-31",
        "  label: October 2026",
        "fiscal_year_start: 1",
        "currency: SEK",
        "locale: en_GB",
        "classification: Internal",
        "cost_centres:",
    ]
    for cc, lead in heads.items():
        out += [f"  - id: {cc}", f"    name: {q(names.get(cc, cc))}", f"    owner: {lead}"]
    out.append("business_units:")
    for uid, name, head in BUSINESS_UNITS:
        out += [f"  - id: {uid}", f"    name: {q(name)}", f"    head: {q(head)}"]
    return "\n".join(out) + "\n"


def _strategy_yaml(div: Division) -> str:
    rng = div.rng
    heads = div.department_heads or [div.people[0].id]
    out = ["# Objectives, coordination and the problem log (generated by `itreport demo`).", "objectives:"]
    for oid, title in OBJECTIVES[: div.scale.objectives]:
        baseline = rng.randint(20, 60)
        target = rng.randint(baseline + 20, 100)
        out += [
            f"  - id: {oid}",
            f"    title: {q(title)}",
            '    horizon: "2026–2027"',
            f"    owner: {rng.choice(heads)}",
            "    kpis:",
            f"      - name: {q(f'Progress towards {title.lower()}')}",
            '        unit: "%"',
            f"        baseline: {baseline}",
            f"        target: {target}",
            f"        current: {rng.randint(baseline, target)}",
            "        due: 2027-12-31",
        ]
    out.append("coordination:")
    for k, (uid, name, head) in enumerate(BUSINESS_UNITS, start=1):
        out += [
            f"  - id: coord-{uid}",
            f"    topic: {q(f'IT plan {FISCAL_YEAR + 1} with {name}')}",
            f"    counterpart: {q(f'{name} ({head})')}",
            f"    owner: {heads[k % len(heads)]}",
            f"    next_date: {AS_OF + timedelta(days=7 * k)}",
            f"    state: {rng.choice(('open', 'in_progress', 'agreed'))}",
        ]
    out.append("problems:")
    for k in range(1, max(3, div.scale.projects // 20) + 1):
        raised = _day(rng, date(2026, 3, 1), AS_OF - timedelta(days=7))
        resolved = rng.random() < 0.4
        out += [
            f"  - id: problem-{k:03d}",
            f"    title: {q(f'Recurring incident {k} in {rng.choice(SYSTEMS)}')}",
            f"    impact: {q('Users lost access for up to two hours on several occasions.')}",
            f"    action: {q('Root cause analysis with the supplier; fix scheduled in the next release.')}",
            f"    owner: {rng.choice(heads)}",
            f"    raised: {raised}",
            f"    state: {'resolved' if resolved else rng.choice(('open', 'mitigating'))}",
        ]
        if resolved:
            out.append(f"    resolved: {_day(rng, raised, AS_OF)}")
    return "\n".join(out) + "\n"


NARRATIVE = """\
# The Head of IT's words for the briefing (generated by `itreport demo`).
executive_summary: |
  This division was generated by `itreport demo` to show how the briefings read at this size.
  The figures, colours and lists that follow are computed from the generated files; this text
  only introduces them.
key_messages:
  - "**Portfolio**: see the status of every project and the worst items first."
  - "**Budget**: year-to-date actuals against plan, and the full-year forecast."
asks:
  - title: Note the generated briefing
    detail: Nothing needs deciding; the asks section shows how requests to the board appear.
    decide_by: 2026-12-10
"""


def generate(scale_name: str, seed: int = 1) -> dict[str, str]:
    """Relative path → YAML text of every file of a generated division (deterministic)."""
    if scale_name not in SCALES:
        raise DemoError(f"unknown scale '{scale_name}'; scales: {', '.join(SCALES)}")
    div = Division(SCALES[scale_name], random.Random(f"itreport-demo:{scale_name}:{seed}"))
    _teams_and_people(div)
    names = _project_names(div.scale.projects)
    div.project_ids = [pid for pid, _ in names]
    files: dict[str, str] = {
        "division.yaml": _division_yaml(div, scale_name),
        "teams.yaml": _teams_yaml(div),
        "people.yaml": _people_yaml(div),
        "roles.yaml": _roles_yaml(),
        "training.yaml": _training_yaml(),
        "positions.yaml": _positions_yaml(div),
        "strategy.yaml": _strategy_yaml(div),
        "narrative.yaml": NARRATIVE,
        "briefings.yaml": BRIEFINGS,
    }
    for index, (pid, name) in enumerate(names):
        files[f"projects/{pid}.yaml"] = _project_yaml(div, pid, name, index)
    files[f"budget/{FISCAL_YEAR}.yaml"] = _budget_yaml(div, div.project_ids)
    kinds = {"projects": "project", "budget": "budget"}
    out: dict[str, str] = {}
    for rel, text in sorted(files.items()):
        kind = kinds.get(rel.split("/")[0], rel.removesuffix(".yaml"))
        out[rel] = modeline(rel, kind) + "\n" + text
    return out


def write_demo(directory: Path, scale_name: str, seed: int = 1) -> list[Path]:
    """Write a generated division (and its JSON Schemas) into an empty or new folder."""
    files = generate(scale_name, seed)
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise DemoError(f"'{directory}' exists and is not an empty folder; choose a new one")
    written = []
    for rel, text in files.items():
        path = directory / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    write_schemas(directory)
    return written
