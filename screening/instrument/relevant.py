"""XLSForm ``relevant`` expressions, read into the bank's show_if predicates and written back.

The question sheets say when a question is asked in XLSForm's own words, so that
ODK and KoboToolbox run the same conditions as this app. Only the few forms the
bank needs are understood, and anything else is refused with a message that says
what is allowed:

- ``${stage} = 'after_exit'`` and ``${stage} != 'before_departure'``;
- ``selected(${channel}, 'agent')`` (a multiple choice holds the value);
- ``${age} < 18`` and ``${age} >= 18`` (whole numbers);
- ``${is_child} = 'yes'`` or ``'no'``: the person is or may be a child (the bank's
  ``is_child`` calculation; the app applies the screening model's own rule);
- ``not(...)``, ``and``, ``or`` and brackets.

``${q} = 'a' or ${q} = 'b'`` on one question reads as one predicate, "q is a or b".
"""

import re

from screening.instrument.bank import EXCLUSIVE

CHILD = "is_child"
_TOKEN = re.compile(
    r"\s*(?:(?P<ref>\$\{(?P<name>[A-Za-z_][\w.-]*)\})|'(?P<sq>[^']*)'|\"(?P<dq>[^\"]*)\""
    r"|(?P<num>\d+)|(?P<op>!=|>=|<=|=|<|>)|(?P<word>[A-Za-z_]+)|(?P<punct>[(),]))"
)


class ExpressionError(ValueError):
    """A relevant expression this bank cannot read."""


def _tokens(text):
    tokens, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match:
            raise ExpressionError(f"cannot read {text[pos:].strip()[:20]!r}")
        pos = match.end()
        kind = match.lastgroup if match.lastgroup not in ("name", "sq", "dq") else None
        if match.group("ref"):
            tokens.append(("ref", match.group("name")))
        elif match.group("sq") is not None or match.group("dq") is not None:
            tokens.append(("str", match.group("sq") if match.group("sq") is not None else match.group("dq")))
        else:
            tokens.append((kind, match.group(kind)))
    return tokens


class _Reader:
    def __init__(self, text):
        self.tokens = _tokens(text)
        self.pos = 0

    def peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else (None, None)

    def take(self, kind, value=None):
        token = self.peek()
        if token[0] != kind or (value is not None and token[1] != value):
            wanted = value or {"ref": "${name}", "str": "'a value'", "num": "a number"}.get(kind, kind)
            found = token[1] if token[0] else "the end"
            raise ExpressionError(f"expected {wanted}, found {found!r}")
        self.pos += 1
        return token[1]

    def either(self, word):
        parts = [self.conjunction() if word == "or" else self.term()]
        while self.peek() == ("word", word):
            self.pos += 1
            parts.append(self.conjunction() if word == "or" else self.term())
        return parts

    def disjunction(self):
        parts = self.either("or")
        names = {p.get("answer") for p in parts if set(p) == {"answer", "in"}}
        if len(parts) > 1 and len(names) == 1 and all(set(p) == {"answer", "in"} for p in parts):
            return {"answer": names.pop(), "in": [v for p in parts for v in p["in"]]}
        return parts[0] if len(parts) == 1 else {"any": parts}

    def conjunction(self):
        parts = self.either("and")
        return parts[0] if len(parts) == 1 else {"all": parts}

    def term(self):
        kind, value = self.peek()
        if (kind, value) == ("punct", "("):
            self.pos += 1
            inner = self.disjunction()
            self.take("punct", ")")
            return inner
        if (kind, value) == ("word", "not"):
            self.pos += 1
            self.take("punct", "(")
            inner = self.disjunction()
            self.take("punct", ")")
            return {"not": inner}
        if (kind, value) == ("word", "selected"):
            self.pos += 1
            self.take("punct", "(")
            name = self.take("ref")
            self.take("punct", ",")
            chosen = self.take("str")
            self.take("punct", ")")
            return {"answer": name, "in": [chosen]}
        return self.comparison()

    def comparison(self):
        name = self.take("ref")
        op = self.take("op")
        if op in ("<=", ">"):
            raise ExpressionError(f"write ${{{name}}} < N or ${{{name}}} >= N, not {op}")
        if op in ("<", ">="):
            bound = {"answer": name, "lt": int(self.take("num"))}
            return bound if op == "<" else {"not": bound}
        value = self.take("str")
        if name == CHILD:
            if value not in ("yes", "no"):
                raise ExpressionError(f"${{{CHILD}}} is 'yes' or 'no', not {value!r}")
            held = {"child": value == "yes"}
            return held if op == "=" else {"child": not held["child"]}
        return {"answer": name, "in": [value]} if op == "=" else {"not": {"answer": name, "in": [value]}}


def parse(text):
    """Return the show_if predicate an XLSForm relevant expression states; raise ExpressionError."""
    reader = _Reader(text)
    if not reader.tokens:
        raise ExpressionError("the expression is empty")
    predicate = reader.disjunction()
    if reader.pos != len(reader.tokens):
        raise ExpressionError(f"unexpected {reader.peek()[1]!r}: join conditions with 'and' or 'or'")
    return predicate


def write(cond, multiple=frozenset()):
    """Return ``cond`` as an XLSForm relevant expression; ``multiple`` names the multiple-choice questions."""
    if "all" in cond or "any" in cond:
        word = " and " if "all" in cond else " or "
        parts = [write(c, multiple) for c in cond.get("all", cond.get("any"))]
        return word.join(f"({p})" if (" or " in p and word == " and ") else p for p in parts)
    if "not" in cond:
        inner = cond["not"]
        if set(inner) == {"answer", "lt"}:
            return f"${{{inner['answer']}}} >= {inner['lt']}"
        if set(inner) == {"answer", "in"} and len(inner["in"]) == 1 and inner["answer"] not in multiple:
            return f"${{{inner['answer']}}} != '{inner['in'][0]}'"
        return f"not({write(inner, multiple)})"
    if "child" in cond:
        return f"${{{CHILD}}} = '{'yes' if cond['child'] else 'no'}'"
    if "lt" in cond:
        return f"${{{cond['answer']}}} < {cond['lt']}"
    name = cond["answer"]
    each = "selected(${{{0}}}, '{1}')" if name in multiple else "${{{0}}} = '{1}'"
    return " or ".join(each.format(name, value) for value in cond["in"])


def constraint(kind, minimum=None, maximum=None):
    """Return the XLSForm constraint a question of ``kind`` has: its bounds, or its answers that stand alone."""
    if kind == "number":
        return f". >= {minimum} and . <= {maximum}"
    if kind == "text":
        return f"string-length(.) <= {maximum}"
    if kind == "multi":
        return "count-selected(.) = 1 or not(" + " or ".join(f"selected(., '{v}')" for v in EXCLUSIVE) + ")"
    return ""
