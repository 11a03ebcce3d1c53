"""``wizard.flow.record``: the records behave as the frozen dataclasses they replace."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest

from wizard.flow.model import Compare, Flow, Literal, Op, Text
from wizard.flow.record import FrozenRecordError, field, record, replace


@record
class Point:
    x: int
    y: int = 0
    tag: str = field(default="", compare=False, repr=False)


@record(frozen=False)
class Bag:
    name: str
    items: list[int] = field(default_factory=list)


@record
class Labelled(Point):
    label: str = "p"


@record
class Indexed:
    values: tuple[int, ...]
    _index: dict[int, int] = field(default_factory=dict, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._index.update((v, i) for i, v in enumerate(self.values))


@record(eq=False)
class Handle:
    name: str


def test_construction_by_position_keyword_and_default() -> None:
    assert (Point(1, 2).x, Point(1, 2).y) == (1, 2)
    assert Point(1).y == 0
    assert Point(y=5, x=3) == Point(3, 5)
    assert Point(1, tag="t").tag == "t"


def test_records_are_slotted_and_can_be_weakly_referenced() -> None:
    import weakref

    p = Labelled(1)
    assert not hasattr(p, "__dict__")
    assert weakref.ref(p)() is p


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: Point(), "missing required argument(s): 'x'"),
        (lambda: Point(1, 2, "t", 4), "takes 3 arguments but 4 were given"),
        (lambda: Point(1, z=2), "unexpected keyword argument 'z'"),
        (lambda: Point(1, x=2), "multiple values for argument 'x'"),
        (lambda: Indexed((1,), _index={}), "unexpected keyword argument '_index'"),
    ],
)
def test_bad_calls_raise_type_error(call: object, message: str) -> None:
    with pytest.raises(TypeError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call()  # type: ignore[operator]


def test_equality_and_hash_use_the_compared_fields_of_the_same_class() -> None:
    assert Point(1, 2, tag="a") == Point(1, 2, tag="b")
    assert hash(Point(1, 2, tag="a")) == hash(Point(1, 2, tag="b"))
    assert Point(1, 2) != Point(1, 3)
    assert Point(1, 0) != Labelled(1, 0)  # another class, even a subclass, is never equal
    assert Point(1) != (1, 0)
    assert len({Literal("a"), Literal("a"), Literal("b")}) == 2


def test_repr_lists_the_shown_fields() -> None:
    assert repr(Point(1, 2, tag="hidden")) == "Point(x=1, y=2)"
    assert repr(Compare("a", Op.EQ, ("x",), line=3)) == (
        "Compare(field='a', op=<Op.EQ: '=='>, values=('x',), number=None, unit=None, line=3, col=0, "
        "other=None, other_line=0, other_col=0)"
    )


def test_frozen_records_refuse_changes() -> None:
    p = Point(1)
    with pytest.raises(FrozenRecordError):
        p.x = 2  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del p.x  # type: ignore[misc]
    assert p.x == 1


def test_mutable_records_change_and_are_not_hashable() -> None:
    a, b = Bag("a"), Bag("a")
    a.items.append(1)
    assert b.items == []  # a fresh list for each instance
    assert a != b
    b.items.append(1)
    assert a == b
    a.name = "renamed"
    assert a.name == "renamed"
    with pytest.raises(TypeError):
        hash(a)


def test_inheritance_puts_base_fields_first() -> None:
    p = Labelled(1, 2, tag="t", label="q")
    assert (p.x, p.y, p.tag, p.label) == (1, 2, "t", "q")
    assert Labelled(1).label == "p"


def test_post_init_and_init_false_fields() -> None:
    ix = Indexed((7, 8))
    assert ix._index == {7: 0, 8: 1}
    assert Indexed((7, 8)) == ix
    assert Indexed((1,))._index is not Indexed((1,))._index


def test_eq_false_means_identity() -> None:
    h = Handle("x")
    assert h == h and h != Handle("x")
    assert len({h, Handle("x")}) == 2


def test_replace_makes_a_changed_copy() -> None:
    p = Point(1, 2, tag="t")
    assert replace(p, y=5) == Point(1, 5) and replace(p, y=5).tag == "t"
    with pytest.raises(TypeError):
        replace(Indexed((1,)), _index={})
    ix = replace(Indexed((1,)), values=(4, 5))
    assert ix._index == {4: 0, 5: 1}


def test_dataclasses_helpers_accept_records() -> None:
    assert dataclasses.is_dataclass(Point) and dataclasses.is_dataclass(Point(1))
    assert [f.name for f in dataclasses.fields(Labelled)] == ["x", "y", "tag", "label"]
    assert dataclasses.replace(Point(1, 2), x=9) == Point(9, 2)
    assert dataclasses.asdict(Point(1, 2, tag="t")) == {"x": 1, "y": 2, "tag": "t"}
    flow = Flow("f", Text("t", ()), "1", "2025-01-01", Text("", ()), (), ())
    assert "steps" in [f.name for f in dataclasses.fields(flow)]


def test_pickle_and_copy_round_trip() -> None:
    c = Compare("a", Op.GT, (), None, None, 4, 2)
    assert pickle.loads(pickle.dumps(c)) == c
    t = Text("x{a}", (Literal("x"),), 1, 2)
    assert copy.deepcopy(t) == t and copy.copy(t) == t


def test_bad_declarations_are_refused() -> None:
    with pytest.raises(TypeError, match="follows a field with a default"):

        @record
        class Bad:
            a: int = 0
            b: int

    with pytest.raises(ValueError, match="both default and default_factory"):
        field(default=0, default_factory=list)
