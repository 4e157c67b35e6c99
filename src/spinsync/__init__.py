"""spinsync: steady states, dynamics and quantum synchronization of dissipative qubit networks."""

from .model import Network

__version__ = "0.1.0"
__all__ = ["Network", "__version__"]
