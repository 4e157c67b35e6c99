"""Every general-model example runs through ``spinsync steady --json`` and ``spinsync evolve``,
and its numbers agree with QuTiP (issue 10 "Done when", §4).

The oracle is built here from the parsed TOML alone — QuTiP's own spin matrices
(``qutip.jmat``, ``sigmaz`` …), the terms written out from docs/conventions.md — so that
agreement checks the file format, the conventions and the solvers at once, not spinsync
against itself.
"""

from __future__ import annotations

import json
import tomllib
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from spinsync.cli import app

qt = pytest.importorskip("qutip")

EXAMPLES = Path(__file__).parents[2] / "examples"
runner = CliRunner()

#: example → (the symmetry the terms keep, the method auto picks, whether ρ₀ exists).
GENERAL_EXAMPLES = {
    "dephasing": ("u1", "analytic", True),
    "driven_pair": ("none", "direct", True),
    "collective_decay": ("u1", "direct", True),
    "boundary_driven_chain": ("u1", "direct", False),
    "spin1_rb_pair": ("u1", "direct", True),
    "spin1_gain_damping": ("u1", "analytic", True),
    "mixed_spins": ("u1", "direct", True),
    "spin1_driven": ("none", "direct", True),
    "spin1_blockade": ("none", "direct", True),
}

#: QuTiP's direct steady state and spinsync's agree to ~1e-13 on these sizes; the JSON
#: round-trips floats exactly.
TOL = 1e-9


# ------------------------------------------------------------------ the oracle
class Oracle:
    """H, collapse operators and local operators of a parsed model file, in QuTiP."""

    def __init__(self, data: dict) -> None:
        self.qubits = "qubits" in data
        sec = data["qubits"] if self.qubits else data["spins"]
        self.n = n = len(sec["gain"])
        if self.qubits:
            self.s = [0.5] * n
        else:
            self.s = [float(x) for x in (sec["s"] if isinstance(sec["s"], list) else [sec["s"]] * n)]
        self.dims = [int(round(2 * s + 1)) for s in self.s]
        zero = [0.0] * n
        self.sec = {k: [float(x) for x in sec.get(k, zero)] for k in
                    ("gain", "damping", "omega", "dephasing", "drive", "drive_phase")}
        self.scheme = sec.get("scheme")
        c = data.get("couplings", {})
        self.field = float(c.get("field", data.get("field", 0.0)))
        topo = c.get("topology", "none")
        pairs = {"all-to-all": list(combinations(range(n), 2)),
                 "chain": [(j, j + 1) for j in range(n - 1)], "none": []}[topo]
        self.bonds = [(j, k, c.get("ux", 0.0), c.get("uy", 0.0), c.get("uz", 0.0)) for j, k in pairs]
        self.collective = data.get("collective", [])

    # local operators: Pauli σ for [qubits], J for [spins]
    def local(self, j: int, name: str):
        if self.qubits:
            return {"x": qt.sigmax(), "y": qt.sigmay(), "z": qt.sigmaz(), "+": qt.sigmap(),
                    "-": qt.sigmam()}[name]
        return qt.jmat(self.s[j], name)

    def op(self, j: int, name: str):
        return qt.tensor([self.local(i, name) if i == j else qt.qeye(d)
                          for i, d in enumerate(self.dims)])

    def _jump(self, j: int, sign: str, embed) -> object:
        a = embed(j, sign)
        if not self.qubits and self.scheme == "roulet-bruder":
            a = a * embed(j, "z")
        return a

    def _site_terms(self, j: int, embed):
        """H and collapse operators acting on site j alone (its local Liouvillian)."""
        p = self.sec
        half = 0.5 if self.qubits else 1.0  # qubit drive (Ω/2)σ, spin drive Ω J
        h = (p["omega"][j] / 2 + self.field) * embed(j, "z")
        h += half * p["drive"][j] * (np.cos(p["drive_phase"][j]) * embed(j, "x")
                                     + np.sin(p["drive_phase"][j]) * embed(j, "y"))
        c_ops = []
        for rate, sign in ((p["gain"][j], "+"), (p["damping"][j], "-")):
            if rate > 0:
                c_ops.append(np.sqrt(rate / 2) * self._jump(j, sign, embed))
        if p["dephasing"][j] > 0:
            c_ops.append(np.sqrt(p["dephasing"][j] / 2) * embed(j, "z"))
        return h, c_ops

    def _channel_sites(self, ch) -> list[int]:
        return list(range(self.n)) if ch["sites"] == "all" else list(ch["sites"])

    def model(self):
        h = 0 * self.op(0, "z")
        c_ops = []
        for j in range(self.n):
            hj, cj = self._site_terms(j, self.op)
            h += hj
            c_ops += cj
        for j, k, ux, uy, uz in self.bonds:
            for u, a in ((ux, "x"), (uy, "y"), (uz, "z")):
                h += u * self.op(j, a) * self.op(k, a)
        name = {"lowering": "-", "raising": "+", "dephasing": "z"}
        for ch in self.collective:
            total = sum(self.op(j, name[ch["operator"]]) for j in self._channel_sites(ch))
            c_ops.append(np.sqrt(ch["rate"] / 2) * total)
        return h, c_ops

    def steady(self) -> np.ndarray:
        h, c_ops = self.model()
        return qt.steadystate(h, c_ops, method="direct")

    def rho0(self):
        """⊗ of each site's local steady state; None if a site has no dissipation at all."""
        factors = []
        name = {"lowering": "-", "raising": "+", "dephasing": "z"}
        for j in range(self.n):
            h, c_ops = self._site_terms(j, lambda i, a: self.local(i, a))
            for ch in self.collective:
                if j in self._channel_sites(ch):
                    c_ops.append(np.sqrt(ch["rate"] / 2) * self.local(j, name[ch["operator"]]))
            if not c_ops:
                return None  # any function of H_j is steady: no unique local state
            factors.append(qt.steadystate(h, c_ops, method="direct"))
        return qt.tensor(factors)

    def ghz(self):
        top = qt.tensor([qt.basis(d, 0) for d in self.dims])
        bottom = qt.tensor([qt.basis(d, d - 1) for d in self.dims])
        psi = (top + bottom).unit()
        return psi * psi.dag()

    def measures(self, rho) -> dict:
        n = self.n
        ev = lambda o: complex(qt.expect(o, rho))  # noqa: E731
        mag = [ev(self.op(j, "z")).real for j in range(n)]
        coh = [ev(self.op(j, "+")) for j in range(n)]
        ff = np.array([[ev(self.op(j, "+") * self.op(k, "-")) for k in range(n)] for j in range(n)])
        mean = [[ev(self.op(j, a)).real for a in "xyz"] for j in range(n)]
        conn = max((abs(ev(self.op(j, a) * self.op(k, b)).real - mean[j][ia] * mean[k][ib])
                    for j, k in combinations(range(n), 2)
                    for ia, a in enumerate("xyz") for ib, b in enumerate("xyz")), default=0.0)
        return {"magnetization": np.array(mag), "coherence": np.array(coh), "flipflop": ff,
                "connected_max": conn}


#: S-function maxima against a grid search (step h = 2π/4096; pairs: refined by Brent):
#: the grid maximum lies below the true one by at most ½|S″|(h/2)² ≲ 1e-7 for these S
#: (|S″| ≲ 1); phases to within h/2.
SYNC_TOL = 2e-7
PHASE_TOL = np.pi / 4096 + 1e-9
_GRID = np.linspace(-np.pi, np.pi, 4097)[:-1]


def _site_sync_by_qutip_q(rho, dims) -> tuple[list[float], list[float]]:
    """max and argmax of S_j(φ) = ∫ sin θ Q_j dθ − 1/2π with QuTiP's spin_q_function on 60
    Gauss–Legendre nodes in θ (converged to ~1e-15 for s ≤ 3/2), on the φ grid."""
    x, w = np.polynomial.legendre.leggauss(60)
    theta = (x + 1) * np.pi / 2
    weights = w * np.pi / 2 * np.sin(theta)
    maxima, phases = [], []
    for j, d in enumerate(dims):
        q, _, _ = qt.spin_q_function(rho.ptrace(j), theta, _GRID)  # [φ, θ], ⟨θ,φ|ρ|θ,φ⟩
        s = (q * d / (4 * np.pi)) @ weights - 1 / (2 * np.pi)
        maxima.append(float(s.max()) if np.ptp(s) > 1e-12 else 0.0)
        phases.append(float(_GRID[np.argmax(s)]))
    return maxima, phases


def _pair_sync_max_by_quadrature(rho, dims) -> np.ndarray:
    """max_φ S_jk(φ) from QuTiP's pair reduced matrices by spinsync's quadrature route (the
    definition integrated with coherent states, not the closed form or its peak finder): the
    best of 128 grid points, refined by scipy's bounded Brent search to 1e-10 in φ."""
    from scipy.optimize import minimize_scalar

    from spinsync.measures.sync import s_function_integrated

    n = len(dims)
    out = np.zeros((n, n))
    grid = np.linspace(-np.pi, np.pi, 129)[:-1]
    for j, k in combinations(range(n), 2):
        pair, pd = rho.ptrace([j, k]).full(), (dims[j], dims[k])
        s = s_function_integrated(pair, grid, dims=pd)
        i = int(np.argmax(s))
        best = minimize_scalar(lambda x: -s_function_integrated(pair, x, dims=pd), method="bounded",
                               bounds=(grid[i] - 0.05, grid[i] + 0.05), options={"xatol": 1e-10})
        out[j, k] = out[k, j] = max(float(s.max()), -float(best.fun))
    return out


def _oracle(name: str) -> Oracle:
    return Oracle(tomllib.loads((EXAMPLES / f"{name}.toml").read_text(encoding="utf-8")))


def _not_json(constant: str) -> None:
    raise AssertionError(f"{constant} in the output: not JSON (undefined values must be null)")


def _json(args: list[str]) -> dict:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout, parse_constant=_not_json)


# ------------------------------------------------------------------ tests
def test_every_general_example_is_listed() -> None:
    """Each example file is checked by one of the suites (this one or tests/cli/test_steady)."""
    paper = {"fig1b", "fig1c", "fig3a", "fig3b", "fig3c", "fig3d", "two_qubit"}
    assert {p.stem for p in EXAMPLES.glob("*.toml")} == paper | set(GENERAL_EXAMPLES)


@pytest.mark.parametrize("name", sorted(GENERAL_EXAMPLES))
def test_steady_json_against_qutip(name: str) -> None:
    symmetry, method, rho0_defined = GENERAL_EXAMPLES[name]
    out = _json(["steady", str(EXAMPLES / f"{name}.toml"), "--json"])
    oracle = _oracle(name)
    assert out["kind"] == ("qubits" if oracle.qubits else "spins")
    assert out["dims"] == oracle.dims and out["n"] == oracle.n
    assert out["symmetry"] == symmetry and out["method"] == method
    assert out["residual"] < 1e-10

    rho = oracle.steady()
    want = oracle.measures(rho)
    assert np.allclose(out["magnetization"], want["magnetization"], atol=TOL)
    coherence = np.array(out["coherence_re"]) + 1j * np.array(out["coherence_im"])
    assert np.allclose(coherence, want["coherence"], atol=TOL)
    ff = np.array(out["flipflop_re"]) + 1j * np.array(out["flipflop_im"])
    assert np.allclose(ff, want["flipflop"], atol=TOL)
    assert out["connected_max"] == pytest.approx(want["connected_max"], abs=TOL)

    rho0 = oracle.rho0()
    assert (rho0 is not None) == rho0_defined
    if rho0 is None:
        assert out["fidelity_product"] is None
    else:
        assert out["fidelity_product"] == pytest.approx(qt.fidelity(rho, rho0), abs=1e-7)
    if oracle.qubits:
        smax = np.pi / 16 * np.abs(want["flipflop"])
        np.fill_diagonal(smax, 0)
    else:
        smax = _pair_sync_max_by_quadrature(rho, oracle.dims)
    assert np.allclose(out["sync_max"], smax, atol=SYNC_TOL)
    assert out["sync_total"] == pytest.approx(np.triu(smax, 1).sum(), abs=SYNC_TOL * oracle.n**2)
    site_max, site_phase = _site_sync_by_qutip_q(rho, oracle.dims)
    assert np.allclose(out["sync_site_max"], site_max, atol=SYNC_TOL)
    if symmetry == "u1":  # no coherence: every S_j is flat
        assert out["sync_site_phase"] == [None] * oracle.n and out["sync_site_max"] == [0.0] * oracle.n
    else:
        for got, phase in zip(out["sync_site_phase"], site_phase):
            assert abs(np.angle(np.exp(1j * (got - phase)))) < PHASE_TOL
    # What each example is there to show.
    if method == "analytic":
        assert out["nogo"] and out["connected_max"] < 1e-12
    elif oracle.n > 1:
        assert want["connected_max"] > 1e-3
    if name == "driven_pair":
        assert np.max(np.abs(want["coherence"])) > 1e-3
    if name == "spin1_rb_pair":  # identical RB spins do synchronize (2:1, in or out of phase)
        assert out["sync_total"] > 1e-3
    if name == "spin1_driven":  # 1:1 locking to the drive
        assert out["sync_site_max"][0] > 0.01
    if name == "spin1_blockade":  # no ⟨J⁺⟩, two equal maxima at ±π/2; the first is reported
        assert abs(want["coherence"][0]) < 1e-12
        assert out["sync_site_phase"][0] == pytest.approx(-np.pi / 2, abs=1e-9)


@pytest.mark.parametrize("name", sorted(GENERAL_EXAMPLES))
def test_evolve_json_against_qutip(name: str) -> None:
    """GHZ = (|s…s⟩ + |−s…−s⟩)/√2 evolved to t = 0.4 (three output times) against mesolve."""
    symmetry, _, rho0_defined = GENERAL_EXAMPLES[name]
    out = _json(["evolve", str(EXAMPLES / f"{name}.toml"), "--initial", "ghz", "--t-max", "0.4",
                 "--points", "3", "--rtol", "1e-10", "--json"])
    oracle = _oracle(name)
    assert out["kind"] == ("qubits" if oracle.qubits else "spins") and out["dims"] == oracle.dims
    assert out["symmetry"] == symmetry
    h, c_ops = oracle.model()
    times = [0.0, 0.2, 0.4]
    states = qt.mesolve(h, oracle.ghz(), times, c_ops,
                        options={"atol": 1e-12, "rtol": 1e-10}).states
    want = [oracle.measures(rho) for rho in states]
    assert np.allclose(out["magnetization"], [w["magnetization"] for w in want], atol=1e-7)
    coherence = np.array(out["coherence_re"]) + 1j * np.array(out["coherence_im"])
    assert np.allclose(coherence, [w["coherence"] for w in want], atol=1e-7)
    c_pm = np.array(out["c_pm_re"]) + 1j * np.array(out["c_pm_im"])
    j, k = np.triu_indices(oracle.n, 1)
    assert np.allclose(c_pm, [w["flipflop"][j, k].sum() for w in want], atol=1e-7)
    assert np.allclose(out["trace"], 1, atol=1e-9)
    if rho0_defined:
        rho0 = oracle.rho0()
        assert np.allclose(out["fidelity_product"], [qt.fidelity(r, rho0) for r in states], atol=1e-6)
    else:
        assert out["fidelity_product"] is None
    if oracle.qubits:
        assert len(out["sync_total"]) == 3
    else:
        assert out["sync_total"] is None


@pytest.mark.parametrize("initial", ["ghz", "up", "down", "random", "random-mixed"])
def test_evolve_spins_from_every_named_state(initial: str, tmp_path: Path) -> None:
    """Spin networks take every initial state by name; the NetCDF file says what is what."""
    import xarray as xr

    nc = tmp_path / "run.nc"
    out = _json(["evolve", str(EXAMPLES / "mixed_spins.toml"), "--initial", initial, "--seed", "3",
                 "--t-max", "0.2", "--points", "2", "--out", str(nc), "--json"])
    m0 = np.array(out["magnetization"][0])
    s = np.array([0.5, 1, 1.5])
    if initial == "up":
        assert np.allclose(m0, s)
    elif initial == "down":
        assert np.allclose(m0, -s)
    elif initial == "ghz":
        assert np.allclose(m0, 0)
    with xr.open_dataset(nc) as ds:
        assert ds.sizes == {"time": 2, "site": 3, "site_k": 3}
        assert ds.attrs["kind"] == "spins" and json.loads(ds.attrs["dims"]) == [2, 3, 4]
        assert ds.attrs["symmetry"] == "u1"
        assert ds["magnetization"].attrs["description"] == "<J^z_j>"
        assert "J+_j J-_k" in ds["pair_pm_re"].attrs["description"]
        assert "sigma" not in ds["coherence_re"].attrs["description"]
        assert np.all(np.isnan(ds["sync_total"].values)) and "spins" in ds["sync_total"].attrs["undefined"]
        np.testing.assert_allclose(ds["magnetization"].values, out["magnetization"], atol=1e-15)
        np.testing.assert_allclose(ds["coherence_im"].values, out["coherence_im"], atol=1e-15)


def test_netcdf_says_why_fidelity_is_missing(tmp_path: Path) -> None:
    import xarray as xr

    nc = tmp_path / "chain.nc"
    res = runner.invoke(app, ["evolve", str(EXAMPLES / "boundary_driven_chain.toml"), "--t-max", "0.2",
                              "--points", "2", "--out", str(nc)])
    assert res.exit_code == 0, res.stderr
    assert "undefined" in res.stdout  # the human table says so too
    with xr.open_dataset(nc) as ds:
        assert ds.sizes["qubit"] == 6 and ds.attrs["kind"] == "qubits"
        assert np.all(np.isnan(ds["fidelity_product"].values))
        assert "rho0 is undefined" in ds["fidelity_product"].attrs["undefined"]
        assert "undefined" not in ds["sync_total"].attrs
        assert ds["magnetization"].attrs["description"] == "<sigma^z_j>"


def test_evolve_human_output_of_spins_has_no_pauli_labels() -> None:
    res = runner.invoke(app, ["evolve", str(EXAMPLES / "spin1_rb_pair.toml"), "--t-max", "0.2",
                              "--points", "2", "--no-progress"])
    assert res.exit_code == 0, res.stderr
    assert "σ" not in res.stdout and "S_t" not in res.stdout
    assert "Σ⟨Jᶻ_j⟩" in res.stdout and "spins" in res.stdout and "u1" in res.stdout
