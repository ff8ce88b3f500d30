"""Where the fixed pages of the model section live, in one place.

Component and element pages share the ``model/`` folder with the model overview, the relations
page and the model history, so those pages' names cannot be component ids: validation reads
:data:`RESERVED_COMPONENT_IDS` (derived from the paths here) to say so with the line of
``model.yml``, and the page registry refuses any two pages at one path as a backstop. This module
imports nothing, so the validation stage can read it without depending on the renderer.
"""

from __future__ import annotations

MODEL_FOLDER = "model/"
MODEL_OVERVIEW = "model/index.md"
RELATIONS = "model/relations.md"
HISTORY = "model/history.md"

RESERVED_COMPONENT_IDS = frozenset(
    path[len(MODEL_FOLDER):-len(".md")] for path in (MODEL_OVERVIEW, RELATIONS, HISTORY))


def component_path(component_id: str) -> str:
    """The page of a component or element: ``model/ID.md``."""
    return f"{MODEL_FOLDER}{component_id}.md"
