"""Typed records: what ``@dataclass`` gives the domain, at a fraction of the import cost.

``wizard validate`` is a short process, and on Python 3.11 ``@dataclass``
costs about 0.6 ms per class (it compiles each generated method with its own
``exec``, and runs ``inspect.signature`` for the docstring), plus ~8 ms to
import :mod:`dataclasses` itself (it imports :mod:`inspect`, hence ``ast``,
``dis`` and ``tokenize``). The domain declares some thirty record classes, so
that was a third of the command's start-up.

:func:`record` builds the same classes without generating any code (the
package runs no ``exec``): every method is a plain function shared by all
records, working from per-class tables made once. Like
``dataclass(slots=True)``, it makes the class again with ``__slots__``:
instances are a third smaller than a dataclass's and as fast to read, and
``__init__`` fills the slots through their own setters (which bypass the
frozen ``__setattr__``). Building an instance costs about what it costs for a
frozen dataclass (a little more for one-field classes, less for wide ones).
:func:`record` is marked with :func:`typing.dataclass_transform`, so type
checkers see exactly what they see for a dataclass (typed constructors,
read-only fields when frozen).

Semantics follow :mod:`dataclasses`: fields in annotation order (a base
record's first), defaults and ``field(default_factory=...)``, ``init``,
``repr`` and ``compare`` per field, ``__post_init__``, equality between
instances of the same class on the compared fields, a hash for frozen
records (none for mutable ones), ``eq=False`` for identity semantics,
pickling and copying. As with ``slots=True``, a default is not readable on
the class itself. Records also work with :func:`dataclasses.fields`,
:func:`dataclasses.replace` and :func:`dataclasses.asdict`: the first use
builds their field list with the :mod:`dataclasses` module that the caller
has imported anyway.

Nothing here imports the rest of the project.
"""

from __future__ import annotations

from operator import attrgetter

TYPE_CHECKING = False  # typing itself costs a few ms to import: only type checkers read this block
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar

    from typing_extensions import dataclass_transform  # typing has it from 3.11; only mypy reads this

    _R = TypeVar("_R")
else:

    def dataclass_transform(**_: object) -> object:
        return lambda fn: fn


class FrozenRecordError(AttributeError):
    """An attempt to change a field of a frozen record."""


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


class FieldSpec:
    """What ``field(...)`` declares for one field (and, once the class is built, its name and type)."""

    __slots__ = ("compare", "default", "default_factory", "init", "name", "repr", "type")

    def __init__(
        self,
        default: object = MISSING,
        default_factory: Callable[[], object] | None = None,
        init: bool = True,
        repr: bool = True,  # the name dataclasses uses
        compare: bool = True,
    ) -> None:
        if default is not MISSING and default_factory is not None:
            raise ValueError("cannot give both default and default_factory")
        self.default = default
        self.default_factory = default_factory
        self.init = init
        self.repr = repr
        self.compare = compare
        self.name = ""
        self.type: object = None


def field(
    *,
    default: Any = MISSING,
    default_factory: Callable[[], Any] | None = None,
    init: bool = True,
    repr: bool = True,  # the name dataclasses uses
    compare: bool = True,
) -> Any:
    """Options of one field, as :func:`dataclasses.field` (the subset the domain uses)."""
    return FieldSpec(default, default_factory, init, repr, compare)


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def record(cls: Any = None, /, *, frozen: bool = True, eq: bool = True) -> Any:
    """Make ``cls`` a record (frozen by default): ``@record`` or ``@record(frozen=False, eq=False)``.

    (Type checkers do not use a class decorator's return type: ``Any`` costs no precision.)
    """

    def wrap(c: type) -> Any:
        return _build(c, frozen, eq)

    return wrap if cls is None else wrap(cls)


# --- building a class -------------------------------------------------------------------------------


def _build(cls: Any, frozen: bool, eq: bool) -> Any:
    specs: dict[str, FieldSpec] = {}
    for base in reversed(cls.__mro__[1:]):
        specs.update(getattr(base, "__record_fields__", {}))
    inherited = set(specs)
    own = cls.__dict__.get("__annotations__", {})  # noqa: RUF063 - inspect costs ~8 ms to import; strings are fine
    for name, annotation in own.items():
        value = cls.__dict__.get(name, MISSING)
        spec = value if isinstance(value, FieldSpec) else FieldSpec(default=value)
        spec.name, spec.type = name, annotation
        if isinstance(annotation, str) and annotation.startswith(("ClassVar", "InitVar", "typing.ClassVar")):
            raise TypeError(f"{cls.__name__}.{name}: ClassVar and InitVar are not supported by @record")
        specs[name] = spec  # a field redefined in a subclass keeps its base's place, as with dataclasses
    # The class is made again with __slots__ (as dataclass(slots=True) does): instances are smaller,
    # and built and read faster, than with a __dict__. Defaults live in the field specs, not on the class.
    namespace = {k: v for k, v in cls.__dict__.items() if k not in own and k not in ("__dict__", "__weakref__")}
    slots = [name for name in own if name not in inherited]
    if not any("__weakref__" in getattr(base, "__slots__", ()) for base in cls.__mro__[1:]):
        slots.append("__weakref__")  # as a plain class (or dataclass) allows
    namespace["__slots__"] = tuple(slots)
    new = type(cls)(cls.__name__, cls.__bases__, namespace)
    new.__qualname__ = cls.__qualname__
    fields = tuple(specs.values())
    setters = {f.name: _setter(new, f.name) for f in fields}
    new.__record_fields__ = specs
    new._record_names = tuple(specs)
    new._record_setters = tuple(setters.values())
    setattr(new, "__match_args__", tuple(f.name for f in fields if f.init))  # noqa: B010 - mypy refuses the plain form
    new.__init__ = _make_init(new, fields, setters)
    new.__repr__ = _repr
    new.__getstate__ = _getstate
    new.__setstate__ = _setstate
    new._record_repr = tuple(f.name for f in fields if f.repr)
    if eq:
        names = tuple(f.name for f in fields if f.compare)
        new._record_key = staticmethod(_key_getter(names))
        new.__eq__ = _eq
        new.__hash__ = _hash if frozen else None
    if frozen:
        new.__setattr__ = _frozen_setattr
        new.__delattr__ = _frozen_delattr
    new.__dataclass_fields__ = _DataclassFields()
    return new


def _setter(cls: type, name: str) -> Callable[[object, object], None]:
    """The slot's own setter: it bypasses ``__setattr__``, so it also fills frozen records."""
    for klass in cls.__mro__:
        if name in klass.__dict__:
            setter: Callable[[object, object], None] = klass.__dict__[name].__set__
            return setter
    raise TypeError(f"{cls.__name__}.{name}: no slot")  # pragma: no cover - every field has a slot


def _make_init(
    cls: type, fields: tuple[FieldSpec, ...], setters: dict[str, Callable[[object, object], None]]
) -> Callable[..., None]:
    """An ``__init__`` with the fields' order and defaults, filling the slots through their setters."""
    names = tuple(f.name for f in fields if f.init)
    count = len(names)
    defaults = {f.name: f.default for f in fields if f.default is not MISSING}
    factories = tuple((f.name, f.default_factory) for f in fields if f.default_factory is not None)
    post_init = hasattr(cls, "__post_init__")
    seen_default = False
    for f in fields:
        if not f.init:
            if f.default is MISSING and f.default_factory is None:
                raise TypeError(f"{cls.__name__}.{f.name}: a field with init=False needs a default")
        elif f.default is not MISSING or f.default_factory is not None:
            seen_default = True
        elif seen_default:
            raise TypeError(f"{cls.__name__}: non-default field '{f.name}' follows a field with a default")

    simple = count == len(fields)  # every field is an __init__ argument
    positional = tuple(setters[n] for n in names)
    every = tuple(setters.items())
    fill = _Filler(cls.__name__, names, len(fields), defaults, factories)

    def __init__(self: Any, *args: object, **kwargs: object) -> None:
        if kwargs or len(args) != count or not simple:
            values = fill(args, kwargs)
            for name, set_value in every:
                set_value(self, values[name])
        else:  # the common call: every field given by position
            for set_value, value in zip(positional, args, strict=False):  # same length: checked above
                set_value(self, value)
        if post_init:
            self.__post_init__()

    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    __init__.__module__ = cls.__module__
    return __init__


class _Filler:
    """The field values of any call: defaults, positional and keyword arguments, factories."""

    def __init__(
        self,
        name: str,
        names: tuple[str, ...],
        total: int,
        defaults: dict[str, object],
        factories: tuple[tuple[str, Callable[[], object]], ...],
    ) -> None:
        self.name = name
        self.names = names
        self.total = total
        self.defaults = defaults
        self.factories = factories
        self.accepted = frozenset(names)
        self.taken = tuple(frozenset(names[:k]) for k in range(len(names) + 1))  # given by position

    def __call__(self, args: tuple[object, ...], kwargs: dict[str, object]) -> dict[str, object]:
        names = self.names
        d = dict(self.defaults)
        if args:
            if len(args) > len(names):
                raise TypeError(f"{self.name}() takes {len(names)} arguments but {len(args)} were given")
            d.update(zip(names, args, strict=False))  # the rest come from defaults or keywords
        if kwargs:
            if not self.accepted.issuperset(kwargs) or not self.taken[len(args)].isdisjoint(kwargs):
                raise TypeError(self._bad_keywords(kwargs, self.taken[len(args)]))
            d.update(kwargs)
        for key, factory in self.factories:
            if key not in d:
                d[key] = factory()
        if len(d) != self.total:
            missing = ", ".join(repr(n) for n in names if n not in d)
            raise TypeError(f"{self.name}() missing required argument(s): {missing}")
        return d

    def _bad_keywords(self, kwargs: dict[str, object], given: frozenset[str]) -> str:
        unknown = [k for k in kwargs if k not in self.accepted]
        if unknown:
            return f"{self.name}() got an unexpected keyword argument '{unknown[0]}'"
        twice = [k for k in kwargs if k in given]
        return f"{self.name}() got multiple values for argument '{twice[0]}'"


def _key_getter(names: tuple[str, ...]) -> Callable[[object], tuple[object, ...]]:
    if len(names) > 1:
        getter: Callable[[object], tuple[object, ...]] = attrgetter(*names)
        return getter
    if len(names) == 1:
        one = attrgetter(names[0])
        return lambda obj: (one(obj),)
    return lambda obj: ()


def replace(obj: _R, /, **changes: Any) -> _R:
    """A copy of a record with some fields changed, as :func:`dataclasses.replace`."""
    specs: dict[str, FieldSpec] = type(obj).__record_fields__  # type: ignore[attr-defined]
    for name in changes:
        spec = specs.get(name)
        if spec is None or not spec.init:
            raise TypeError(f"{type(obj).__name__} has no field '{name}' to replace")
    args = {name: changes.get(name, getattr(obj, name)) for name, spec in specs.items() if spec.init}
    return type(obj)(**args)


# --- the shared methods -------------------------------------------------------------------------------


def _eq(self: Any, other: Any) -> Any:
    if other.__class__ is self.__class__:
        key = self._record_key
        return key(self) == key(other)
    return NotImplemented


def _hash(self: Any) -> int:
    return hash(self._record_key(self))


def _repr(self: Any) -> str:
    inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._record_repr)
    return f"{type(self).__qualname__}({inner})"


def _getstate(self: Any) -> tuple[object, ...]:
    return tuple(getattr(self, name) for name in self._record_names)


def _setstate(self: Any, state: tuple[object, ...]) -> None:
    for set_value, value in zip(self._record_setters, state, strict=True):
        set_value(self, value)


def _frozen_setattr(self: object, name: str, value: object) -> None:
    raise FrozenRecordError(f"cannot assign to field '{name}'")


def _frozen_delattr(self: object, name: str) -> None:
    raise FrozenRecordError(f"cannot delete field '{name}'")


class _DataclassFields:
    """``__dataclass_fields__`` of a record, made on first use, so :mod:`dataclasses` helpers accept records."""

    def __get__(self, obj: object, owner: type) -> dict[str, object]:
        import dataclasses

        specs: dict[str, FieldSpec] = owner.__record_fields__  # type: ignore[attr-defined]
        mirror = dataclasses.make_dataclass(
            owner.__name__,
            [(s.name, s.type, _dataclass_field(dataclasses, s)) for s in specs.values()],
        )
        fields: dict[str, object] = mirror.__dataclass_fields__  # type: ignore[attr-defined]
        type.__setattr__(owner, "__dataclass_fields__", fields)
        return fields


def _dataclass_field(dataclasses: Any, s: FieldSpec) -> Any:
    if s.default_factory is not None:
        return dataclasses.field(default_factory=s.default_factory, init=s.init, repr=s.repr, compare=s.compare)
    return dataclasses.field(default=s.default, init=s.init, repr=s.repr, compare=s.compare)
