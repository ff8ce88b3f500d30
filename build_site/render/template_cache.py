"""Compiled Jinja templates kept between builds, also between study folders.

Compiling Jinja templates costs about 0.45 CPU s of every cold build of a small study (this
package's 27 page templates, about 0.18 s, and the 40 or so of MkDocs Material's that a site
uses). The templates that ship inside installed packages (this one's and Material's) are the
same for every study, so their compiled code is kept, like Python's own ``__pycache__``, in a
folder of the user's cache (``$XDG_CACHE_HOME/build-site/templates``, by default
``~/.cache/build-site/templates``); every other template (a team's theme overrides, the
build directory's generated ``main.html``) stays in the build directory's own cache, so
nothing a study supplies is ever written outside its build directory.

What keys a compiled template:

- Jinja's own key: the template's name and file path, and a checksum of its source (a
  template whose source changed is compiled again: :class:`jinja2.FileSystemBytecodeCache`);
- the folder: a digest of Jinja's version, Python's version and every setting of the
  environment that changes the compiled code (delimiters, white-space handling, autoescape,
  finalize, the code generator, async, the extensions, and what the i18n extension reads
  while compiling), so an environment set up otherwise
  never reads another's code. An environment with an extension from outside Jinja uses no
  shared folder (its code could change with that extension's version).

A folder that cannot be made or written is no cache: the template is compiled as before.
Neither is a shared folder (or its ``build-site/templates`` parents) that another user owns
or that its group or others may write: Jinja runs what it reads there (a pickled checksum,
then marshalled code), so such a folder would hand every build to whoever can write it. A
cache file that cannot be read whole (cut short, garbled) is compiled again, as Jinja does
with one whose header or source checksum differs.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import BytecodeCache, Environment, FileSystemBytecodeCache
from jinja2.bccache import Bucket

_SETTINGS = ("block_start_string", "block_end_string", "variable_start_string",
             "variable_end_string", "comment_start_string", "comment_end_string",
             "line_statement_prefix", "line_comment_prefix", "trim_blocks", "lstrip_blocks",
             "newline_sequence", "keep_trailing_newline", "optimized", "is_async")


def shared_folder() -> Path:
    """The user's folder for compiled package templates: ``$XDG_CACHE_HOME/build-site/
    templates``, ``~/.cache/build-site/templates`` when the variable is unset, empty or a
    relative path (the XDG Base Directory Specification: such a path is invalid and is to be
    ignored; it would put the cache under the folder a build runs in)."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        base = str(Path.home() / ".cache")
    return Path(base) / "build-site" / "templates"


def _name(value: Any) -> str:
    """A stable name for a setting's value: a callable by module, qualified name, what Jinja
    passes it (``jinja_pass_arg``, which the generated code follows) and a digest of its
    code (a function edited under the same name: an ``autoescape`` function is called while
    compiling)."""
    if callable(value):
        code = getattr(value, "__code__", None)
        body = hashlib.sha256(code.co_code + repr(code.co_consts).encode()).hexdigest()[:16] \
            if code is not None else "?"
        return (f"{getattr(value, '__module__', '?')}.{getattr(value, '__qualname__', '?')}"
                f"/{getattr(value, 'jinja_pass_arg', None)}/{body}")
    return repr(value)


def _compile_time_extras(env: Environment) -> list[tuple[str, Any]]:
    """What an extension installed on ``env`` reads while compiling: Jinja's i18n extension
    compiles ``{% trans %}`` by ``newstyle_gettext`` and the ``ext.i18n.trimmed`` policy
    (``jinja2/ext.py``, ``InternationalizationExtension.parse`` and ``_make_node``)."""
    if "jinja2.ext.InternationalizationExtension" not in env.extensions:
        return []
    return [("newstyle_gettext", getattr(env, "newstyle_gettext", None)),
            ("ext.i18n.trimmed", env.policies.get("ext.i18n.trimmed"))]


def environment_signature(env: Environment) -> str | None:
    """A digest of what, besides a template's source, decides its compiled code under
    ``env`` (see the module's docstring); None when an extension from outside Jinja is
    installed on it."""
    extensions = sorted(env.extensions)
    if any(not name.startswith("jinja2.") for name in extensions):
        return None
    parts = [jinja2.__version__, sys.version, *extensions,
             *(f"{s}={_name(getattr(env, s))}" for s in _SETTINGS),
             f"autoescape={_name(env.autoescape)}", f"finalize={_name(env.finalize)}",
             f"codegen={_name(env.code_generator_class)}",
             *(f"{key}={_name(value)}" for key, value in _compile_time_extras(env))]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


class _SafeFileCache(FileSystemBytecodeCache):
    """Jinja's file cache, but a file that cannot be read whole is a missed cache: Jinja's
    own :meth:`jinja2.bccache.Bucket.load_bytecode` lets the error of a file cut short after
    its header (pickle's ``EOFError``, ``UnpicklingError``) stop the build."""

    def load_bytecode(self, bucket: Bucket) -> None:
        """Jinja's hook: load ``bucket`` from its file; any error reading it resets it."""
        try:
            super().load_bytecode(bucket)
        except Exception:  # whatever a damaged file raises: compile the source instead
            bucket.reset()


def _private(folder: Path, top: Path) -> bool:
    """Whether ``folder`` and each of its parents up to ``top`` (included) is a real folder
    owned by this user that neither its group nor others may write."""
    uid = os.geteuid()
    chain = [folder, *[p for p in folder.parents if p.is_relative_to(top)]]
    for path in chain:
        try:
            info = os.lstat(path)
        except OSError:
            return False
        if (not stat.S_ISDIR(info.st_mode) or info.st_uid != uid
                or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)):
            return False
    return True


def _inside(filename: str | None, roots: tuple[Path, ...]) -> bool:
    if filename is None:
        return False
    path = Path(filename).resolve()
    return any(path.is_relative_to(root) for root in roots)


class PackageTemplateCache(BytecodeCache):
    """A Jinja bytecode cache that keeps templates found under ``package_roots`` in the
    user's shared folder (:func:`shared_folder`, or ``shared``) and every other template in
    ``local`` (the build directory's cache).

    Args:
        local: the build directory's template cache (created, private to the user).
        package_roots: folders of installed packages whose templates are shared.
        shared: the shared folder (tests); defaults to :func:`shared_folder`.
    """

    def __init__(self, local: Path, package_roots: tuple[Path, ...],
                 shared: Path | None = None) -> None:
        local.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.local = _SafeFileCache(str(local))
        self.roots = tuple(root.resolve() for root in package_roots)
        self.shared_base = shared if shared is not None else shared_folder()
        self._shared: dict[str, FileSystemBytecodeCache | None] = {}
        self._routes: dict[str, BytecodeCache] = {}  # bucket key -> the cache it belongs to

    def _shared_cache(self, env: Environment) -> FileSystemBytecodeCache | None:
        signature = environment_signature(env)
        if signature is None:
            return None
        if signature not in self._shared:
            folder = self.shared_base / signature
            try:
                top = self.shared_base.parent
                top.parent.mkdir(parents=True, exist_ok=True)
                for path in (top, self.shared_base, folder):  # each private, whatever the umask
                    path.mkdir(exist_ok=True, mode=0o700)
                usable = (os.access(folder, os.W_OK | os.X_OK)
                          and _private(folder, top))
            except OSError:
                usable = False
            self._shared[signature] = _SafeFileCache(str(folder)) if usable else None
        return self._shared[signature]

    def get_bucket(self, environment: Environment, name: str, filename: str | None,
                   source: str) -> Bucket:
        """Jinja's hook: the bucket of one template, from the cache it belongs to."""
        shared = self._shared_cache(environment) if _inside(filename, self.roots) else None
        cache: BytecodeCache = shared or self.local
        bucket = cache.get_bucket(environment, name, filename, source)
        self._routes[bucket.key] = cache
        return bucket

    def set_bucket(self, bucket: Bucket) -> None:
        """Jinja's hook: store a freshly compiled template where it belongs (a failed write
        of the shared folder is only a missed cache)."""
        cache = self._routes.get(bucket.key, self.local)
        try:
            cache.set_bucket(bucket)
        except OSError:
            if cache is self.local:
                raise

    def load_bytecode(self, bucket: Bucket) -> None:  # pragma: no cover - routed above
        """Unused: :meth:`get_bucket` asks the cache a bucket belongs to."""
        self._routes.get(bucket.key, self.local).load_bytecode(bucket)

    def dump_bytecode(self, bucket: Bucket) -> None:  # pragma: no cover - routed above
        """Unused: :meth:`set_bucket` asks the cache a bucket belongs to."""
        self._routes.get(bucket.key, self.local).dump_bytecode(bucket)


def package_roots() -> tuple[Path, ...]:
    """The template folders shared between studies: this package's page templates and
    MkDocs Material's theme (when installed)."""
    from importlib.util import find_spec

    roots = [Path(__file__).parent / "templates"]
    spec = find_spec("material")
    if spec is not None and spec.origin is not None:
        roots.append(Path(spec.origin).parent / "templates")
    return tuple(roots)


def private_user_folder(name: str) -> Path | None:
    """The user's cache folder ``$XDG_CACHE_HOME/build-site/<name>`` (beside
    :func:`shared_folder`), made private (0700) if missing; None when it cannot be made or
    written, or when it or ``build-site`` is not a real folder this user owns that neither
    its group nor others may write (the checks of the shared template folder)."""
    top = shared_folder().parent
    folder = top / name
    try:
        top.parent.mkdir(parents=True, exist_ok=True)
        for path in (top, folder):
            path.mkdir(exist_ok=True, mode=0o700)
        usable = os.access(folder, os.W_OK | os.X_OK) and _private(folder, top)
    except OSError:
        usable = False
    return folder if usable else None
