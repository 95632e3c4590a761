import { periodOf, type ReleasePeriod } from './release';
import { cellRange, type Line, type Table } from './suppression';

/*
 * Cheap proof that a withheld cell is protected, before any linear program: a *witness* is a
 * change of withheld cells by ±1 each that keeps every line adding up (a vector of the lines'
 * kernel supported on withheld cells). Moving the true table along it by t keeps every line,
 * so as long as every withheld cell stays ≥ 1 the attacker cannot tell the moved table from the
 * true one. Moving along one witness after another (each as far as its decreasing cells allow)
 * reaches a table where the cell is `up` higher, and likewise one where it is `down` lower: its
 * feasible interval contains [value − down, value + up]. The LP (`feasibleIntervals`) is then solved only for the cells no witness
 * proves wide enough; a witness never overstates an interval, so the LP audit's guarantee holds.
 *
 * The release's tables are a product of two hierarchies — divisions (city = Σ counties, county =
 * Σ townships) and periods (year = Σ its months) — and the product of a kernel vector of each is a
 * kernel vector of the table: those products (the "rectangles" of τ-ARGUS's hypercube method,
 * with chains through the hierarchy) are the witnesses tried. Every candidate is checked against
 * the table's actual lines, so a table that is not such a product only yields fewer witnesses.
 */

/** A hierarchy (one dimension of the table): each node's parent line and its parts. */
interface Tree {
  parent: Map<string, string>;
  children: Map<string, string[]>;
}

const split = (id: string): [string, string] => {
  const at = id.lastIndexOf('@');
  return [id.slice(0, at), id.slice(at + 1)];
};

/**
 * The hierarchies of a table's lines: a line whose cells share a period is a division line, one
 * whose cells share a division a period line. Division lines are kept per kind of period: a measure
 * may have more levels in years than in months (grids), and a chain down a month's hierarchy ends
 * where the month's lines do.
 */
function treesOf(lines: readonly Line[]): { divisions: Record<ReleasePeriod, Tree>; periods: Tree } {
  const divisions: Record<ReleasePeriod, Tree> = { month: { parent: new Map(), children: new Map() }, year: { parent: new Map(), children: new Map() } };
  const periods: Tree = { parent: new Map(), children: new Map() };
  for (const line of lines) {
    const [code, period] = split(line.total);
    const parts = line.parts.map(split);
    const [tree, total, nodes] = parts.every(([, p]) => p === period)
      ? [divisions[periodOf(period)], code, parts.map(([c]) => c)]
      : parts.every(([c]) => c === code)
        ? [periods, period, parts.map(([, p]) => p)]
        : [null, '', []];
    if (!tree) continue;
    const known = new Set(tree.children.get(total) ?? []);
    for (const n of nodes) {
      known.add(n);
      tree.parent.set(n, total);
    }
    tree.children.set(total, [...known]);
  }
  return { divisions, periods };
}

/** Caps the candidates tried per cell: past it the LP decides. */
const MAX_CHAINS = 64;

/** Paths from `node` down to a leaf, every node on it `ok` (a node's +1 is balanced by one child's +1). */
function downChains(tree: Tree, node: string, ok: (n: string) => boolean): string[][] {
  if (!ok(node)) return [];
  const kids = tree.children.get(node);
  if (!kids?.length) return [[node]];
  const out: string[][] = [];
  for (const k of kids) {
    for (const chain of downChains(tree, k, ok)) {
      out.push([node, ...chain]);
      if (out.length >= MAX_CHAINS) return out;
    }
  }
  return out;
}

/**
 * Elementary kernel vectors of a hierarchy through `node` (+1 there): a chain down from it, then
 * up through ancestors (+1 each) until either the root or a sibling of the last one, which goes
 * −1 with a chain of its own down.
 */
function kernelVectors(tree: Tree, node: string, ok: (n: string) => boolean): Array<Map<string, number>> {
  const out: Array<Map<string, number>> = [];
  for (const chain of downChains(tree, node, ok)) {
    const plus: string[] = [...chain];
    for (let at = node; ;) {
      const parent = tree.parent.get(at);
      if (parent === undefined) {
        out.push(new Map(plus.map((n) => [n, 1])));
        break;
      }
      for (const sibling of tree.children.get(parent)!) {
        if (sibling === at) continue;
        for (const minus of downChains(tree, sibling, ok))
          out.push(new Map([...plus.map((n): [string, number] => [n, 1]), ...minus.map((n): [string, number] => [n, -1])]));
      }
      if (!ok(parent) || out.length >= MAX_CHAINS) break;
      plus.push(parent);
      at = parent;
    }
  }
  return out;
}

/**
 * For every withheld cell, the widest interval around its value that witnesses prove
 * (`[value − down, value + up]`, up may be Infinity), stopping at `protection`; cells with no
 * witness get `[value, value]`. A lower bound on the LP's feasible interval.
 */
export function witnessedIntervals(table: Table, withheld: ReadonlySet<string>, protection: number): Map<string, [number, number]> {
  const { divisions, periods } = treesOf(table.lines);
  /** The divisions with period lines (year = Σ months): the others have no chain through the periods. */
  const timed = new Set(table.lines.filter((l) => l.parts.every((p) => split(p)[0] === split(l.total)[0])).map((l) => split(l.total)[0]));
  const linesOf = new Map<string, Line[]>();
  for (const line of table.lines)
    for (const id of [line.total, ...line.parts]) {
      if (!withheld.has(id)) continue;
      const list = linesOf.get(id) ?? [];
      list.push(line);
      linesOf.set(id, list);
    }
  const value = (id: string) => table.values.get(id) ?? 0;
  /** Every line touching the move still adds up. */
  const balanced = (move: ReadonlyMap<string, number>) => {
    for (const id of move.keys())
      for (const line of linesOf.get(id) ?? []) if (line.parts.reduce((s, p) => s + (move.get(p) ?? 0), 0) !== (move.get(line.total) ?? 0)) return false;
    return true;
  };
  const out = new Map<string, [number, number]>();
  for (const id of withheld) {
    const [code, period] = split(id);
    // Two points of the attacker's feasible set, moved from the true table along witness after witness: one raising the cell, one lowering it.
    const raised = new Map<string, number>();
    const lowered = new Map<string, number>();
    let up = 0;
    let down = 0;
    const hiddenAt = (c: string, ps: readonly string[]) => ps.every((p) => withheld.has(`${c}@${p}`));
    /** How far `point` may move along `move` (times `sign`) with every withheld cell staying within its range (≥ 1, and the order of measures); moves it that far. */
    const push = (point: Map<string, number>, move: ReadonlyMap<string, number>, sign: number) => {
      let t = Infinity;
      for (const [cell, a] of move) {
        const [lo, hi] = cellRange(table, cell);
        const at = point.get(cell) ?? value(cell);
        t = Math.min(t, a * sign < 0 ? at - lo : hi - at);
      }
      if (t > 0 && Number.isFinite(t)) for (const [cell, a] of move) point.set(cell, (point.get(cell) ?? value(cell)) + a * sign * t);
      return t;
    };
    // A division with no period lines (a grid's year, a county's year of a measure without months) moves in its one period alone.
    const moves = timed.has(code) ? kernelVectors(periods, period, (p) => withheld.has(`${code}@${p}`)) : [new Map([[period, 1]])];
    search: for (const w of moves) {
      const ps = [...w.keys()];
      // A move through a month follows the months' hierarchy (a move through a year only is checked against the years' lines too, by `balanced`).
      const tree = divisions[ps.some((p) => periodOf(p) === 'month') ? 'month' : 'year'];
      for (const u of kernelVectors(tree, code, (c) => hiddenAt(c, ps))) {
        const move = new Map<string, number>();
        for (const [c, a] of u) for (const [p, b] of w) move.set(`${c}@${p}`, a * b);
        if (!balanced(move)) continue;
        up += push(raised, move, 1);
        down += push(lowered, move, -1);
        if (up + down >= protection) break search;
      }
    }
    out.set(id, [value(id) - down, value(id) + up]);
  }
  return out;
}

/**
 * For every withheld cell, an interval its feasible interval lies within, from the lines with every
 * withheld cell ≥ 1, propagated through withheld totals: a part of a line can rise only as far
 * as the other withheld parts can fall (value − 1 each) plus as far as the total can rise (0 when
 * published); a total can rise only as far as its withheld parts together. Likewise a part can
 * fall only as far as the total can fall plus the other parts can rise, a total only as far as its
 * parts can fall, and no cell below 1. Iterated to a fixed point (each step keeps a valid bound).
 * An upper bound on the LP's interval: a cell narrower than the protection range here is narrow
 * without solving.
 */
export function lineBoundedIntervals(table: Table, withheld: ReadonlySet<string>): Map<string, [number, number]> {
  const value = (id: string) => table.values.get(id) ?? 0;
  const lines = table.lines.filter((l) => withheld.has(l.total) || l.parts.some((p) => withheld.has(p)));
  /** How far each withheld cell can fall with every withheld cell ≥ 1 (value − 1): where a fall starts, and what a rise of another part is bounded by. */
  const slack = new Map<string, number>([...withheld].map((id) => [id, value(id) - cellRange(table, id)[0]]));
  const up = new Map<string, number>([...withheld].map((id) => [id, cellRange(table, id)[1] - value(id)]));
  const down = new Map(slack);
  /** The bounds of the withheld cells among `ids` other than `self`, summed (a published cell cannot move). */
  const room = (ids: readonly string[], self: string, bound: Map<string, number>) =>
    ids.reduce((s, id) => s + (id !== self && withheld.has(id) ? bound.get(id)! : 0), 0);
  const tighten = (bounds: Map<string, number>, id: string, to: number) => {
    if (to < bounds.get(id)! - 1e-9) {
      bounds.set(id, to);
      return true;
    }
    return false;
  };
  /** Tightens `bounds` (how far each cell can move one way) to a fixed point: a part by its total's bound plus the other parts' `others` (how far they can move the other way), a total by its parts' bounds. */
  const settle = (bounds: Map<string, number>, others: Map<string, number>) => {
    for (let changed = true, rounds = 0; changed && rounds < 50; rounds++) {
      changed = false;
      for (const line of lines) {
        const total = withheld.has(line.total) ? bounds.get(line.total)! : 0;
        for (const p of line.parts) if (withheld.has(p) && tighten(bounds, p, total + room(line.parts, p, others))) changed = true;
        if (withheld.has(line.total) && tighten(bounds, line.total, room(line.parts, line.total, bounds))) changed = true;
      }
    }
  };
  settle(up, slack);
  settle(down, up);
  return new Map([...withheld].map((id) => [id, [value(id) - down.get(id)!, value(id) + up.get(id)!]]));
}
