"""The template sandbox: an allow-list of what a template may touch, and a budget per edition.

Templates may come from an untrusted pull request. Jinja's own sandbox blocks `_` attributes and
known-unsafe methods but still lets a template call any public method of any object it can reach,
and lets it loop, multiply strings and recurse without limit. Here a template may read only:

- the fields of the view's frozen types (`plain.freeze`), a few read-only methods of strings,
  read-only mappings and dates (`SAFE_METHODS`), and Jinja's own loop, namespace, macro and block
  objects;
- call only the named helpers and filters (plain functions), macros, and those read-only methods.

Everything else is a `SecurityError`. Each render has a `Budget`: time, loop iterations, macro
depth, the size of any one string or list a template builds, and the size of its output.
Running over any of them ends the render with a `TemplateFailure` naming the template file and
line, as does any other exception a template provokes (a division by zero, a bad argument).
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from types import BuiltinMethodType, MappingProxyType, MethodType, TracebackType
from typing import Any

from jinja2 import nodes
from jinja2.bccache import Bucket, BytecodeCache
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError, TemplateError, TemplateRuntimeError, TemplateSyntaxError
from jinja2.runtime import BlockReference, Context, LoopContext, Macro, TemplateReference, Undefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Joiner, Namespace
from markupsafe import Markup

from itreport.plain import view_fields
from itreport.render.references import external_references


@dataclass(frozen=True)
class Limits:
    """What one edition's render may spend. Generous for any real theme; see the README."""

    seconds: float = 20.0
    iterations: int = 1_000_000
    depth: int = 60
    string: int = 2_000_000
    output: int = 50_000_000
    range: int = 100_000


def default_limits() -> Limits:
    """The limits, with the time budget from ITREPORT_TEMPLATE_SECONDS when set (for slow CI)."""
    raw = os.environ.get("ITREPORT_TEMPLATE_SECONDS", "")
    try:
        seconds = float(raw) if raw else Limits.seconds
    except ValueError:
        seconds = Limits.seconds
    return Limits(seconds=seconds if seconds > 0 else Limits.seconds)


SEQUENCES = (str, list, tuple)
MAX_BITS = 65_536  # integers a template builds stay far below this (and print in milliseconds)


class BudgetExceeded(TemplateRuntimeError):
    """A template ran over one of its limits."""


@dataclass
class Budget:
    limits: Limits
    started: float = field(default_factory=time.monotonic)
    iterations: int = 0
    depth: int = 0
    output: int = 0

    def tick(self) -> None:
        if time.monotonic() - self.started > self.limits.seconds:
            raise BudgetExceeded(
                f"the template ran for more than {self.limits.seconds:g} seconds (a runaway loop?)"
            )

    def restart(self) -> None:
        """A fresh budget for the next render in the same (cached) environment: one per edition."""
        self.started = time.monotonic()
        self.iterations = self.depth = self.output = 0

    def sized(self, value: Any) -> Any:
        """`value` when it is a string, list, tuple or mapping within the size limit."""
        if isinstance(value, str | list | tuple | dict):
            self.need(len(value))
        return value

    def need(self, size: int) -> None:
        """Refuse, before it is built, a string or list of `size` items over the limit."""
        if size > self.limits.string:
            raise BudgetExceeded(
                f"the template would build a value of {size:,} items; the limit is {self.limits.string:,}"
            )

    def produce(self, n: int) -> None:
        self.output += n
        if self.output > self.limits.output:
            raise BudgetExceeded(f"the template wrote more than {self.limits.output:,} characters")
        self.tick()


# Read-only methods a template may call, by the exact type of the object they belong to.
_STR_METHODS = frozenset(
    {"lower", "upper", "title", "capitalize", "strip", "lstrip", "rstrip", "startswith", "endswith", "split"}
)
_MAP_METHODS = frozenset({"get", "keys", "values", "items"})
SAFE_METHODS: dict[type, frozenset[str]] = {
    str: _STR_METHODS,
    Markup: _STR_METHODS,
    MappingProxyType: _MAP_METHODS,
    dict: _MAP_METHODS,
    dt.date: frozenset({"isoformat", "weekday", "isoweekday"}),
}
SAFE_DATA: dict[type, frozenset[str]] = {dt.date: frozenset({"year", "month", "day"})}
_LOOP = frozenset(
    {
        "index",
        "index0",
        "revindex",
        "revindex0",
        "first",
        "last",
        "length",
        "depth",
        "depth0",
        "previtem",
        "nextitem",
        "cycle",
        "changed",
    }
)


class CheckedNamespace(Namespace):
    """`namespace()` whose values obey the size limit (a loop cannot double a string forever)."""

    budget: Budget | None = None

    def __setitem__(self, name: str, value: Any) -> None:
        budget = type(self).budget
        if budget is not None:
            budget.sized(value)
            budget.tick()
        super().__setitem__(name, value)


class _CodeGenerator(CodeGenerator):
    """Jinja's code generator with `a ~ b ~ c` measured before it is joined."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.measured((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("), ")
        if frame.eval_ctx.volatile:
            self.write("(markup_join if context.eval_ctx.volatile else str_join)")
        elif frame.eval_ctx.autoescape:
            self.write("markup_join")
        else:
            self.write("str_join")
        self.write(")")


class MemoryBytecodeCache(BytecodeCache):
    """Compiled templates kept for the process: each edition gets a fresh environment (and
    budget), but compiles a template only once. A changed source has another checksum and is
    compiled again."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        data = self.store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


COMPILED = MemoryBytecodeCache()


class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox narrowed to an allow-list, with a budget (see module doc)."""

    code_generator_class = _CodeGenerator
    intercepted_binops = frozenset({"+", "*", "**", "%", "-", "//", "/"})

    def __init__(self, limits: Limits, **kwargs: Any) -> None:
        super().__init__(bytecode_cache=COMPILED, **kwargs)
        self.budget = Budget(limits)
        namespace = type("namespace", (CheckedNamespace,), {"budget": self.budget})
        for name in ("lipsum", "cycler"):
            self.globals.pop(name, None)
        self.globals.update({"range": self._range, "namespace": namespace})
        self.filters["itreport_guard"] = self._guard
        self.finalize = self._finalize
        self.concat = self._concat  # type: ignore[method-assign]  # joins every macro, call and {% set %} block
        self.helpers: set[int] = {id(v) for v in self.globals.values()}

    # -- what a template may touch ------------------------------------------------------------

    def register(self, name: str, helper: Callable[..., Any]) -> None:
        """A global helper (`_`, `asset`): a plain function the template may call."""
        self.globals[name] = helper
        self.helpers.add(id(helper))

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        self.budget.tick()
        if attr.startswith("_"):
            return False
        kind = type(obj)
        if attr in view_fields(obj):
            return True
        if attr in SAFE_METHODS.get(kind, ()) or attr in SAFE_DATA.get(kind, ()):
            return True
        if isinstance(obj, LoopContext):
            return attr in _LOOP
        if isinstance(obj, Namespace):
            return True  # a template's own variables
        if isinstance(obj, TemplateReference):
            return isinstance(value, BlockReference)
        if isinstance(obj, BlockReference):
            return attr == "super"
        # `{% import "macros.html" as m %}`: the module's macros and exported values
        return type(obj).__name__ == "TemplateModule" and (
            isinstance(value, Macro | str | int | Decimal | tuple)
        )

    def is_safe_callable(self, obj: Any) -> bool:
        if isinstance(obj, Macro | BlockReference | LoopContext | Joiner) or id(obj) in self.helpers:
            return True
        if isinstance(obj, type) and issubclass(obj, CheckedNamespace):
            return True
        if isinstance(obj, BuiltinMethodType | MethodType):
            owner = obj.__self__
            if isinstance(owner, LoopContext):
                return obj.__name__ in _LOOP
            return obj.__name__ in SAFE_METHODS.get(type(owner), ())
        return False

    def unsafe_undefined(self, obj: Any, attribute: str) -> Any:
        raise SecurityError(f"templates may not read {attribute!r} of a {type(obj).__name__}")

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        budget = __self.budget
        budget.tick()
        if isinstance(__obj, Undefined):
            __obj._fail_with_undefined_error()  # "'…' has no attribute 'x'", not "may not call"
        if not __self.is_safe_callable(__obj):
            raise SecurityError(f"templates may not call {_name(__obj)}")
        for value in (*args, *kwargs.values()):
            budget.sized(value)
        if budget.depth >= budget.limits.depth:
            raise BudgetExceeded(
                f"calls nested more than {budget.limits.depth} deep (a macro or loop calling itself?)"
            )
        budget.depth += 1
        try:
            return __context.call(__obj, *args, **kwargs)
        finally:
            budget.depth -= 1

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        budget = self.budget
        budget.tick()
        if operator == "%" and isinstance(left, str):
            raise SecurityError("templates may not format strings with %; use the number filters")
        if operator == "*" and isinstance(left, str | list | tuple) and isinstance(right, int):
            budget.need(len(left) * max(right, 0))
        elif operator == "*" and isinstance(right, str | list | tuple) and isinstance(left, int):
            budget.need(len(right) * max(left, 0))
        elif operator == "+" and isinstance(left, SEQUENCES) and isinstance(right, SEQUENCES):
            budget.need(len(left) + len(right))
        elif (
            operator == "**"
            and isinstance(right, int)
            and (abs(right) > 1024 or (isinstance(left, int) and left.bit_length() * abs(right) > MAX_BITS))
        ):
            raise BudgetExceeded("the template would build a number too large to print")
        elif (
            operator == "*"
            and isinstance(left, int)
            and isinstance(right, int)
            and left.bit_length() + right.bit_length() > MAX_BITS
        ):
            raise BudgetExceeded("the template built a number too large to print")
        return self.binop_table[operator](left, right)

    # -- the budget's hooks ---------------------------------------------------------------

    def _range(self, *args: int) -> range:
        rng = range(*args)
        if len(rng) > self.budget.limits.range:
            limit = self.budget.limits.range
            raise BudgetExceeded(f"range() of {len(rng):,} numbers; the limit is {limit:,}")
        return rng

    def _guard(self, iterable: Iterable[Any]) -> Iterator[Any]:
        """Wraps every `{% for %}`: counts iterations and checks the clock on each."""
        budget = self.budget
        for item in iterable:
            budget.iterations += 1
            if budget.iterations > budget.limits.iterations:
                raise BudgetExceeded(f"loops ran more than {budget.limits.iterations:,} times")
            budget.tick()
            yield item

    def _finalize(self, value: Any) -> Any:
        self.budget.produce(len(value) if isinstance(value, str) else 16)
        return value

    def _concat(self, parts: Iterable[str]) -> str:
        items = list(parts)
        self.budget.produce(sum(len(p) for p in items))
        return "".join(items)

    def measured(self, parts: tuple[Any, ...], join: Callable[[Iterable[Any]], str]) -> str:
        self.budget.need(sum(len(str(p)) for p in parts))
        return join(parts)

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            loop.iter = nodes.Filter(loop.iter, "itreport_guard", [], [], None, None, lineno=loop.lineno)
        return tree


def _name(obj: Any) -> str:
    return getattr(type(obj), "__name__", "this object")


class TemplateFailure(Exception):
    """A template failed: the message starts with `file:line:` when the place is known."""


def render_template(env: Sandbox, name: str, context: Mapping[str, Any], roots: list[Path]) -> str:
    """Render `name` within the environment's budget; any failure becomes a `TemplateFailure`."""
    out: list[str] = []
    try:
        template = env.get_template(name)
        for chunk in template.generate(context):
            env.budget.produce(len(chunk))
            out.append(chunk)
    except TemplateSyntaxError as exc:
        where = f"{_shown(exc.filename or exc.name or name, roots)}:{exc.lineno}"
        raise TemplateFailure(f"{where}: template error: {exc.message}") from None
    except RecursionError as exc:
        raise TemplateFailure(
            f"{_where(exc.__traceback__, roots, name)}: template error: templates include or extend "
            "each other without end (a template including itself?)"
        ) from None
    except (TemplateError, Exception) as exc:  # whatever a hostile template provokes
        message = exc.message if isinstance(exc, TemplateError) and exc.message else str(exc)
        if isinstance(exc, KeyError) and exc.args:
            message = str(exc.args[0])
        if not isinstance(exc, TemplateError | KeyError):
            message = f"{type(exc).__name__}: {message}"
        raise TemplateFailure(
            f"{_where(exc.__traceback__, roots, name)}: template error: {message}"
        ) from None
    return "".join(out)


def _where(tb: TracebackType | None, roots: list[Path], fallback: str) -> str:
    """The innermost template frame of a traceback (Jinja maps frames to template lines)."""
    place = fallback
    while tb is not None:
        code = tb.tb_frame.f_code
        template = tb.tb_frame.f_globals.get("__jinja_template__")
        if template is not None and template.filename:
            line = template.get_corresponding_lineno(tb.tb_lineno)
            place = f"{_shown(template.filename, roots)}:{line}"
        elif code.co_filename.endswith((".html", ".css", ".svg", ".xml", ".txt", ".j2", ".jinja")):
            place = f"{_shown(code.co_filename, roots)}:{tb.tb_lineno}"
        tb = tb.tb_next
    return place


def _shown(filename: str, roots: list[Path]) -> str:
    """A template's path as the user knows it: relative to the working folder when inside it."""
    path = Path(filename)
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return str(path)


def refuse_external(html: str, env: Sandbox, roots: list[Path]) -> None:
    """A `TemplateFailure` at the template line for the first reference that would fetch.

    The line is found by searching the templates for what the page refers to; a reference built
    from data or expressions is reported without a line.
    """
    found = external_references(html)
    if not found:
        return
    ref = found[0]
    what = f"{ref.where} refers to {ref.url!r}" if ref.url else f"{ref.where} is not allowed"
    tag = ref.where[1:].split(" ")[0].rstrip(">")
    attr = ref.where[1:-1].split(" ")[1] if " " in ref.where else ""
    needles = [n for n in (ref.url, f"{attr}=" if attr.startswith("on") else "", f"<{tag}") if n]
    place = _find_in_templates(env, needles, roots)
    raise TemplateFailure(
        f"{place + ': ' if place else ''}template error: {what}; a briefing fetches nothing: embed "
        "theme files with asset('name') and link within the page with '#id'"
    )


def _find_in_templates(env: Sandbox, needles: list[str], roots: list[Path]) -> str | None:
    """`file:line` of the first template line holding a needle (the user's templates first)."""
    loader = env.loader
    if loader is None:
        return None
    names = sorted(env.list_templates(), key=lambda n: (n.startswith("default:"), n))
    for needle in needles:
        for name in names:
            try:
                source, filename, _ = loader.get_source(env, name)
            except (TemplateError, OSError, UnicodeError):
                continue
            for number, line in enumerate(source.splitlines(), start=1):
                if needle.lower() in line.lower():
                    return f"{_shown(filename or name, roots)}:{number}"
    return None
