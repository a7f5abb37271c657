"""docs/webmaster.md lists every message the generator can print, and the README links to it.

The messages are collected from the source, not from a list: the Python of generator/ is
parsed and every message-bearing call is read —

- `Problem(...)`: its message and hint;
- `raise X(...)`: every text argument of the exception (ReadError, ValueError, BuildFailed…);
- `Finding(...)`: a deadline of `portal check`, its text and hint;
- `Withheld(...)`, a rule's `reason()` return values and `why=`: why a record is not published;
- `click.echo(...)`, `console.print(...)`, `self.fail(...)`: what the commands print;
- `x.failure = …`, `x.message = …`, `x.hint = …`: texts kept to be printed later.

A text argument is resolved through string literals, f-strings (a `{placeholder}` matches
anything), module constants, `+`, conditional expressions, local variables, parameters of
the helper that receives it (at every call site of the module) and the return values of the
module's own functions. What stays unknown (`str(error)`, an attribute) is a placeholder:
its text is a message collected elsewhere. Rich markup (`[bold red]`) is not text.
Each message must then appear on one line of the guide, its placeholders matching anything.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
GUIDE = PROJECT / "docs" / "webmaster.md"
HOLE = "\0"  # a placeholder inside a collected message
DEPTH = 8  # how many steps (names, helpers, f-string parts) deep a message is followed
MAX_ALTERNATIVES = 12  # an f-string part with more possible texts than this is a placeholder

MESSAGE_CALLS = {"Problem": ("message", "hint"), "Finding": ("text", "hint"), "Withheld": ("reason",)}
MESSAGE_POSITIONS = {"Problem": (1, 2), "Finding": (1, 2), "Withheld": (2,)}
PRINT_CALLS = {"echo", "print", "fail"}  # click.echo, console.print, ParamType.fail
MESSAGE_KEYWORDS = {"why"}  # ExcludeFlagged(why=...): a rule's reason written where the register declares it
MESSAGE_ATTRIBUTES = {"failure", "message", "hint"}  # report.failure = "…": printed by the command
_RICH_MARKUP = re.compile(r"\[/?[a-z ]*\]")


@dataclass(frozen=True)
class Message:
    """One message as the code can print it; HOLE marks where a value goes."""

    text: str
    where: str

    def pattern(self) -> re.Pattern[str]:
        """The message as a one-line regex: each placeholder matches any text, spaces any spaces."""
        parts = [re.sub(r"\\\s+|\\ ", r"\\s+", re.escape(" ".join(p.split()))) for p in self.text.split(HOLE)]
        return re.compile(r"[^\n]*?".join(parts))

    @property
    def has_words(self) -> bool:
        return bool(re.search(r"[^\W\d_]{2,}", self.text.replace(HOLE, " ")))


class _Module:
    """One parsed module: its constants, functions and the parents of its nodes."""

    def __init__(self, path: Path, constants: dict[str, list[ast.expr]]) -> None:
        self.path = path
        self.name = path.relative_to(PROJECT).as_posix()
        self.tree = ast.parse(path.read_text(encoding="utf-8"))
        self.constants = constants
        self.functions: dict[str, list[ast.FunctionDef]] = {}
        self.parent: dict[ast.AST, ast.AST] = {}
        for node in ast.walk(self.tree):
            for child in ast.iter_child_nodes(node):
                self.parent[child] = node
            if isinstance(node, ast.FunctionDef):
                self.functions.setdefault(node.name, []).append(node)

    def enclosing_function(self, node: ast.AST) -> ast.FunctionDef | None:
        while node in self.parent:
            node = self.parent[node]
            if isinstance(node, ast.FunctionDef):
                return node
        return None

    def texts(self, expr: ast.expr | None, depth: int = 0) -> list[str]:
        """Every text an expression can evaluate to, with HOLE where it cannot be known."""
        if expr is None or depth > DEPTH:
            return [HOLE]
        if isinstance(expr, ast.Constant):
            return [expr.value] if isinstance(expr.value, str) else [HOLE]
        if isinstance(expr, ast.JoinedStr):
            out = [""]
            for part in expr.values:
                if isinstance(part, ast.Constant):
                    pieces = [part.value]
                elif isinstance(part, ast.FormattedValue) and part.format_spec is None and isinstance(part.value, (ast.Name, ast.Call)):
                    pieces = self.texts(part.value, depth + 1)
                    if len(pieces) > MAX_ALTERNATIVES:
                        pieces = [HOLE]
                else:
                    pieces = [HOLE]
                out = [o + p for o in out for p in pieces]
            return out
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
            return [a + b for a in self.texts(expr.left, depth + 1) for b in self.texts(expr.right, depth + 1)]
        if isinstance(expr, ast.IfExp):
            return self.texts(expr.body, depth + 1) + self.texts(expr.orelse, depth + 1)
        if isinstance(expr, ast.BoolOp):
            return [t for value in expr.values for t in self.texts(value, depth + 1)]
        if isinstance(expr, ast.Name):
            return self._name_texts(expr, depth)
        if isinstance(expr, ast.Call):
            return self._call_texts(expr, depth)
        return [HOLE]

    def _name_texts(self, expr: ast.Name, depth: int) -> list[str]:
        function = self.enclosing_function(expr)
        if function is not None:
            assigned = list(_assignments(function, expr.id))
            if assigned:
                return [HOLE * appended + t for value, appended in assigned for t in self.texts(value, depth + 1)]
            params = [a.arg for a in (*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs)]
            if expr.id in params:
                return self._argument_texts(function, expr.id, params, depth)
        if expr.id in self.constants:
            return [t for value in self.constants[expr.id] for t in self.texts(value, depth + 1)]
        return [HOLE]

    def _argument_texts(self, function: ast.FunctionDef, param: str, params: list[str], depth: int) -> list[str]:
        """What the module's callers pass for a parameter of `function`."""
        index = params.index(param) - (1 if params and params[0] in ("self", "cls") else 0)
        texts: list[str] = []
        for call in (n for n in ast.walk(self.tree) if isinstance(n, ast.Call) and _callee(n) == function.name):
            keyword = next((k.value for k in call.keywords if k.arg == param), None)
            value = keyword if keyword is not None else (call.args[index] if 0 <= index < len(call.args) else None)
            if value is not None:
                texts.extend(self.texts(value, depth + 1))
        return texts or [HOLE]

    def _call_texts(self, call: ast.Call, depth: int) -> list[str]:
        """A call of one of the module's own functions is the text it returns; any other call is unknown."""
        functions = self.functions.get(_callee(call) or "", [])
        returns = [r.value for f in functions for r in ast.walk(f) if isinstance(r, ast.Return) and r.value is not None]
        texts = [t for value in returns for t in self.texts(value, depth + 1)]
        return texts or [HOLE]


def _assignments(function: ast.FunctionDef, name: str) -> Iterator[tuple[ast.expr, bool]]:
    """Every value assigned to a local name, and whether it is appended (`+=`) to an earlier one."""
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            yield node.value, False
        elif isinstance(node, ast.AugAssign) and isinstance(node.op, ast.Add) and isinstance(node.target, ast.Name) and node.target.id == name:
            yield node.value, True
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == name and node.value is not None:
            yield node.value, False


def _callee(call: ast.Call) -> str | None:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def _module_constants(tree: ast.Module) -> dict[str, list[ast.expr]]:
    constants: dict[str, list[ast.expr]] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id.isupper():
                    constants.setdefault(target.id, []).append(node.value)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id.isupper() and node.value is not None:
            constants.setdefault(node.target.id, []).append(node.value)
    return constants


def _message_arguments(call: ast.Call, raised: bool) -> list[ast.expr]:
    """The arguments of a call that carry text the webmaster reads."""
    name = _callee(call)
    if raised:
        return [*call.args, *(k.value for k in call.keywords if k.arg in ("message", "hint"))]
    if name in MESSAGE_CALLS:
        positions = MESSAGE_POSITIONS[name]
        return [*(call.args[i] for i in positions if i < len(call.args)), *(k.value for k in call.keywords if k.arg in MESSAGE_CALLS[name])]
    if name in PRINT_CALLS and isinstance(call.func, ast.Attribute):
        return call.args[:1]
    return [k.value for k in call.keywords if k.arg in MESSAGE_KEYWORDS]


@functools.cache
def collect_messages() -> list[Message]:
    """Every message the code of generator/ can print, placeholders as HOLE."""
    paths = sorted((PROJECT / "generator").rglob("*.py"))
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in paths}
    # Constants are shared by name across modules (hints and forms are imported where used).
    shared: dict[str, list[ast.expr]] = {}
    for tree in trees.values():
        for name, values in _module_constants(tree).items():
            shared.setdefault(name, []).extend(values)
    messages: dict[str, Message] = {}
    for path in paths:
        module = _Module(path, {**shared, **_module_constants(trees[path])})
        raised = {id(n.exc) for n in ast.walk(module.tree) if isinstance(n, ast.Raise) and isinstance(n.exc, ast.Call)}
        for node in ast.walk(module.tree):
            arguments: list[ast.expr] = []
            if isinstance(node, ast.Call):
                arguments = _message_arguments(node, id(node) in raised)
            elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Attribute) and t.attr in MESSAGE_ATTRIBUTES for t in node.targets):
                arguments = [node.value]
            elif isinstance(node, ast.Return) and node.value is not None:
                function = module.enclosing_function(node)
                if function is not None and function.name == "reason":
                    arguments = [node.value]
            for argument in arguments:
                for text in module.texts(argument):
                    text = _RICH_MARKUP.sub("", text).strip()
                    message = Message(text, f"{module.name}:{argument.lineno}")
                    if message.has_words:
                        messages.setdefault(text, message)
    return sorted(messages.values(), key=lambda m: (m.where, m.text))


def _guide() -> str:
    return GUIDE.read_text(encoding="utf-8") if GUIDE.is_file() else ""


def test_the_collector_finds_messages_of_every_kind():
    texts = [m.text for m in collect_messages()]

    # A Problem hint, a ReadError through a module constant, a ValueError f-string, a rule's reason,
    # a message passed through a helper's parameter, a deadline and a command's output.
    for expected in (
        "Проверете пътя, подаден с --registers.",
        "Файлът не може да бъде отворен като таблица на Excel (XLSX): \0.",
        "„\0“ не е цяло число. Очаква се цяло число, напр. 2025.",
        "годината на вписване (\0) е изтекла",
        "файлът е променен след одобрението (контролната сума sha256 не съвпада); файлът не е публикуван.",
        "Годишната програма за проверки за \0 г. не е публикувана. Срокът беше \0.",
        "Намерени са \0 съвпадения с лични данни. Сайтът не бива да се публикува.",
        "фактическият партньор е отказал публикуване (чл. 71)",
    ):
        assert expected in texts


@pytest.mark.parametrize("message", collect_messages(), ids=lambda m: m.where)
def test_every_message_is_in_the_webmasters_guide(message):
    assert message.pattern().search(_guide()), (
        f"{message.where}: the message below is not in docs/webmaster.md; add it (a placeholder …) with what to do:\n"
        + message.text.replace(HOLE, "…")
    )


def test_the_readme_links_the_guide_right_after_its_first_commands():
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    head = readme[: readme.index("## ")]

    assert "](docs/webmaster.md)" in head
