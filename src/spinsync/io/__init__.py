"""Files: validated TOML model files and atomic writes."""

from .atomic import atomic_write, atomic_write_bytes
from .model_file import ModelSpec, load_model, model_from_dict

__all__ = ["atomic_write", "atomic_write_bytes", "ModelSpec", "load_model", "model_from_dict"]
