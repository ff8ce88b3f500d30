"""build_site: publish a coded qualitative study as a browsable MkDocs Material site.

The pipeline (see :mod:`build_site.pipeline`) runs load -> validate -> de-identify -> analyse ->
render -> MkDocs build -> leak gate -> publish.
"""

__version__ = "0.1.0"
