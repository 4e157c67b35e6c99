"""Self-tests of the independent oracles in tests/oracles.py (issue 10's general model).

These use QuTiP and numpy only — no spinsync — so they pass before the library implements
the general model, and they are what makes the library tests' reference trustworthy:
  * the dense-numpy and the QuTiP builders (written in different algebraic forms) agree;
  * for s = ½ the spin model equals the qubit model under CONVENTIONS.md's exact map;
  * closed forms that pin every ½ and every sign (driven-qubit fluorescence, dephasing rate,
    J± detailed balance, the Roulet–Bruder limit cycle);
  * the uniqueness rule of the issue, checked on the kernel of the dense Liouvillian;
  * Prosen's boundary-driven chain, PRL 107, 137201 (2011): the n = 2 current 2ε/(4 + ε²).

Tolerances: operators are compared entrywise at 1e-12 (both sides are sums of O(1)
products, exact to rounding); steady states at 1e-10 (two LU solves of well-conditioned
systems, both accurate to ~1e-13 here); dynamics at 1e-8 (mesolve's adaptive steps with
rtol = atol = 1e-12 against a dense matrix exponential).
"""

from __future__ import annotations

from functools import reduce

import numpy as np
import pytest
import qutip as qt

from tests.oracles import (
    SM, SP, SX, SY, SZ, I2,
    DenseModel,
    dense_evolve,
    partial_trace_dims,
    prosen_current_dense,
    prosen_current_n2,
    prosen_current_operator,
    prosen_our_parameters,
    prosen_qutip_model,
    qubit_dense_model,
    qutip_qubit_model,
    qutip_spin_model,
    qutip_steady_state,
    random_density_matrix,
    spin_dense_model,
    spin_half_to_qubit,
    spin_matrices,
)

OP_ATOL = 1e-12
STATE_ATOL = 1e-10


def _qutip_rhs(h, c_ops, rho: np.ndarray) -> np.ndarray:
    """L[ρ] with QuTiP's own Liouvillian (column-stacking superoperator)."""
    dims = h.dims[0]
    liou = qt.liouvillian(h, c_ops)
    r = qt.Qobj(rho, dims=[dims, dims])
    return qt.vector_to_operator(liou * qt.operator_to_vector(r)).full()


def _agree(model: DenseModel, h, c_ops, seed: int = 0) -> None:
    """Hamiltonians equal and L[ρ] equal on a random full-rank ρ."""
    assert np.max(np.abs(model.hamiltonian() - h.full())) < OP_ATOL
    rho = random_density_matrix(np.random.default_rng(seed), model.dim)
    ours = model.rhs(rho)
    theirs = _qutip_rhs(h, c_ops, rho)
    assert np.max(np.abs(ours - theirs)) < OP_ATOL * max(1.0, np.max(np.abs(theirs)))


# ---------------------------------------------------------------------------- qubit models
QUBIT_CASES = {
    "dephasing": dict(gain=[1.0, 0.3, 0.0], damping=[0.5, 1.0, 0.7], dephasing=[0.4, 0.0, 1.3],
                      bonds=[(0, 1, 1.0, 1.0, 0.3), (1, 2, 0.5, 0.5, -1.0)]),
    "drive-phase-0": dict(gain=[0.2, 0.5], damping=[1.0, 0.4], drive=[0.8, 0.0],
                          bonds=[(0, 1, 0.7, 0.7, 0.2)], omega=[0.3, -0.2]),
    "drive-phases": dict(gain=[0.2, 0.5, 0.1], damping=[1.0, 0.4, 2.0], drive=[0.8, 1.5, 0.3],
                         drive_phase=[0.0, np.pi / 2, 1.1], omega=[0.3, -0.2, 0.0],
                         bonds=[(0, 1, 0.7, 0.7, 0.2), (0, 2, 1.0, 1.0, 0.0)]),
    "collective-all-lowering": dict(gain=[0.1, 0.2, 0.3], damping=[0.3, 0.2, 0.1],
                                    collective=[("all", "lowering", 0.9)], omega=[0.5, 0.0, -0.4]),
    "collective-subset": dict(gain=[0.1, 0.2, 0.3, 0.4], damping=[0.3, 0.2, 0.1, 0.5],
                              collective=[([0, 2], "raising", 0.6), ([1, 2, 3], "dephasing", 0.4),
                                          ({"sites": [3, 0], "operator": "lowering", "rate": 1.1})],
                              bonds=[(0, 3, 1.0, 0.2, 0.0)]),
    "xyz-field-zero-rates": dict(gain=[1.0, 0.0, 0.0, 0.5], damping=[0.2, 0.0, 0.0, 1.0],
                                 bonds=[(0, 1, 1.0, 0.4, 0.3), (1, 2, 0.5, 1.5, 0.0), (2, 3, 1.0, 1.0, 1.0)],
                                 field=0.35, omega=[0.1, 0.2, 0.3, 0.4]),
    "everything": dict(gain=[1.0, 0.3, 0.0], damping=[0.5, 1.0, 0.7], dephasing=[0.4, 0.0, 1.3],
                       drive=[0.5, 0.0, 1.2], drive_phase=[0.3, 0.0, -2.0], omega=[0.2, -0.1, 0.6],
                       bonds=[(0, 1, 1.0, 0.3, 0.3), (0, 2, 0.5, 0.5, -1.0)], field=-0.2,
                       collective=[([1, 2], "lowering", 0.5), ("all", "dephasing", 0.2)]),
}


@pytest.mark.parametrize("case", sorted(QUBIT_CASES))
def test_qubit_numpy_and_qutip_builders_agree(case: str) -> None:
    p = QUBIT_CASES[case]
    _agree(qubit_dense_model(**p), *qutip_qubit_model(**p))


@pytest.mark.parametrize("case", ["dephasing", "drive-phases", "collective-subset", "everything"])
def test_qubit_steady_states_agree(case: str) -> None:
    p = QUBIT_CASES[case]
    model = qubit_dense_model(**p)
    assert model.kernel_dimension() == 1
    ours = model.steady()
    theirs = qutip_steady_state(*qutip_qubit_model(**p))
    assert np.max(np.abs(ours - theirs)) < STATE_ATOL
    assert np.max(np.abs(model.rhs(theirs))) < STATE_ATOL


def test_qubit_oracle_reduces_to_the_old_one() -> None:
    """No new terms: the new builder is the paper's Eq. 2 (the pre-existing numpy oracle)."""
    from tests.oracles import dense_hamiltonian

    p = dict(gain=[1.0, 0.3, 2.0], damping=[0.5, 1.0, 0.7], omega=[0.2, -0.1, 0.6],
             bonds=[(0, 1, 1.0, 0.3, 0.3), (0, 2, 0.5, 0.5, -1.0)], field=-0.2)
    model = qubit_dense_model(**p)
    assert np.max(np.abs(model.hamiltonian() - dense_hamiltonian(None, p["omega"], p["bonds"], p["field"], 3))) < OP_ATOL


@pytest.mark.parametrize("phi", [0.0, 0.4, np.pi / 2, np.pi, -2.3])
def test_drive_identity(phi: float) -> None:
    """cos φ σˣ + sin φ σʸ = e^{−iφ}σ⁺ + e^{iφ}σ⁻ (the two forms the two builders use)."""
    lhs = np.cos(phi) * SX + np.sin(phi) * SY
    rhs = np.exp(-1j * phi) * SP + np.exp(1j * phi) * SM
    assert np.max(np.abs(lhs - rhs)) < 1e-15


@pytest.mark.parametrize("gain,damping,omega,drive", [
    (0.0, 1.0, 0.0, 0.5), (0.0, 2.0, 0.7, 1.3), (0.0, 0.4, -0.3, 3.0),
])
def test_driven_qubit_fluorescence_closed_form(gain, damping, omega, drive) -> None:
    """Resonance fluorescence pins the ½'s: ½Γ D[σ⁻] is amplitude decay at γ = Γ/2, H =
    (ω/2)σᶻ + (Ω/2)σˣ; then ρ_↑↑ = (Ω²/4)/(ω² + γ²/4 + Ω²/2)."""
    model = qubit_dense_model([gain], [damping], [omega], drive=[drive])
    rho = model.steady()
    gamma = damping / 2
    p_up = (drive**2 / 4) / (omega**2 + gamma**2 / 4 + drive**2 / 2)
    assert abs(rho[0, 0].real - p_up) < 1e-12
    # also a unique local steady state (product_state of a single site is the state)
    assert np.max(np.abs(model.product_state() - rho)) < 1e-12


def test_dephasing_rate_on_coherences() -> None:
    """CONVENTIONS.md: ⟨σ⁺⟩ decays at Γᵠ + (Γᵍ + Γᵈ)/4; populations untouched by Γᵠ."""
    g, d, phi = 0.6, 1.4, 0.9
    model = qubit_dense_model([g], [d], dephasing=[phi])
    rho = np.array([[0.3, 0.2 - 0.1j], [0.2 + 0.1j, 0.7]])
    drho = model.rhs(rho)
    coh = np.trace(SP @ rho)
    dcoh = np.trace(SP @ drho)
    assert abs(dcoh + (phi + (g + d) / 4) * coh) < 1e-14
    pure = qubit_dense_model([g], [d]).rhs(rho)
    assert abs(drho[0, 0] - pure[0, 0]) < 1e-15


@pytest.mark.parametrize("g,d,deph", [(1.0, 3.0, 0.0), (2.0, 0.5, 1.7)])
def test_local_qubit_limit_cycle(g, d, deph) -> None:
    """ρ_{j,0} = (I + mσᶻ)/2 with m = (Γᵍ − Γᵈ)/(Γᵍ + Γᵈ); dephasing does not change it."""
    m = (g - d) / (g + d)
    model = qubit_dense_model([g, 1.0], [d, 1.0], dephasing=[deph, 0.0])
    assert np.max(np.abs(model.local_steady(0) - (I2 + m * SZ) / 2)) < 1e-13
    assert np.max(np.abs(model.product_state() - np.kron((I2 + m * SZ) / 2, I2 / 2))) < 1e-13


def test_local_steady_state_absent_without_local_dissipation() -> None:
    assert qubit_dense_model([1.0, 0.0], [1.0, 0.0], bonds=[(0, 1, 1, 1, 0)]).product_state() is None
    # only dephasing: every diagonal state is steady — not unique
    assert qubit_dense_model([0.0], [0.0], dephasing=[1.0]).local_steady(0) is None
    # only a collective channel: no local steady state either
    m = qubit_dense_model([1.0, 0.0], [1.0, 0.0], collective=[("all", "lowering", 1.0)])
    assert m.local_steady(1) is None


# ---------------------------------------------------------------------------- uniqueness rule
def test_uniqueness_rule_on_the_kernel() -> None:
    """The issue's rule, verified on dim ker L: an undissipated site reached by a flip bond
    is fine; one reached by Ising bonds only, or not at all, makes the state non-unique."""
    base = dict(gain=[1.0, 0.0, 0.5], damping=[0.5, 0.0, 1.0], omega=[0.1, 0.3, -0.2])
    connected = qubit_dense_model(**base, bonds=[(0, 1, 1.0, 0.0, 0.0), (1, 2, 0.0, 0.7, 0.4)])
    assert connected.kernel_dimension() == 1
    ising = qubit_dense_model(**base, bonds=[(0, 1, 0.0, 0.0, 1.0), (1, 2, 0.0, 0.0, 0.5)])
    assert ising.kernel_dimension() > 1
    disconnected = qubit_dense_model(**base, bonds=[(0, 2, 1.0, 1.0, 0.0)])
    assert disconnected.kernel_dimension() > 1


def test_collective_only_two_qubits_has_a_dark_state() -> None:
    """Why 'in a collective channel' is not enough for uniqueness: D[σ⁻₀ + σ⁻₁] keeps the
    singlet dark; a little local damping removes it."""
    only = qubit_dense_model([0.0, 0.0], [0.0, 0.0], collective=[("all", "lowering", 1.0)])
    # kernel: |S⟩⟨S|, |↓↓⟩⟨↓↓| and the two coherences between them
    assert only.kernel_dimension() == 4
    local = qubit_dense_model([0.0, 0.0], [0.1, 0.1], collective=[("all", "lowering", 1.0)])
    assert local.kernel_dimension() == 1


# ---------------------------------------------------------------------------- spins
@pytest.mark.parametrize("s", [0.5, 1.0, 1.5, 2.0])
def test_spin_matrices_by_hand(s: float) -> None:
    o = spin_matrices(s)
    assert np.allclose(o["x"] @ o["y"] - o["y"] @ o["x"], 1j * o["z"], atol=1e-14)
    casimir = o["x"] @ o["x"] + o["y"] @ o["y"] + o["z"] @ o["z"]
    assert np.allclose(casimir, s * (s + 1) * o["I"], atol=1e-13)
    for name in ("x", "y", "z", "+", "-"):
        assert np.max(np.abs(o[name] - qt.jmat(s, name).full())) < 1e-14  # same basis order


SPIN_CASES = {
    "spin1-gd": dict(s=1, gain=[0.5, 1.0, 0.2], damping=[1.0, 0.3, 0.8], omega=[0.3, -0.1, 0.0],
                     bonds=[(0, 1, 1.0, 1.0, 0.4), (1, 2, 0.6, 0.6, 0.0)]),
    "spin1-rb": dict(s=1, scheme="roulet-bruder", gain=[0.5, 1.0, 0.2], damping=[1.0, 0.3, 0.8],
                     omega=[0.3, -0.1, 0.0], bonds=[(0, 1, 1.0, 1.0, 0.4), (0, 2, 0.6, 0.6, 0.0)]),
    "spin1-everything": dict(s=1, scheme="roulet-bruder", gain=[0.5, 0.0], damping=[1.0, 0.3],
                             dephasing=[0.2, 0.7], drive=[0.4, 0.9], drive_phase=[0.0, 2.0],
                             omega=[0.3, -0.4], bonds=[(0, 1, 1.0, 0.3, 0.4)], field=0.25,
                             collective=[("all", "lowering", 0.3), ([1], "dephasing", 0.2)]),
    "mixed-half-one": dict(s=[0.5, 1.0, 0.5], gain=[0.5, 1.0, 0.2], damping=[1.0, 0.3, 0.8],
                           dephasing=[0.1, 0.0, 0.3], drive=[0.0, 0.5, 0.0],
                           bonds=[(0, 1, 1.0, 1.0, 0.4), (1, 2, 0.6, 0.2, 0.0)],
                           collective=[([0, 2], "raising", 0.4)]),
    "spin3/2-pair": dict(s=1.5, scheme="roulet-bruder", gain=[0.5, 1.0], damping=[1.0, 0.3],
                         omega=[0.3, -0.1], bonds=[(0, 1, 1.0, 1.0, 0.4)], field=0.1),
}


@pytest.mark.parametrize("case", sorted(SPIN_CASES))
def test_spin_numpy_and_qutip_builders_agree(case: str) -> None:
    p = dict(SPIN_CASES[case])
    s = p.pop("s")
    _agree(spin_dense_model(s, **p), *qutip_spin_model(s, **p))


@pytest.mark.parametrize("case", sorted(SPIN_CASES))
def test_spin_steady_states_agree(case: str) -> None:
    p = dict(SPIN_CASES[case])
    s = p.pop("s")
    model = spin_dense_model(s, **p)
    ours = model.steady()
    theirs = qutip_steady_state(*qutip_spin_model(s, **p))
    assert np.max(np.abs(ours - theirs)) < STATE_ATOL


@pytest.mark.parametrize("scheme", ["gain-damping", "roulet-bruder"])
def test_spin_half_is_the_qubit_model(scheme: str) -> None:
    """CONVENTIONS.md's exact map at s = ½, every term switched on, both builders."""
    p = dict(gain=[0.5, 1.0, 0.2], damping=[1.0, 0.3, 0.8], dephasing=[0.2, 0.0, 0.6],
             omega=[0.3, -0.1, 0.8], drive=[0.4, 0.0, 1.1], drive_phase=[0.5, 0.0, -1.0],
             bonds=[(0, 1, 1.0, 0.3, 0.4), (1, 2, 0.6, 0.6, -0.2)], field=0.3,
             collective=[("all", "lowering", 0.3), ([0, 2], "dephasing", 0.4), ([1, 2], "raising", 0.1)])
    q = spin_half_to_qubit(scheme=scheme, **p)
    spin_np = spin_dense_model(0.5, scheme=scheme, **p)
    qubit_np = qubit_dense_model(**q)
    rho = random_density_matrix(np.random.default_rng(3), 8)
    assert np.max(np.abs(spin_np.rhs(rho) - qubit_np.rhs(rho))) < OP_ATOL
    hs, cs = qutip_spin_model(0.5, scheme=scheme, **p)
    hq, cq = qutip_qubit_model(**q)
    assert np.max(np.abs(hs.full() - hq.full())) < OP_ATOL
    assert np.max(np.abs(_qutip_rhs(hs, cs, rho) - _qutip_rhs(hq, cq, rho))) < OP_ATOL


def test_spin_half_map_as_stated_in_the_brief() -> None:
    """ω_spin = 2ω_qubit, U_spin = 4U_qubit, γᵠ_spin = 4Γᵠ_qubit, drive equal, J± rates equal."""
    qubit = dict(gain=[0.7, 0.2], damping=[0.3, 1.1], omega=[0.25, -0.4], dephasing=[0.3, 0.05],
                 drive=[0.6, 0.2], drive_phase=[0.4, 1.9], bonds=[(0, 1, 0.5, 0.2, -0.3)])
    spin = dict(gain=qubit["gain"], damping=qubit["damping"],
                omega=[2 * w for w in qubit["omega"]], dephasing=[4 * x for x in qubit["dephasing"]],
                drive=qubit["drive"], drive_phase=qubit["drive_phase"],
                bonds=[(j, k, 4 * a, 4 * b, 4 * c) for j, k, a, b, c in qubit["bonds"]])
    a = qubit_dense_model(**qubit).steady()
    b = spin_dense_model(0.5, **spin).steady()
    assert np.max(np.abs(a - b)) < STATE_ATOL


@pytest.mark.parametrize("s", [1.0, 1.5, 2.0])
def test_spin_gain_damping_detailed_balance(s: float) -> None:
    """J± scheme, one site: p_{m+1}/p_m = γᵍ/γᵈ (thermal-like, diagonal)."""
    g, d = 0.7, 1.9
    rho = spin_dense_model(s, [g], [d], omega=[0.4], dephasing=[0.3]).local_steady(0)
    m = s - np.arange(int(2 * s) + 1)
    p = (g / d) ** m
    assert np.max(np.abs(rho - np.diag(p / p.sum()))) < 1e-12


def test_roulet_bruder_limit_cycle_is_m0() -> None:
    """J±Jᶻ scheme, s = 1: the local steady state is |1, 0⟩⟨1, 0| (supplement Eq. S27)."""
    rho = spin_dense_model(1, [0.7], [1.9], scheme="roulet-bruder", omega=[0.4]).local_steady(0)
    assert np.max(np.abs(rho - np.diag([0, 1, 0]))) < 1e-12


def test_partial_trace_dims() -> None:
    rng = np.random.default_rng(1)
    a, b, c = (random_density_matrix(rng, d) for d in (2, 3, 2))
    rho = reduce(np.kron, [a, b, c])
    assert np.allclose(partial_trace_dims(rho, [1], [2, 3, 2]), b)
    assert np.allclose(partial_trace_dims(rho, [2, 0], [2, 3, 2]), np.kron(c, a))


# ---------------------------------------------------------------------------- dynamics oracle
def test_mesolve_equals_dense_exponential() -> None:
    """The dynamics reference (qutip.mesolve) against exp(Lt) for a driven spin-1 pair."""
    p = SPIN_CASES["spin1-everything"]
    args = {k: v for k, v in p.items() if k != "s"}
    model = spin_dense_model(1, **args)
    h, c_ops = qutip_spin_model(1, **args)
    rho0 = random_density_matrix(np.random.default_rng(5), 9)
    times = [0.0, 0.2, 0.5, 1.0]
    exact = dense_evolve(model.hamiltonian(), model.jumps(), rho0, times)
    res = qt.mesolve(h, qt.Qobj(rho0, dims=h.dims), times, c_ops,
                     options={"atol": 1e-12, "rtol": 1e-12, "nsteps": 100000})
    for e, st in zip(exact, res.states):
        assert np.max(np.abs(e - st.full())) < 1e-8


# ---------------------------------------------------------------------------- Prosen
PROSEN_EPS = [0.1, 0.5, 1.0, 2.0, 5.0]
PROSEN_DELTA = [0.0, 0.5, 1.0, 2.5]


@pytest.mark.parametrize("eps", PROSEN_EPS)
@pytest.mark.parametrize("delta", PROSEN_DELTA)
def test_prosen_n2_current(eps: float, delta: float) -> None:
    r"""Prosen, PRL 107, 137201 (2011): the n = 2 spin current is 2ε/(4 + ε²).

    Reading (his conventions):
        dρ/dt = −i[H, ρ] + Σ_k (2 L_k ρ L_k† − {L_k† L_k, ρ}),
        H = Σ_j (2σ⁺_jσ⁻_{j+1} + 2σ⁻_jσ⁺_{j+1} + Δ σᶻ_jσᶻ_{j+1}) = Σ_j (σˣσˣ + σʸσʸ + Δσᶻσᶻ),
        L₁ = √ε σ⁺₁, L₂ = √ε σ⁻ₙ  (σ± = (σˣ ± iσʸ)/2, pump up at site 1, down at site n).
    His dissipator is 2·D[L] with D[A]ρ = AρA† − ½{A†A, ρ}: QuTiP collapse ops √(2ε)σ.

    Current operator and sign: the formula holds for
        J = i(σ⁺₁σ⁻₂ − σ⁻₁σ⁺₂) = ½(σˣ₁σʸ₂ − σʸ₁σˣ₂),   ⟨J⟩ = +2ε/(4 + ε²) > 0,
    i.e. positive when up-magnetization flows from the pumped site 1 to site 2. This is
    ¼ of the σᶻ current of his H (continuity: i[H, σᶻ₁] = −4J), so with the often-quoted
    j = 2i(σ⁺σ⁻ − σ⁻σ⁺) one gets 4ε/(4 + ε²) instead (checked below). The reading was found by
    scanning H-scale × dissipator-scale × current-prefactor: with his H and his 2LρL† −
    {L†L, ρ}, only J with prefactor i (not 2i) gives his formula, for every ε and Δ (at
    n = 2 the result does not depend on Δ: σᶻσᶻ commutes with the flip-flop and with the
    state's structure).

    Mapping to OUR conventions (CONVENTIONS.md, ½Γ D[·]): 2ε D[σ] = ½Γ D[σ] ⇒ Γ = 4ε, i.e.
    Γᵍ_0 = 4ε, Γᵈ_{n−1} = 4ε, all other rates 0; bonds Uˣ = Uʸ = 1, Uᶻ = Δ; ω = 0, B = 0.
    """
    h, c_ops = prosen_qutip_model(2, eps, delta)
    rho = qt.steadystate(h, c_ops, method="direct")
    current = qt.expect(prosen_current_operator(2), rho)
    assert abs(current - prosen_current_n2(eps)) < 1e-12
    # the "2i" current is twice that
    assert abs(qt.expect(2 * prosen_current_operator(2), rho) - 2 * prosen_current_n2(eps)) < 1e-12
    # magnetization closed form that follows from the boundary balance: ⟨σᶻ₁⟩ = ε²/(4 + ε²)
    sz1 = qt.expect(qt.tensor(qt.sigmaz(), qt.qeye(2)), rho)
    assert abs(sz1 - eps**2 / (4 + eps**2)) < 1e-12
    # OUR conventions (Γ = 4ε at the ends) give the same state, by both of our builders
    ours = prosen_our_parameters(2, eps, delta)
    ours_q = qutip_steady_state(*qutip_qubit_model(**ours))
    assert np.max(np.abs(ours_q - rho.full())) < 1e-12
    ours_np = qubit_dense_model(**ours).steady()
    assert np.max(np.abs(ours_np - rho.full())) < STATE_ATOL
    assert abs(np.trace(prosen_current_dense(2) @ ours_np) - prosen_current_n2(eps)) < STATE_ATOL


@pytest.mark.parametrize("n,eps,delta", [(3, 0.7, 0.5), (4, 1.3, 1.0), (5, 0.4, 2.0)])
def test_prosen_chain_continuity(n: int, eps: float, delta: float) -> None:
    """Longer chains: the current is the same on every bond, and balances the boundary
    channels: ⟨J⟩ = ε(1 − ⟨σᶻ₁⟩)/2 = ε(1 + ⟨σᶻₙ⟩)/2. Our mapping gives the same state."""
    h, c_ops = prosen_qutip_model(n, eps, delta)
    rho = qt.steadystate(h, c_ops, method="direct")
    currents = [qt.expect(prosen_current_operator(n, j), rho) for j in range(n - 1)]
    assert np.ptp(currents) < 1e-12
    sz = [qt.expect(qt.tensor([qt.sigmaz() if i == j else qt.qeye(2) for i in range(n)]), rho) for j in range(n)]
    assert abs(currents[0] - eps * (1 - sz[0]) / 2) < 1e-12
    assert abs(currents[0] - eps * (1 + sz[-1]) / 2) < 1e-12
    ours = qutip_steady_state(*qutip_qubit_model(**prosen_our_parameters(n, eps, delta)))
    assert np.max(np.abs(ours - rho.full())) < 1e-12


def test_prosen_chain_is_unique() -> None:
    """The interior sites carry no dissipation; the XX part of the bonds makes it unique."""
    assert qubit_dense_model(**prosen_our_parameters(3, 0.8, 1.5)).kernel_dimension() == 1
