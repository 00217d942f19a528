"""OpenAPI links between operations, derived from the paths.

A link tells a client (and schemathesis' stateful tests) how the answer of
one operation feeds the next: the id in the answer to `POST /api/v1/centres`
is the `centre_id` of `GET`, `PATCH` and `DELETE /api/v1/centres/{centre_id}`,
and the `ETag` of an answer about one row is the `If-Match` of a change to
it. Every resource follows the same URL shape (a collection path, an item
path `<collection>/{<name>_id}`, and operations below the item), so the
links are made from the paths themselves, for every resource at once,
including ones added later.
"""

from __future__ import annotations

import re
from typing import Any

_ITEM = re.compile(r"^(?P<collection>.+)/\{(?P<parameter>[a-z_]+_id)\}$")
_WRITES = ("patch", "put", "delete")


def _ref(path: str, method: str) -> str:
    """A JSON pointer to an operation of this document (RFC 6901 escaping)."""
    return "#/paths/" + path.replace("~", "~0").replace("/", "~1") + "/" + method


def _name(path: str, method: str) -> str:
    """A link name OpenAPI accepts ([A-Za-z0-9._-]), unique per target."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", f"{method}{path}").strip("_")


def _targets(paths: dict[str, Any], item: str) -> list[tuple[str, str]]:
    """The operations on the item and below it (e.g. its :confirm, its assignments)."""
    found = []
    for path, operations in paths.items():
        if path == item or path.startswith(item + "/") or path.startswith(item + ":"):
            for method in operations:
                if method in ("get", "post", *_WRITES):
                    found.append((path, method))
    return found


def _has_etag(response: dict[str, Any]) -> bool:
    return "ETag" in (response.get("headers") or {})


def _add_links(
    response: dict[str, Any], targets: list[tuple[str, str]], parameter: str, id_pointer: str,
    *, with_etag: bool,
) -> None:
    links = response.setdefault("links", {})
    for path, method in targets:
        parameters = {parameter: f"$response.body#{id_pointer}"}
        if with_etag and method in _WRITES and path.endswith("}"):
            parameters["header.If-Match"] = "$response.header.ETag"
        links[_name(path, method)] = {"operationRef": _ref(path, method), "parameters": parameters}


def add_links(paths: dict[str, Any]) -> None:
    """Add the links to an OpenAPI `paths` object, in place."""
    for item, item_operations in list(paths.items()):
        match = _ITEM.match(item)
        if match is None:
            continue
        collection, parameter = match.group("collection"), match.group("parameter")
        targets = _targets(paths, item)
        collection_operations = paths.get(collection, {})
        # The row just created, and the first row of a list.
        created = collection_operations.get("post", {}).get("responses", {}).get("201")
        if created is not None:
            _add_links(created, targets, parameter, "/id", with_etag=_has_etag(created))
        listed = collection_operations.get("get", {}).get("responses", {}).get("200")
        if listed is not None:
            _add_links(listed, targets, parameter, "/0/id", with_etag=False)
        # The row just read or changed: change it again, or delete it.
        for method in ("get", "patch"):
            answer = item_operations.get(method, {}).get("responses", {}).get("200")
            if answer is not None:
                later = [(path, m) for path, m in targets if (path, m) != (item, "get")]
                _add_links(answer, later, parameter, "/id", with_etag=_has_etag(answer))
