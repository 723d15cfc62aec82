"""HTML forms without a second set of rules: a posted form becomes the nested data a
marshmallow schema loads, and the schema's errors come back keyed by the form's field
names (``location.city``, ``hours.3.opens``) so each message sits beside its field."""

from __future__ import annotations

from marshmallow import Schema, fields
from werkzeug.datastructures import MultiDict


def form_to_data(form: MultiDict, schema: Schema) -> tuple[dict, dict[str, list[int]]]:
    """Dotted form names → nested data for ``schema``. Rows of a list whose inputs are all
    blank are dropped; the second value maps each list to the form row each item came from."""
    data: dict = {}
    rows: dict[str, dict[int, dict]] = {}
    for key in form:
        parts = key.split(".")
        field = schema.fields.get(parts[0])
        if field is None:
            continue
        if isinstance(field, fields.List) and len(parts) == 1:
            data[key] = [v for v in form.getlist(key) if v != ""]
        elif len(parts) == 1:
            data[key] = form.get(key)
        elif len(parts) == 2:
            data.setdefault(parts[0], {})[parts[1]] = form.get(key)
        elif len(parts) == 3 and parts[1].isascii() and parts[1].isdigit():
            rows.setdefault(parts[0], {}).setdefault(int(parts[1]), {})[parts[2]] = form.get(key)
    origin: dict[str, list[int]] = {}
    for name, by_index in rows.items():
        kept = [(i, row) for i, row in sorted(by_index.items()) if any(v for v in row.values())]
        data[name] = [row for _, row in kept]
        origin[name] = [i for i, _ in kept]
    for name, field in schema.fields.items():
        if field.dump_only:
            continue
        if field.allow_none and name in data and data[name] in ("", []):
            data[name] = None  # a field emptied is cleared; a fact left blank is not stated
        elif name not in data and isinstance(field, fields.Boolean | fields.List):
            # unticked boxes are not posted: a yes/no box is no; a tri-state fact (a
            # select, or a group of boxes none ticked) is not stated
            if field.allow_none:
                data[name] = None
            elif isinstance(field, fields.Boolean):
                data[name] = False
    for name, value in list(data.items()):
        nested = schema.fields.get(name)
        if isinstance(nested, fields.Nested) and isinstance(value, dict):
            for sub_name, sub in nested.schema.fields.items():
                if isinstance(sub, fields.Boolean) and sub_name not in value:
                    value[sub_name] = False
    for name, value in list(data.items()):
        if isinstance(value, dict) and not any(v not in ("", False, None) for v in value.values()):
            data[name] = None
    return data, origin


def flat_errors(errors, origin: dict[str, list[int]] | None = None, prefix: str = "") -> dict:
    """marshmallow's nested errors → ``{"hours.3.opens": [...], "name": [...]}``."""
    origin = origin or {}
    out: dict[str, list[str]] = {}
    if isinstance(errors, list | tuple):
        out[prefix or "_schema"] = [str(e) for e in errors]
        return out
    for key, value in errors.items():
        name = str(key)
        if prefix:
            list_name = prefix
            if isinstance(key, int) and list_name in origin and key < len(origin[list_name]):
                name = str(origin[list_name][key])
            name = f"{prefix}.{name}"
        if isinstance(value, dict):
            out.update(flat_errors(value, origin, name))
        else:
            out[name] = [str(v) for v in value] if isinstance(value, list) else [str(value)]
    return out
