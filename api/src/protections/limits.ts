/** Query depth / size limit as a GraphQL validation rule. */
import {
  type ASTVisitor,
  type FragmentDefinitionNode,
  GraphQLError,
  Kind,
  type SelectionSetNode,
  type ValidationContext,
} from "graphql";

/** Rejects operations deeper than maxDepth or selecting more than maxFields fields (fragments expanded). */
export function queryLimits(maxDepth: number, maxFields: number) {
  return (context: ValidationContext): ASTVisitor => {
    const doc = context.getDocument();
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    return {
      OperationDefinition(node) {
        let fields = 0;
        let tooBig = false;
        const walk = (set: SelectionSetNode, depth: number, seen: Set<string>): number => {
          let max = depth;
          for (const sel of set.selections) {
            if (tooBig) return max;
            if (sel.kind === Kind.FIELD) {
              if (!sel.name.value.startsWith("__")) fields += 1;
              if (fields > maxFields) tooBig = true;
              if (sel.selectionSet) max = Math.max(max, walk(sel.selectionSet, depth + 1, seen));
            } else if (sel.kind === Kind.INLINE_FRAGMENT) {
              max = Math.max(max, walk(sel.selectionSet, depth, seen));
            } else {
              const name = sel.name.value;
              const frag = fragments.get(name);
              if (frag && !seen.has(name))
                max = Math.max(max, walk(frag.selectionSet, depth, new Set([...seen, name])));
            }
          }
          return max;
        };
        const depth = walk(node.selectionSet, 1, new Set());
        if (depth > maxDepth) {
          context.reportError(
            new GraphQLError(`query depth ${depth} exceeds the limit of ${maxDepth}`, {
              nodes: [node],
              extensions: { code: "QUERY_TOO_COMPLEX" },
            }),
          );
        }
        if (tooBig) {
          context.reportError(
            new GraphQLError(`query selects more than ${maxFields} fields`, {
              nodes: [node],
              extensions: { code: "QUERY_TOO_COMPLEX" },
            }),
          );
        }
      },
    };
  };
}
