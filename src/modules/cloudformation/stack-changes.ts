import type {
  ResourceChange,
  ResourceChangeDetail,
  StackOutput,
  StackResource,
} from './cloudformation.types.js';
import { changedProperties, type ProviderRegistry, requiresReplacement } from './resource-providers.js';
import {
  type EvaluatedTemplate,
  evaluateOutputs,
  evaluateProperties,
  type StackValues,
} from './stack-evaluation.js';
import type { ResourceValues } from './template-intrinsics.js';

/**
 * What applying a template to a stack would change, as a change set shows it: resources added,
 * modified (in place or by replacement) and removed. Values that depend on resources the change
 * itself adds or replaces are not known yet: those properties count as changed, "Dynamic".
 */

const UNKNOWN = '\u0000unknown:';

const containsUnknown = (value: unknown): boolean => {
  if (typeof value === 'string') return value.includes(UNKNOWN);
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (typeof value === 'object' && value !== null) return Object.values(value).some(containsUnknown);
  return false;
};

/** The resources' values, with a marker for those that will change. */
const valuesWithUnknowns = (values: StackValues, changing: ReadonlySet<string>): StackValues => {
  const resources: ResourceValues = {
    ref: (id) => (changing.has(id) ? `${UNKNOWN}${id}` : values.resources.ref(id)),
    attribute: (id, attribute) =>
      changing.has(id) ? `${UNKNOWN}${id}.${attribute}` : values.resources.attribute(id, attribute),
  };
  return { resources, importValue: values.importValue };
};

/** The planned resources, each after the ones it depends on. */
const inDependencyOrder = (evaluated: EvaluatedTemplate): string[] => {
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (id: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    for (const dep of evaluated.plan.dependencies.get(id) ?? []) visit(dep);
    order.push(id);
  };
  for (const resource of evaluated.plan.resources) visit(resource.logicalId);
  return order;
};

export interface StackChanges {
  changes: ResourceChange[];
  /** The outputs the template would give, when they can be known before anything changes. */
  outputsChanged: boolean;
}

export const computeChanges = (
  evaluated: EvaluatedTemplate,
  rows: ReadonlyMap<string, StackResource>,
  values: StackValues,
  providers: ProviderRegistry,
  currentOutputs: readonly StackOutput[],
): StackChanges => {
  const changing = new Set<string>();
  const changes: ResourceChange[] = [];
  const declared = new Map(evaluated.plan.resources.map((r) => [r.logicalId, r]));
  const live = (row: StackResource | undefined): row is StackResource =>
    row !== undefined &&
    row.physicalId !== undefined &&
    row.status !== 'DELETE_COMPLETE' &&
    row.status !== 'DELETE_SKIPPED';
  for (const id of inDependencyOrder(evaluated)) {
    const resource = declared.get(id);
    if (resource === undefined) continue;
    const row = rows.get(id);
    if (!live(row)) {
      changing.add(id);
      changes.push({ action: 'Add', logicalId: id, resourceType: resource.type, scope: [], details: [] });
      continue;
    }
    const provider = providers.get(resource.type);
    if (row.type !== resource.type || provider === undefined) {
      changing.add(id);
      changes.push({
        action: 'Modify',
        logicalId: id,
        physicalId: row.physicalId,
        resourceType: resource.type,
        replacement: 'True',
        scope: [],
        details: [],
      });
      continue;
    }
    let properties: Record<string, unknown> | undefined;
    try {
      properties = evaluateProperties(evaluated, resource, valuesWithUnknowns(values, changing));
    } catch {
      properties = undefined;
    }
    if (properties === undefined) {
      // Not evaluable before the change runs (it will fail or resolve then): a dynamic modification.
      changes.push({
        action: 'Modify',
        logicalId: id,
        physicalId: row.physicalId,
        resourceType: resource.type,
        replacement: 'Conditional',
        scope: ['Properties'],
        details: [],
      });
      changing.add(id);
      continue;
    }
    const changed = changedProperties(row.properties, properties);
    if (changed.length === 0) continue;
    const replaces = requiresReplacement(provider, changed);
    const dynamic = changed.filter((name) => containsUnknown(properties?.[name]));
    const conditional =
      replaces &&
      changed.every((name) => dynamic.includes(name) || provider.properties[name]?.replace !== true);
    const details: ResourceChangeDetail[] = changed.map((name) => ({
      attribute: 'Properties',
      name,
      requiresRecreation:
        provider.properties[name]?.replace === true || provider.update === undefined ? 'Always' : 'Never',
      evaluation: dynamic.includes(name) ? 'Dynamic' : 'Static',
      changeSource: dynamic.includes(name) ? 'ResourceAttribute' : 'DirectModification',
    }));
    if (replaces) changing.add(id);
    changes.push({
      action: 'Modify',
      logicalId: id,
      physicalId: row.physicalId,
      resourceType: resource.type,
      replacement: replaces ? (conditional && dynamic.length > 0 ? 'Conditional' : 'True') : 'False',
      scope: ['Properties'],
      details,
    });
  }
  for (const row of rows.values()) {
    if (declared.has(row.logicalId) || !live(row)) continue;
    changes.push({
      action: 'Remove',
      logicalId: row.logicalId,
      physicalId: row.physicalId,
      resourceType: row.type,
      scope: [],
      details: [],
    });
  }
  let outputsChanged = true;
  try {
    const outputs = evaluateOutputs(evaluated, valuesWithUnknowns(values, changing));
    outputsChanged =
      outputs.length !== currentOutputs.length ||
      outputs.some((o) => {
        const current = currentOutputs.find((c) => c.key === o.key);
        return (
          current === undefined ||
          current.value !== o.value ||
          current.description !== o.description ||
          current.exportName !== o.exportName
        );
      });
  } catch {
    outputsChanged = true;
  }
  return { changes, outputsChanged };
};
