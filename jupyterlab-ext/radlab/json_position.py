"""Where JSON text stops being valid: the same scanner as @radlab/core's config/json-position.ts,
so both sides report a syntax error at the same line and column. Only used after json.loads has
failed; its own message is not shown (it may quote the input, and so a secret)."""

from __future__ import annotations

import re

_WS = " \t\n\r"
_HEX4 = re.compile(r"[0-9a-fA-F]{4}")
_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")


class _Fail(Exception):
    def __init__(self, offset: int) -> None:
        super().__init__(offset)
        self.offset = offset


def json_error_offset(text: str) -> int | None:
    """The offset (in characters) of the first syntax error in `text`, or None if there is none."""
    n = len(text)
    i = 0

    def fail() -> None:
        raise _Fail(i)

    def ws() -> None:
        nonlocal i
        while i < n and text[i] in _WS:
            i += 1

    def peek() -> str | None:
        return text[i] if i < n else None

    def literal(word: str) -> None:
        nonlocal i
        if text.startswith(word, i):
            i += len(word)
        else:
            fail()

    def string() -> None:
        nonlocal i
        i += 1  # opening quote
        while i < n:
            c = text[i]
            if c == '"':
                i += 1
                return
            if c == "\\":
                nxt = text[i + 1] if i + 1 < n else None
                if nxt == "u":
                    if not _HEX4.fullmatch(text[i + 2 : i + 6]):
                        i += 2
                        fail()
                    i += 6
                elif nxt is not None and nxt in '"\\/bfnrt':
                    i += 2
                else:
                    i += 1
                    fail()
            elif c < " ":
                fail()
            else:
                i += 1
        fail()

    def number() -> None:
        nonlocal i
        m = _NUMBER.match(text, i)
        if not m or m.group(0) in ("", "-"):
            fail()
        assert m is not None
        i += len(m.group(0))

    def value() -> None:
        nonlocal i
        ws()
        c = peek()
        if c == "{":
            i += 1
            ws()
            if peek() == "}":
                i += 1
                return
            while True:
                ws()
                if peek() != '"':
                    fail()
                string()
                ws()
                if peek() != ":":
                    fail()
                i += 1
                value()
                ws()
                if peek() == ",":
                    i += 1
                    continue
                if peek() == "}":
                    i += 1
                    return
                fail()
        elif c == "[":
            i += 1
            ws()
            if peek() == "]":
                i += 1
                return
            while True:
                value()
                ws()
                if peek() == ",":
                    i += 1
                    continue
                if peek() == "]":
                    i += 1
                    return
                fail()
        elif c == '"':
            string()
        elif c == "t":
            literal("true")
        elif c == "f":
            literal("false")
        elif c == "n":
            literal("null")
        elif c is not None and (c == "-" or "0" <= c <= "9"):
            number()
        else:
            fail()

    try:
        value()
        ws()
        if i < n:
            fail()
        return None
    except _Fail as e:
        return e.offset
    except RecursionError:
        return None


def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of an offset; the column counts UTF-16 code units, as JavaScript
    does, so that both implementations agree on lines with non-BMP characters."""
    before = text[: max(0, min(offset, len(text)))]
    last = before.split("\n")
    return len(last), len(last[-1].encode("utf-16-le")) // 2 + 1
