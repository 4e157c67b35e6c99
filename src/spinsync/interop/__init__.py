"""Interoperability with other packages; each lives in its own module, imported on use.

:mod:`.qutip` — QuTiP in, QuTiP out (``to_qutip``, ``steadystate``, ``mesolve``; needs the
optional extra ``spinsync[qutip]``). Importing this package imports none of them.
"""

from __future__ import annotations

__all__ = ["is_qobj"]


def is_qobj(obj: object) -> bool:
    """True for a ``qutip.Qobj`` (decided from its class, without importing QuTiP)."""
    return any(cls.__name__ == "Qobj" and cls.__module__.split(".")[0] == "qutip"
               for cls in type(obj).__mro__)
