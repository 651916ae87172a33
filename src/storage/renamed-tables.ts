import {
  IdentifierNode,
  type KyselyPlugin,
  OperationNodeTransformer,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';

class IdentifierRenamer extends OperationNodeTransformer {
  constructor(private readonly names: Readonly<Record<string, string>>) {
    super();
  }

  protected override transformIdentifier(node: IdentifierNode): IdentifierNode {
    const renamed = this.names[node.name];
    return renamed === undefined ? super.transformIdentifier(node) : IdentifierNode.create(renamed);
  }
}

/**
 * Runs a repository written for some tables on other tables of the same shape (the console's MFA
 * on the portal's MFA repository): every identifier named in `tables` is renamed in the SQL. Only
 * table names go in the map, and ours never coincide with a column name.
 */
export const renamedTables = (tables: Readonly<Record<string, string>>): KyselyPlugin => {
  const renamer = new IdentifierRenamer(tables);
  return {
    transformQuery: (args: PluginTransformQueryArgs): RootOperationNode => renamer.transformNode(args.node),
    transformResult: async (args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> => args.result,
  };
};
