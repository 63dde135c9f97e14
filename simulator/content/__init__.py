"""Content packs: safe YAML loading, validation, problems, hashing, cache."""

from simulator.content.library import Library, bundled_pack_dirs, load_library
from simulator.content.loader import LoadedPack, content_hash, load_pack
from simulator.content.problems import Problem, Problems

__all__ = [
    "Library",
    "LoadedPack",
    "Problem",
    "Problems",
    "bundled_pack_dirs",
    "content_hash",
    "load_library",
    "load_pack",
]
