/**
 * Query plans: what the store must fetch, in model terms (no SQL, no tables). Built from a bound request by
 * `build-query-plan.ts`; compiled to SQL per dialect by storage/sql.
 */
import type { EntityType, NavigationProperty } from '../../model/model.js';
import type { ParentScope } from '../../model/records.js';
import type { BoolNode, OrderByItem, SearchNode } from '../bind/semantic-tree.js';


export type SortValue = string | number | null;

export interface CollectionQuery {
  readonly kind: 'collection';
  readonly type: EntityType;
  readonly parent: ParentScope | undefined;
  readonly filter: BoolNode | undefined;
  readonly search: SearchNode | undefined;
  /** Always ends with the key, so the order is total and keyset paging is stable. */
  readonly orderBy: readonly OrderByItem[];
  /** Keyset position: the sort values of the last row of the previous page. */
  readonly after: readonly SortValue[] | undefined;
  readonly skip: number;
  readonly limit: number;
  readonly expand: readonly NavigationProperty[];
}

export interface EntityQuery {
  readonly kind: 'entity';
  readonly type: EntityType;
  readonly key: string;
  readonly parent: ParentScope | undefined;
  readonly expand: readonly NavigationProperty[];
}

export interface CountQuery {
  readonly kind: 'count';
  readonly type: EntityType;
  readonly parent: ParentScope | undefined;
  readonly filter: BoolNode | undefined;
  readonly search: SearchNode | undefined;
}
