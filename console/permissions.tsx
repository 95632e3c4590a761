import { useState, type ReactNode } from 'react';
import type { Answer } from './compare';

interface TypePermissions {
  type: string;
  visible: boolean;
  jurisdiction: string[];
  fields: Array<{ field: string; rule: string; sensitive: boolean }>;
}

const MY_PERMISSIONS = 'query MyPermissions($type: String!) { myPermissions(type: $type) { type visible jurisdiction fields { field rule sensitive } } }';

/** The cell's colour: the rule's first word says allow, mask or deny (the rest is its condition). */
function outcome(rule: string): string {
  const first = /^(allow|mask|deny)/.exec(rule)?.[1];
  return first === 'allow' ? 'hub-value' : first === 'mask' ? 'hub-masked' : 'hub-denied';
}

/**
 * The policy as a matrix for one type: its sensitive fields × the agencies, each cell the rule in
 * words (allow / mask / deny and its condition), as each agency's own `myPermissions` states it.
 */
export function PermissionsPanel(props: {
  agencies: string[];
  run: (agency: string, request: { query: string; variables: Record<string, unknown> }) => Promise<Answer>;
  onClose: () => void;
}): ReactNode {
  const [type, setType] = useState('Person');
  const [matrix, setMatrix] = useState<Array<{ agency: string; permissions: TypePermissions | null; problem?: string }>>([]);
  const [running, setRunning] = useState(false);
  const load = async () => {
    setRunning(true);
    try {
      const answers = await Promise.all(props.agencies.map((agency) => props.run(agency, { query: MY_PERMISSIONS, variables: { type } })));
      setMatrix(
        answers.map((a) => ({
          agency: a.agency,
          permissions: (a.result.data?.myPermissions as TypePermissions | undefined) ?? null,
          problem: a.result.errors?.[0]?.message,
        })),
      );
    } finally {
      setRunning(false);
    }
  };
  const fields = [...new Set(matrix.flatMap((m) => m.permissions?.fields.map((f) => f.field) ?? []))];
  return (
    <div className="hub-compare" data-testid="permissions-panel">
      <div className="hub-compare-bar">
        <strong>Permissions</strong>
        <label>
          Type <input data-testid="permissions-type" value={type} onChange={(e) => setType(e.target.value.trim())} size={18} />
        </label>
        <button type="button" data-testid="permissions-run" disabled={running || !type} onClick={() => void load()}>
          {running ? 'Loading…' : 'Show the policy for each agency'}
        </button>
        <span className="hub-legend">
          <span className="hub-value">allow</span> <span className="hub-masked">mask</span> <span className="hub-denied">deny</span>
        </span>
        <button type="button" className="hub-close" aria-label="Close the permissions" onClick={props.onClose}>
          ×
        </button>
      </div>
      <div className="hub-columns">
        {matrix.length ? (
          <table className="hub-matrix" data-testid="permissions-matrix">
            <thead>
              <tr>
                <th>{type}</th>
                {matrix.map((m) => (
                  <th key={m.agency}>{m.agency}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              <tr>
                <td>other fields</td>
                {matrix.map((m) => (
                  <td key={m.agency} className={m.permissions?.visible ? 'hub-value' : 'hub-denied'}>
                    {m.permissions ? (m.permissions.visible ? 'allow' : 'deny') : (m.problem ?? 'no answer')}
                  </td>
                ))}
              </tr>
              {fields.map((field) => (
                <tr key={field} data-field={field}>
                  <td>{field}</td>
                  {matrix.map((m) => {
                    const rule = m.permissions?.fields.find((f) => f.field === field)?.rule ?? '';
                    return (
                      <td key={m.agency} data-agency={m.agency} className={outcome(rule)}>
                        {rule}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </div>
    </div>
  );
}
