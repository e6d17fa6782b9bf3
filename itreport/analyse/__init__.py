"""Pure analysis: typed content in, figures out. No I/O, no templates; every figure unit-tested."""

from __future__ import annotations

from dataclasses import dataclass

from itreport.analyse.finance import Finance, analyse_finance
from itreport.analyse.gaps import missing
from itreport.analyse.people import PeopleFigures, analyse_people
from itreport.analyse.portfolio import Health, Milestones, analyse_milestones, analyse_portfolio
from itreport.analyse.risks import RiskRegister, analyse_risks
from itreport.analyse.strategy import StrategyFigures, analyse_strategy
from itreport.analyse.summary import Status, division_status
from itreport.content import Content


@dataclass(frozen=True)
class Analysis:
    content: Content
    finance: Finance | None
    portfolio: tuple[Health, ...]
    milestones: Milestones
    risks: RiskRegister
    people: PeopleFigures
    strategy: StrategyFigures
    status: Status
    gaps: tuple[str, ...] = ()
    """Areas with nothing recorded yet (see `gaps.GAPS`)."""


def analyse(content: Content) -> Analysis:
    finance = analyse_finance(content)
    portfolio = analyse_portfolio(content)
    people = analyse_people(content)
    return Analysis(
        content=content,
        finance=finance,
        portfolio=portfolio,
        milestones=analyse_milestones(content),
        risks=analyse_risks(content),
        people=people,
        strategy=analyse_strategy(content),
        status=division_status(portfolio, finance, people, content.division.thresholds),
        gaps=missing(content),
    )
