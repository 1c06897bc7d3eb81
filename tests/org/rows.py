"""What a read loaded of each row, to compare a prepared read with its queryset."""


def loaded(obj, *annotations: str, _seen=None) -> dict:
    """The fields `obj` was read with (deferred ones left out, so nothing is read again),
    the named annotations, and the same of every row joined to it."""
    seen = _seen if _seen is not None else set()
    seen.add(id(obj))
    deferred = obj.get_deferred_fields()
    out = {
        f.attname: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if f.attname not in deferred
    }
    out.update({name: getattr(obj, name) for name in annotations})
    for name, related in sorted(obj._state.fields_cache.items()):
        if related is None:
            out[name] = None
        elif id(related) not in seen:
            out[name] = loaded(related, _seen=seen)
    return out


def same_rows(got: list, want: list, *annotations: str) -> None:
    assert [type(o) for o in got] == [type(o) for o in want]
    assert [loaded(o, *annotations) for o in got] == [loaded(o, *annotations) for o in want]
