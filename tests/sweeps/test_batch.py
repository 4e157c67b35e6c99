"""The batched solver against the core direct solver, the closed form Eq. (7), and — for the
general model — per-point ``steady_state`` and the closed-form driven qubit."""

from __future__ import annotations

import numpy as np
import pytest

from spinsync import Network, fidelity, flipflop_matrix, magnetizations, product_state, steady_state
from spinsync import spin_expectations, spin_flipflop_matrix
from spinsync.errors import NumericalError
from spinsync.model import Collective
from spinsync.sweeps import PointParams, batch_steady, parse_path, sector_dimension
from spinsync.sweeps.batch import ParametricSteadyState, batch_symmetry
from spinsync.sweeps.spec import sweep_from_dict
from spinsync.measures.sync import two_qubit_flipflop


def _random_network(rng: np.random.Generator, n: int, xxz: bool) -> Network:
    bonds = []
    for j in range(n):
        for k in range(j + 1, n):
            ux = rng.normal()
            uy = ux if xxz else rng.normal()
            bonds.append((j, k, ux, uy, rng.normal()))
    return Network(rng.uniform(0.05, 2, n), rng.uniform(0.05, 2, n), rng.normal(size=n),
                   bonds, field=rng.normal())


def _stack(networks: list[Network]) -> PointParams:
    params = PointParams.repeat(networks[0], len(networks))
    for i, net in enumerate(networks):
        params.gain[i], params.damping[i], params.omega[i] = net.gain, net.damping, net.omega
        params.couplings[i], params.field[i] = net.bond_couplings, net.field
    return params


@pytest.mark.parametrize("n, xxz", [(2, True), (2, False), (3, True), (3, False), (4, True)])
def test_batch_matches_direct_solver(n: int, xxz: bool) -> None:
    rng = np.random.default_rng(100 * n + xxz)
    networks = [_random_network(rng, n, xxz) for _ in range(4)]
    res = batch_steady(_stack(networks))
    iu = np.triu_indices(n, 1)
    for i, net in enumerate(networks):
        ref = steady_state(net, method="direct")
        # Both are float64 LU solutions of well-conditioned systems: agree to ~1e-14.
        np.testing.assert_allclose(res["flipflop"][i], flipflop_matrix(ref.state)[iu], atol=1e-12)
        np.testing.assert_allclose(res["magnetization"][i], magnetizations(ref.state), atol=1e-12)
        assert res["fidelity"][i] == pytest.approx(fidelity(ref.state, product_state(net)), abs=1e-10)
        assert res["min_eigenvalue"][i] == pytest.approx(ref.checks.min_eigenvalue, abs=1e-12)
        assert res["residual"][i] < 1e-12
    assert set(res["method"]) == {"batch"}


def test_sector_dimension() -> None:
    assert sector_dimension(2, True) == 6
    assert sector_dimension(5, True) == 252
    assert sector_dimension(5, False) == 512


def test_no_go_points_give_the_product_state() -> None:
    """Equal magnetizations with XXZ couplings: ρ_ss = ρ₀ (F = 1, no flip-flop)."""
    net = Network.from_magnetization([0.3, 0.3, 0.3], bonds=[(0, 1, 2, 2, 1), (1, 2, 2, 2, 1)])
    res = batch_steady(_stack([net]))
    assert res["fidelity"][0] == pytest.approx(1.0, abs=1e-12)
    assert np.max(np.abs(res["flipflop"][0])) < 1e-13


def test_eq7_on_a_two_qubit_grid() -> None:
    """⟨σ⁺₁σ⁻₂⟩ of every grid point equals the closed form Eq. (7) (any Uᶻ, Δ ≠ 0)."""
    spec = sweep_from_dict({
        "model": {"qubits": {"magnetization": [0, 0], "omega": [0.4, 0.0]},
                  "couplings": {"topology": "all-to-all", "ux": 1.3, "uy": 1.3, "uz": 0.2}},
        "axis": [{"name": "m1", "set": ["qubits.magnetization[0]"], "start": -0.95, "stop": 0.95, "num": 9},
                 {"name": "m2", "set": ["qubits.magnetization[1]"], "start": -0.95, "stop": 0.95, "num": 8}],
    })
    params = spec.points()
    res = batch_steady(params)
    closed = np.array([two_qubit_flipflop(params.network(i)) for i in range(params.count)])
    np.testing.assert_allclose(res["flipflop"][:, 0], closed, rtol=1e-10, atol=1e-14)


# --------------------------------------------------------------------------- general model


#: Batch and per-point solves are float64 LU solutions of the same well-conditioned systems.
TOL = 1e-10


def _grid(base: Network, axes: dict[str, np.ndarray]) -> PointParams:
    """The Cartesian grid of ``axes`` (path → values, first slowest) over ``base``."""
    mesh = np.meshgrid(*axes.values(), indexing="ij")
    params = PointParams.repeat(base, mesh[0].size)
    for path, values in zip(axes, mesh):
        params.set(parse_path(path), values.ravel())
    params.validate()
    return params


def _reference(params: PointParams, i: int) -> dict:
    """Point i from the core solver and the measures, independently of the sweep code."""
    net = params.network(i)
    ref = steady_state(net, method="direct")
    iu = np.triu_indices(net.n, 1)
    if net.is_qubits:
        ff, mag = flipflop_matrix(ref.state)[iu], magnetizations(ref.state)
    else:
        ff, mag = spin_flipflop_matrix(ref.state)[iu], spin_expectations(ref.state, "z")
    rho0 = product_state(net)
    return {"flipflop": ff, "magnetization": mag, "coherence": spin_expectations(ref.state, "+"),
            "fidelity": np.nan if rho0 is None else fidelity(ref.state, rho0),
            "min_eigenvalue": ref.checks.min_eigenvalue, "symmetry": ref.symmetry}


def _assert_matches_per_point(params: PointParams, res: dict, fid_tol: float = TOL) -> None:
    for i in range(params.count):
        ref = _reference(params, i)
        for key in ("flipflop", "magnetization", "coherence", "min_eigenvalue"):
            np.testing.assert_allclose(res[key][i], ref[key], rtol=0, atol=TOL, err_msg=f"{key}, point {i}")
        np.testing.assert_allclose(res["fidelity"][i], ref["fidelity"], rtol=0, atol=fid_tol,
                                   err_msg=f"fidelity, point {i}")
    assert np.max(res["residual"]) < 1e-12
    assert set(res["method"]) == {"batch"}


def test_dephasing_sweep_matches_per_point() -> None:
    """XYZ bonds (parity sector) and a dephasing axis on two qubits."""
    base = Network([1.0, 0.3, 0.5], [0.2, 1.0, 0.7], [0.1, -0.2, 0.3],
                   [(0, 1, 1.0, 0.4, 0.2), (1, 2, 0.5, 0.5, 1.0)], field=0.1)
    params = _grid(base, {"qubits.dephasing[1]": np.linspace(0, 2, 4), "qubits.dephasing[2]": [0.0, 0.7]})
    res = batch_steady(params)
    assert batch_symmetry(params) == "parity"
    _assert_matches_per_point(params, res)
    # Dephasing leaves the populations and ρ₀ alone but does change the correlations.
    assert np.ptp(np.abs(res["flipflop"][:, 0])) > 1e-3


def _driven_qubit(g: float, d: float, dephasing: float, omega, drive, phase: float):
    """Closed-form steady state of one driven qubit, derived from the master equation.

    With κ = Γ/4 + Γᵠ (Γ = Γᵍ + Γᵈ) and z₀ = (Γᵍ − Γᵈ)/Γ, the Bloch equations
    d⟨σ⁻⟩/dt = −(κ + iω)⟨σ⁻⟩ + i(Ω/2)e^{−iφ}⟨σᶻ⟩ and
    d⟨σᶻ⟩/dt = −(Γ/2)(⟨σᶻ⟩ − z₀) + iΩ(e^{iφ}⟨σ⁻⟩ − e^{−iφ}⟨σ⁺⟩) give
    ⟨σᶻ⟩ = z₀ / (1 + 2Ω²κ / (Γ(κ² + ω²))),  ⟨σ⁺⟩ = −i(Ω/2) e^{iφ} ⟨σᶻ⟩ / (κ − iω).
    """
    total = g + d
    kappa = total / 4 + dephasing
    z = ((g - d) / total) / (1 + 2 * drive**2 * kappa / (total * (kappa**2 + omega**2)))
    return z, -0.5j * drive * np.exp(1j * phase) * z / (kappa - 1j * omega)


def test_driven_qubit_grid_matches_closed_form_and_per_point() -> None:
    """Drive strength × detuning on one driven qubit: the data of an Arnold tongue."""
    g, d, deph, phase = 0.3, 1.0, 0.2, 0.7
    base = Network([g], [d], dephasing=[deph], drive_phase=[phase])
    detuning, drive = np.linspace(-2, 2, 9), np.linspace(0, 1, 5)
    params = _grid(base, {"qubits.omega[0]": detuning, "qubits.drive[0]": drive})
    res = batch_steady(params)
    assert batch_symmetry(params) == "none"
    z, plus = _driven_qubit(g, d, deph, params.omega[:, 0], params.drive[:, 0], phase)
    np.testing.assert_allclose(res["coherence"][:, 0], plus, rtol=0, atol=TOL)
    np.testing.assert_allclose(res["magnetization"][:, 0], z, rtol=0, atol=TOL)
    assert np.max(np.abs(plus)) > 0.1  # a real test: the coherence is not small
    np.testing.assert_allclose(res["fidelity"], 1.0, atol=1e-12)  # one site: ρ₀ = ρ_ss
    _assert_matches_per_point(params, res)


def test_driven_pair_product_state_with_coherences() -> None:
    """ρ₀ of driven sites has coherences; the full-space sector holds it (F ≠ 1 here)."""
    base = Network([1.0, 0.4], [0.3, 1.0], [0.5, -0.3], [(0, 1, 0.6, 0.2, 0.3)],
                   drive=[0.4, 0.0], drive_phase=[0.3, 0.0])
    params = _grid(base, {"qubits.drive[1]": [0.0, 0.5], "qubits.drive_phase[1]": [0.0, 2.0]})
    res = batch_steady(params)
    assert batch_symmetry(params) == "none"
    assert np.all(res["fidelity"] < 0.9999)
    assert np.all(np.abs(res["coherence"][:, 0]) > 1e-2)
    _assert_matches_per_point(params, res)


def test_collective_rate_sweep_matches_per_point() -> None:
    base = Network([0.2, 0.1, 0.3], [1.0, 0.5, 0.7], [0.1, 0.0, -0.1],
                   [(0, 1, 1.0, 1.0, 0.3), (0, 2, 0.4, 0.4, 0.0)],
                   collective=[Collective("all", "lowering", 0.5), Collective([0, 2], "dephasing", 0.1)])
    params = _grid(base, {"collective[0].rate": [0.0, 0.5, 3.0], "collective[1].rate": [0.0, 1.0]})
    res = batch_steady(params)
    assert batch_symmetry(params) == "u1"
    _assert_matches_per_point(params, res)
    # The collective channel couples the qubits: it changes the steady state.
    assert np.ptp(res["magnetization"][:, 1]) > 1e-2


def test_spin1_roulet_bruder_pair_over_coupling() -> None:
    """Two spin-1 oscillators (J±Jᶻ scheme), XXZ coupling U: U(1) sector, dimension 19."""
    base = Network.spins(1, [1.0, 0.5], [0.1, 0.3], scheme="roulet-bruder", omega=[0.3, -0.2],
                         bonds=[(0, 1, 1.0, 1.0, 0.2)])
    u = np.array([0.05, 0.3, 1.0, 2.0])
    params = PointParams.repeat(base, u.size)
    for path in ("couplings.ux", "couplings.uy"):
        params.set(parse_path(path), u)
    res = batch_steady(params)
    assert batch_symmetry(params) == "u1"
    _assert_matches_per_point(params, res)
    assert np.min(np.abs(res["flipflop"][:, 0])) > 1e-3
    np.testing.assert_array_equal(res["coherence"], 0)  # U(1): ⟨J⁺⟩ = 0 exactly
    # ρ₀ = |1,0⟩⟨1,0| ⊗ |1,0⟩⟨1,0| is pure: F = √⟨0,0|ρ|0,0⟩ (an independent formula).
    for i in range(u.size):
        rho = steady_state(params.network(i), method="direct").state.to_dense()
        assert res["fidelity"][i] == pytest.approx(np.sqrt(rho[4, 4].real), abs=TOL)


def test_driven_spin1_pair_uses_the_full_space() -> None:
    base = Network.spins(1, [1.0, 0.5], [0.1, 0.3], scheme="roulet-bruder", omega=[0.3, -0.2],
                         bonds=[(0, 1, 0.5, 0.5, 0.2)])
    params = _grid(base, {"spins.drive[0]": [0.0, 0.1, 0.5], "spins.drive_phase[0]": [0.0, 1.0]})
    res = batch_steady(params)
    assert batch_symmetry(params) == "none"
    # ρ₀ has a pure factor (site 1): F is then only as accurate as √(rounding) ~ 1e-8.
    _assert_matches_per_point(params, res, fid_tol=1e-7)
    assert np.abs(res["coherence"][-1, 0]) > 1e-2


def test_sector_of_a_mixed_grid_and_its_refusal() -> None:
    """The weakest symmetry fits every point; a stronger requested sector is refused."""
    base = Network([1.0, 0.3], [0.2, 1.0], [0.2, 0.0], bonds=[(0, 1, 1.0, 1.0, 0.5)])
    params = _grid(base, {"couplings.uy": [1.0, 0.4], "qubits.drive[1]": [0.0, 0.3]})
    assert batch_symmetry(params) == "none"
    res = batch_steady(params)
    _assert_matches_per_point(params, res)
    # The u1 point (uy = 1, no drive) in the full-space sector equals its u1-sector solve.
    alone = batch_steady(params.take(slice(0, 1)))
    for key in ("flipflop", "magnetization", "fidelity", "coherence"):
        np.testing.assert_allclose(res[key][0], alone[key][0], atol=TOL)
    with pytest.raises(ValueError, match=r"'parity' sector does not fit point 1: .*drive_x\[1\]"):
        batch_steady(params, symmetry="parity")
    with pytest.raises(ValueError, match="magnetization sector needs"):
        batch_steady(params, xxz=True)
    # A sweep passes its symmetry with the parameters: a u1 chunk is solved in 'none'.
    from dataclasses import replace

    chunk = replace(params.take(slice(0, 1)), symmetry="none")
    assert batch_symmetry(chunk) == "none"


def test_assembled_matrix_is_the_liouvillian() -> None:
    """Σ_k θ_k L_k as the solver assembles it equals the real form of the point's own
    sector Liouvillian, for a point with every term (full space)."""
    from spinsync.liouvillian import real_operator, sector_liouvillian

    rng = np.random.default_rng(3)
    base = Network(rng.uniform(0.1, 1, 3), rng.uniform(0.1, 1, 3), rng.normal(size=3),
                   [(0, 1, *rng.normal(size=3)), (1, 2, *rng.normal(size=3))], field=0.3,
                   dephasing=rng.uniform(0, 1, 3), drive=rng.normal(size=3),
                   drive_phase=rng.uniform(0, 6, 3), collective=[Collective([0, 2], "raising", 0.4)])
    params = PointParams.repeat(base, 1)
    solver = ParametricSteadyState(params, "none")
    mat = np.zeros(solver.dim**2)
    mat[solver.positions] = solver.theta(params) @ solver.coefficients
    exact = real_operator(sector_liouvillian(base, solver.sector), solver.sector).toarray()
    np.testing.assert_allclose(mat.reshape(exact.shape), exact, rtol=0, atol=1e-14)
    assert np.abs(exact).max() > 0.1


def test_degenerate_points_are_refused() -> None:
    """Dephasing-only qubits keep every diagonal state: a second zero mode, refused."""
    base = Network([0.0, 0.0], [0.0, 0.0], bonds=[(0, 1, 0.0, 0.0, 1.0)], dephasing=[0.5, 0.5])
    params = PointParams.repeat(base, 2)
    params.validate()  # not certainly non-unique from the terms alone
    with pytest.raises(NumericalError, match="point 0 of the batch: the steady state is not unique"):
        batch_steady(params)
    with pytest.raises(NumericalError, match="not unique"):
        steady_state(base, method="direct")
    # Collective dephasing of identical driven qubits leaves the singlet dark: the zero
    # modes mix in the full space, the LU is not exactly singular, the estimate finds it.
    dark = Network([0.0, 0.0], [0.0, 0.0], [0.3, 0.3], [(0, 1, 0.7, 0.7, 0.2)], drive=[0.4, 0.4],
                   collective=[Collective("all", "dephasing", 0.5)])
    with pytest.raises(NumericalError, match=r"point 1 of the batch: .*ill-conditioned"):
        batch_steady(_grid(dark, {"qubits.dephasing[0]": [0.2, 0.0]}))
    with pytest.raises(NumericalError, match="not unique"):
        steady_state(dark, method="direct")


def test_fidelity_is_nan_where_rho0_is_undefined() -> None:
    """An undissipated qubit reached by a flip bond: unique steady state, no ρ₀."""
    base = Network([1.0, 0.0], [0.4, 0.0], bonds=[(0, 1, 1.0, 1.0, 0.0)])
    params = _grid(base, {"qubits.gain[1]": [0.0, 0.3]})
    res = batch_steady(params)
    assert np.isnan(res["fidelity"][0]) and np.isfinite(res["fidelity"][1])
    _assert_matches_per_point(params, res)


def test_solver_cache_is_per_structure_and_sector() -> None:
    base = Network([1.0, 0.3], [0.2, 1.0], bonds=[(0, 1, 1.0, 1.0, 0.5)])
    params = PointParams.repeat(base, 2)
    u1 = ParametricSteadyState(params, "u1")
    assert u1.dim == 6 and u1.excluded.size  # drive and Uˣ − Uʸ have no u1 matrices
    full = ParametricSteadyState(params, "none")
    assert full.dim == 16 and not full.excluded.size
    np.testing.assert_allclose(u1.solve(params)["flipflop"], full.solve(params)["flipflop"], atol=TOL)


def test_interference_blockade_of_a_driven_spin1() -> None:
    """Roulet–Bruder spin 1 with γᵍ = γᵈ: no 1:1 locking, ⟨J⁺⟩ = 0 at every ω and Ω
    (Koppenhöfer & Roulet, PRA 99, 043804 (2019)); with γᵍ ≠ γᵈ it locks."""
    axes = {"spins.omega[0]": np.linspace(-2, 2, 5), "spins.drive[0]": [0.1, 0.5, 1.0]}
    equal = batch_steady(_grid(Network.spins(1, [1.0], [1.0], scheme="roulet-bruder"), axes))
    assert np.max(np.abs(equal["coherence"])) < 1e-14
    unequal = batch_steady(_grid(Network.spins(1, [1.0], [0.3], scheme="roulet-bruder"), axes))
    assert np.min(np.abs(unequal["coherence"])) > 1e-2
