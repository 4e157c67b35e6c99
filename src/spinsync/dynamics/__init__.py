"""Time evolution of the master equation, sector by sector, with observables on the fly.

:mod:`.evolve` (the integrator and :class:`EvolutionResult`), :mod:`.sectors` (sector split of
a state and the gather plans of its observables), :mod:`.output` (JSON, NetCDF, figure);
:mod:`.cumulant` integrates the approximate moment equations instead (any N).
"""

from .cumulant import CumulantEvolution, evolve_cumulant
from .evolve import DEFAULT_RTOL, SPARSE_MEMORY_LIMIT, Callback, EvolutionResult, evolve
from .sectors import ProductExpectations, SectorSet, ZExpectations, local_product

__all__ = ["evolve", "EvolutionResult", "evolve_cumulant", "CumulantEvolution", "DEFAULT_RTOL", "SPARSE_MEMORY_LIMIT", "Callback",
           "SectorSet", "ZExpectations", "ProductExpectations", "local_product"]
