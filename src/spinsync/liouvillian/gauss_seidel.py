"""Block Gauss–Seidel preconditioner: the no-jump inverse plus the jumps that lead forward.

Split the Liouvillian on a sector of diagonal block pairs p = 0, 1, … as

    L = L_nj + J_→ + J_←,

L_nj the no-jump part (block diagonal), J_→ the jumps from a pair to a later one, J_← the
rest (into an earlier pair or the same one). The no-jump inverse
(:class:`~spinsync.liouvillian.nojump.NoJumpInverse`) is the block *Jacobi* preconditioner
L_nj⁻¹; this module applies the block *Gauss–Seidel* one

    M = (L_nj + J_→)⁻¹,   z_p = L_nj,p⁻¹ (r_p − Σ_{q<p} J_→,pq z_q),  p = 0, 1, …

— one forward sweep: the same Sylvester solve per pair, plus the forward jumps applied
once (about half of one application of the jumps). For U(1) sectors the pairs are ordered
by magnetization, so J_→ is one direction of every local gain or loss and M inverts it
exactly; GMRES then needs ~40 % fewer iterations (measured with GMRES(100) to ‖L[ρ]‖/‖ρ‖
≤ 1e-10: 43 → 26 at N = 10 and 49 → 29 at N = 11, all-to-all XXZ; 73 → 46 for the
boundary-driven chain at N = 10; 45 → 25 for the XYZ parity sectors, N = 10; 36 → 21 for
spin-1 Roulet–Bruder, n = 6). With a single block (no symmetry) it is L_nj⁻¹.

Cost and memory: as L_nj⁻¹ plus the forward jumps; no extra sector-sized vector (the sweep
writes the jumps of earlier pairs straight into the output before solving each pair).
"""

from __future__ import annotations

from typing import Any

from .matrixfree import HermitianBlockLiouvillian
from .nojump import NoJumpInverse

__all__ = ["BlockGaussSeidel"]


class BlockGaussSeidel:
    """R ↦ (L_nj + J_→)⁻¹ R in the real Hermitian coordinates of a diagonal sector.

    Parameters
    ----------
    liouvillian
        The operator on the sector (its jump maps; they must be real,
        :attr:`~spinsync.liouvillian.matrixfree.HermitianBlockLiouvillian.jumps_real`).
    no_jump
        The factored no-jump inverse on the same sector (its per-pair solves).

    Raises
    ------
    ValueError
        The two act on different sectors, or the jump maps are complex.
    """

    def __init__(self, liouvillian: HermitianBlockLiouvillian, no_jump: NoJumpInverse) -> None:
        a, b = liouvillian.sector, no_jump.sector
        if a is not b and (a.pairs != b.pairs or list(a.basis.sizes) != list(b.basis.sizes)):
            raise ValueError("the Liouvillian and the no-jump inverse act on different sectors")
        if not liouvillian.jumps_real:
            raise ValueError("block Gauss–Seidel needs real jump maps (complex ones go through "
                             "the complex form); use the no-jump inverse")
        self.liouvillian = liouvillian
        self.no_jump = no_jump
        self.sector = liouvillian.sector
        self.backend = liouvillian.backend
        self.info = {**no_jump.info, "kind": "gauss-seidel"}

    def apply_real(self, y: Any) -> Any:
        """M y for a real flat sector vector (a new vector)."""
        xp = self.backend.xp
        y = xp.asarray(y, dtype=float).reshape(-1)
        if y.size != self.sector.dim:
            raise ValueError(f"vector of length {y.size}, sector dimension {self.sector.dim}")
        # Zeros, not empty: the forward jumps add into the pair before it is solved.
        out = xp.zeros_like(y)
        sizes = self.sector.basis.sizes
        off = self.sector.offsets
        for p, (b, _) in enumerate(self.sector.pairs):
            o0, o1 = int(off[p]), int(off[p + 1])
            if p:
                self.liouvillian.add_forward_jumps(p, out, out)
            rhs = (y[o0:o1] - out[o0:o1]).reshape(sizes[b], sizes[b])
            out[o0:o1] = self.no_jump.solve_real_block(p, rhs).reshape(-1)
        return out
