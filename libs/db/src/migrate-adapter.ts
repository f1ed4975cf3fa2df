import type { PrismaPg } from '@prisma/adapter-pg';

const RELABEL = new Map([
  [19, 25], // name -> text
  [1003, 1009], // name[] -> text[]
]);

type TQueryResult = { fields: { dataTypeID: number }[] };
type TQueryable = { performIO: (this: TQueryable, query: unknown) => Promise<TQueryResult> };
const patched = new WeakSet<object>();

/**
 * `migrate deploy` through the wasm schema engine reads catalog columns of type `name`,
 * which the pg adapter cannot map ("Column type 'name' could not be deserialized",
 * prisma/prisma#27403). They are plain text, so relabel them before the adapter maps them.
 * Used by prisma.config.ts only; the runtime client never reads catalog columns.
 */
export function withNameColumnsAsText(factory: PrismaPg): PrismaPg {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    // performIO lives on the adapter's base class, shared with its transactions.
    const queryable = Object.getPrototypeOf(Object.getPrototypeOf(adapter)) as TQueryable;
    if (!patched.has(queryable)) {
      patched.add(queryable);
      const performIO = queryable.performIO;
      queryable.performIO = async function (this: TQueryable, query: unknown) {
        const result = await performIO.call(this, query);
        for (const field of result.fields) field.dataTypeID = RELABEL.get(field.dataTypeID) ?? field.dataTypeID;
        return result;
      };
    }
    return adapter;
  };
  return factory;
}
