"""The LP relaxation of a built model, solved with GLOP: a proven bound, and
fractional values that point the search at good plans. The solve uses the
compact LP over the candidate triples (`solver/compact_lp.py`) instead: this
one, over every constraint of the whole model, is tighter but took 10-30 s
on M; it stays for comparison and for the GLOP call both share.

The relaxation is read from the CP-SAT model itself (linear constraints,
at-most-one, exactly-one, implications, clauses), so it relaxes exactly the
constraints CP-SAT solves; constraints it cannot express linearly (products,
min/max, enforced linear constraints) are left out, which only loosens it.

Why the bound is valid whatever GLOP returns: for the integer objective
max c·x subject to lo <= A·x <= hi and l <= x <= u, and any multipliers y
(y_i > 0 used with hi_i, y_i < 0 with lo_i, else 0),

    c·x = y·A·x + (c - y·A)·x <= Σ_i y_i·(hi_i or lo_i) + Σ_j max((c - yA)_j·l_j, (c - yA)_j·u_j)

holds for every feasible x (weak Lagrangian duality), integer or not. GLOP's
duals only make it tight; the sum is evaluated in float64 with a margin far
above its rounding error and rounded down (an integer plan has an integer
objective). The caller adds the objective's own rounding error
(`ScaledObjective.error`) when turning it into a score.
"""

from __future__ import annotations

import math
import time
from collections.abc import Container, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt
from ortools.linear_solver import linear_solver_pb2  # type: ignore[attr-defined]
from ortools.linear_solver.python import model_builder_helper

from .objective import ScaledObjective

#: relative margin added to the bound for float64 rounding in its evaluation
_FLOAT_MARGIN = 1e-9
_INF = math.inf
#: GLOP settings tried in turn while one stops with numerical trouble: the
#: dual simplex with perturbed costs is fastest on these (degenerate) models
GLOP_SETTINGS = (
    "use_dual_simplex: true, perturb_costs_in_dual_simplex: true",
    "use_dual_simplex: true",
    "",
)


#: the largest objective coefficient GLOP is given (see `solve_relaxation`)
OBJECTIVE_LIMIT = 1e6


@dataclass(frozen=True)
class LpRelaxation:
    #: proven upper bound on the integer objective (the raw, scaled one)
    bound: float
    #: the LP's value of each model variable, by proto index
    values: npt.NDArray[np.float64]
    #: (c - yA) of each variable for the multipliers of `bound`: a plan with
    #: a 0/1 variable j at 1 has an objective of at most bound + reduced[j]
    #: when reduced[j] < 0 (and the variable's LP lower bound is 0)
    reduced: npt.NDArray[np.float64]
    optimal: bool


@dataclass
class _Rows:
    """Sparse rows lo <= Σ coef·var <= hi, gathered from the CP-SAT proto."""

    starts: list[int]
    indices: list[int]
    coefs: list[float]
    lo: list[float]
    hi: list[float]

    def add(self, lits: list[tuple[int, float]], lo: float, hi: float) -> None:
        """A row over literals: (proto literal, coefficient); a negated
        literal ~x is 1 - x, its constant moving into the sides."""
        constant = 0.0
        for lit, coef in lits:
            if lit >= 0:
                self.indices.append(lit)
                self.coefs.append(coef)
            else:
                self.indices.append(-lit - 1)
                self.coefs.append(-coef)
                constant += coef
        self.starts.append(len(self.indices))
        self.lo.append(lo - constant)
        self.hi.append(hi - constant)


_KINDS = ("linear", "at_most_one", "exactly_one", "bool_and", "bool_or")


def _kind(ct: object) -> str | None:
    """Which constraint `ct` is. OR-Tools up to 9.14 hands out protobuf
    messages (a `WhichOneof`); 9.15 its own proto wrapper (`has_<kind>()`)."""
    which = getattr(ct, "WhichOneof", None)
    if which is not None:
        kind = which("constraint")
        return kind if kind in _KINDS else None
    for kind in _KINDS:
        if getattr(ct, f"has_{kind}")():
            return kind
    return None


def _ends(domain: object) -> tuple[float, float]:
    """The hull of a CP-SAT domain (a flat list of intervals; the proto
    wrapper takes no negative indices), infinite beyond int64's half range."""
    values = list(domain)  # type: ignore[call-overload]
    lo, hi = values[0], values[len(values) - 1]
    return (-_INF if lo <= -(2**62) else float(lo), _INF if hi >= 2**62 else float(hi))


def _relaxation_rows(
    model_proto: object, skip: Sequence[range], keep_named: Container[str] = ()
) -> _Rows:
    rows = _Rows([0], [], [], [], [])
    skipped = set().union(*skip) if skip else set()
    for index, ct in enumerate(model_proto.constraints):  # type: ignore[attr-defined]
        if index in skipped and ct.name not in keep_named:
            continue  # left out: a relaxation
        kind = _kind(ct)
        enforced = list(ct.enforcement_literal)
        if kind == "linear":
            if enforced:
                continue  # left out: a relaxation
            lo, hi = _ends(ct.linear.domain)
            rows.add(list(zip(ct.linear.vars, map(float, ct.linear.coeffs), strict=True)), lo, hi)
        elif kind in ("at_most_one", "exactly_one"):
            literals = getattr(ct, kind).literals
            if not enforced:
                rows.add([(lit, 1.0) for lit in literals], 1.0 if kind == "exactly_one" else -_INF, 1.0)
        elif kind == "bool_and":
            if len(enforced) == 1:  # e => l: e - l <= 0
                for lit in ct.bool_and.literals:
                    rows.add([(enforced[0], 1.0), (lit, -1.0)], -_INF, 0.0)
        elif kind == "bool_or":
            if not enforced:
                rows.add([(lit, 1.0) for lit in ct.bool_or.literals], 1.0, _INF)
        # products, min/max and the rest: left out (a relaxation)
    return rows


def solve_relaxation(
    model_proto: object, objective: ScaledObjective, time_limit: float,
    skip: Sequence[range] = (), keep_named: Container[str] = (),
) -> LpRelaxation | None:
    """The LP relaxation's proven bound and values; None when GLOP finds no
    usable duals in time (no bound is claimed then). The constraints at the
    indices in `skip` are left out (a looser, faster relaxation), except
    those named in `keep_named`."""
    if time_limit <= 0:
        return None
    deadline = time.monotonic() + time_limit
    variables = model_proto.variables  # type: ignore[attr-defined]
    n = len(variables)
    ends = [_ends(v.domain) for v in variables]
    lower = np.array([lo for lo, _ in ends], dtype=np.float64)
    upper = np.array([hi for _, hi in ends], dtype=np.float64)
    cost = np.zeros(n, dtype=np.float64)
    for var, coef in zip(objective.variables, objective.coefficients, strict=True):
        cost[var.index] += coef
    rows = _relaxation_rows(model_proto, skip, keep_named)

    # GLOP before OR-Tools 9.15 stops "abnormal" on objective coefficients of
    # 10^9 (the integer objective's cover terms); it solves the same LP with
    # the objective scaled down (the bound is then worked out from the duals
    # scaled back, so its validity does not depend on this)
    largest = float(np.max(np.abs(cost))) if n else 0.0
    scale = OBJECTIVE_LIMIT / largest if largest > OBJECTIVE_LIMIT else 1.0
    request = linear_solver_pb2.MPModelRequest()
    request.solver_type = linear_solver_pb2.MPModelRequest.GLOP_LINEAR_PROGRAMMING
    lp = request.model
    lp.maximize = True
    for j in range(n):
        var = lp.variable.add()
        var.lower_bound = lower[j]
        var.upper_bound = upper[j]
        var.objective_coefficient = cost[j] * scale
    for i in range(len(rows.lo)):
        ct = lp.constraint.add()
        begin, end = rows.starts[i], rows.starts[i + 1]
        ct.var_index.extend(rows.indices[begin:end])
        ct.coefficient.extend(rows.coefs[begin:end])
        ct.lower_bound = rows.lo[i]
        ct.upper_bound = rows.hi[i]

    response = _solve_glop(request, deadline)
    if response is None or len(response.dual_value) != len(rows.lo) or len(response.variable_value) != n:
        return None
    # duals of the scaled objective, back to the model's own
    duals = np.array(response.dual_value, dtype=np.float64) / scale
    # the sign convention of the duals does not matter: both are tried and
    # each gives a valid bound
    bound, reduced = min(_lagrangian_bound(rows, cost, lower, upper, duals),
                         _lagrangian_bound(rows, cost, lower, upper, -duals), key=lambda b: b[0])
    if not math.isfinite(bound):
        return None
    optimal = response.status == linear_solver_pb2.MPSOLVER_OPTIMAL
    values = np.array(response.variable_value, dtype=np.float64)
    return LpRelaxation(bound, values, reduced, optimal)


def _solve_glop(
    request: linear_solver_pb2.MPModelRequest, deadline: float
) -> linear_solver_pb2.MPSolutionResponse | None:
    for parameters in GLOP_SETTINGS:
        request.solver_time_limit_seconds = deadline - time.monotonic()
        if request.solver_time_limit_seconds <= 0:
            return None
        request.solver_specific_parameters = parameters
        response = linear_solver_pb2.MPSolutionResponse()
        # this entry point releases the GIL while GLOP runs (pywraplp's
        # SolveWithProto does not), so the search can go on beside it
        helper = model_builder_helper.ModelSolverHelper("glop")
        response.ParseFromString(helper.solve_serialized_request(request.SerializeToString()))
        if response.status != linear_solver_pb2.MPSOLVER_ABNORMAL:
            return response
    return None


class SparseRows(Protocol):
    """Rows lo <= Σ coef·var <= hi in compressed form (`_Rows`, `compact_lp._Lp`)."""

    starts: list[int]
    indices: list[int]
    coefs: list[float]
    lo: list[float]
    hi: list[float]


def _lagrangian_bound(
    rows: SparseRows, cost: npt.NDArray[np.float64], lower: npt.NDArray[np.float64],
    upper: npt.NDArray[np.float64], duals: npt.NDArray[np.float64], integral: bool = True,
) -> tuple[float, npt.NDArray[np.float64]]:
    """max cost·x over lo <= A·x <= hi, lower <= x <= upper is at most
    Σ_i y_i·(hi_i or lo_i) + Σ_j max((c - yA)_j·lower_j, (c - yA)_j·upper_j)
    for the multipliers y of `duals` (one whose side is infinite dropped);
    also the reduced costs c - yA. `integral`: the objective of an integer
    plan is an integer, so the bound is rounded down. `rows` is anything
    with `starts`, `indices`, `coefs`, `lo` and `hi` (`compact_lp` too)."""
    lo = np.array(rows.lo, dtype=np.float64)
    hi = np.array(rows.hi, dtype=np.float64)
    # a multiplier whose side is infinite would void the inequality: drop it
    y = np.where((duals > 0) & np.isfinite(hi), duals, 0.0)
    y = np.where((duals < 0) & np.isfinite(lo), duals, y)
    side = np.where(y > 0, hi, lo)
    constant_terms = np.where(y != 0, y * np.where(np.isfinite(side), side, 0.0), 0.0)
    starts = np.array(rows.starts, dtype=np.int64)
    row_of_entry = np.repeat(np.arange(len(rows.lo)), np.diff(starts))
    reduced = cost.copy()
    np.subtract.at(reduced, np.array(rows.indices, dtype=np.int64),
                   y[row_of_entry] * np.array(rows.coefs, dtype=np.float64))
    column_terms = np.maximum(reduced * lower, reduced * upper)
    total = float(np.sum(constant_terms) + np.sum(column_terms))
    size = float(np.sum(np.abs(constant_terms)) + np.sum(np.abs(column_terms)))
    if not math.isfinite(total):
        return math.inf, reduced
    if not integral:
        return total + _FLOAT_MARGIN * size + 1e-6, reduced
    return float(math.floor(total + _FLOAT_MARGIN * size + 1e-6)), reduced
