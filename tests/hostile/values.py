"""What a hostile visitor types: strings, numbers, dates, keys and headers no form expects."""

from __future__ import annotations

from hypothesis import strategies as st

HUGE_NUMBER = "1" + "0" * 30  # 10^30
CLASSICS = (
    "",
    " ",
    "\x00",
    "shot\x00label",
    "é" * 300,
    "🎬🎞️" * 50,
    "\u202eevil\u202c",
    "ﷺ" * 40,
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "{{ request.user }}{% debug %}",
    "%s%n%x",
    "../../../../etc/passwd",
    "javascript:alert(1)",
    "https://evil.example/",
    "//evil.example/",
    "\r\nSet-Cookie: owned=1",
    "NaN",
    "Infinity",
    "-Infinity",
    "1e309",
    "-1e309",
    "-1",
    "0",
    "-0",
    HUGE_NUMBER,
    "-" + HUGE_NUMBER,
    "9223372036854775808",
    "-9223372036854775809",
    "18446744073709551616",
    "1.5",
    "0.0000000000000000000001",
    "1e-400",
    "0x10",
    "٣",
    "²",
    "1_000",
    "9999-12-31",
    "0001-01-01",
    "2024-02-30",
    "2024-13-01",
    "31/12/2024",
    "2026-01-01T25:61:61",
    "true",
    "null",
    "[]",
    "{}",
    '{"a": [[[[[]]]]]}',
    "x" * 100_000,
    "é" * 60_000,
    "9" * 5_000,
)

DATES = ("9999-12-31", "0001-01-01", "2024-02-30", "3000-01-01", "99999-01-01", HUGE_NUMBER)

texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
hostile_strings = st.one_of(st.sampled_from(CLASSICS), texts)


def mutations(field_names: list[str]):
    """A list of (field, how) changes: a hostile value, a value the page never offered, the
    field missing, the field twice, an unknown extra field."""
    how = st.one_of(
        st.tuples(st.just("value"), hostile_strings),
        st.tuples(st.just("missing"), st.none()),
        st.tuples(st.just("twice"), hostile_strings),
    )
    names = st.sampled_from(field_names) if field_names else st.nothing()
    change = st.tuples(names, how) if field_names else st.nothing()
    extra = st.tuples(
        st.sampled_from(
            [
                "id",
                "pk",
                "project",
                "owner",
                "spent",
                "reserved",
                "state",
                "is_staff",
                "circled_take",
            ]
        ),
        st.tuples(st.just("extra"), hostile_strings),
    )
    return st.lists(st.one_of(change, extra) if field_names else extra, min_size=1, max_size=3)


def apply(payload: dict[str, list[str]], changes) -> dict[str, list[str]]:
    data = {name: list(values) for name, values in payload.items()}
    for name, (how, value) in changes:
        if how == "missing":
            data.pop(name, None)
        elif how == "twice":
            data[name] = [*data.get(name, [""])[:1], value]
        else:  # value / extra
            data[name] = [value]
    return data


HX_HEADERS = st.fixed_dictionaries(
    {},
    optional={
        "HX-Request": st.sampled_from(["true", "false", "", "\x00", "é"]),
        "HX-Target": hostile_strings.filter(lambda s: "\x00" not in s and len(s) < 200),
        "HX-Current-URL": st.sampled_from(["javascript:alert(1)", "https://evil.example/", ""]),
        "HX-Trigger-Name": st.sampled_from(["", "é" * 10, "x" * 500]),
    },
)

RANGES = (
    "bytes=0-0",
    "bytes=0-",
    "bytes=-1",
    "bytes=-0",
    "bytes=5-1",
    "bytes=" + "9" * 5000 + "-",
    "bytes=0-" + "9" * 5000,
    "bytes=-" + "9" * 5000,
    "bytes=0-1,2-3",
    "bytes=abc-def",
    "bytes=٣-٤",
    "bytes=²-",
    "items=0-10",
    "bytes=18446744073709551616-18446744073709551617",
    "bytes=-9223372036854775808",
    "bytes=" + "1" * 19 + "-",
)
