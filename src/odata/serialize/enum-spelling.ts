/**
 * How enum members are spelled on the wire. `csdl` is the official CSDL/SDK spelling (the default);
 * `documented` uses the long names from Microsoft's beta resource page (the enum type's `documentedNames`), for
 * clients generated from that page. Input accepts both everywhere (the model's `memberByAnyName`).
 */
import { ENUM_SENTINEL, type EnumType } from '../../model/model.js';

export type EnumSpellingMode = 'csdl' | 'documented';

export interface EnumSpelling {
  readonly mode: EnumSpellingMode;
  /** Wire name of a stored member value; values past `unknownFutureValue` are masked unless asked for. */
  write(type: EnumType, value: number, includeUnknownMembers: boolean): string;
}

export function createEnumSpelling(mode: EnumSpellingMode): EnumSpelling {
  const cache = new Map<EnumType, string[]>();
  const names = (type: EnumType): string[] => {
    let list = cache.get(type);
    if (!list) {
      const alt = mode === 'documented' ? type.documentedNames : undefined;
      list = [];
      for (const m of type.members) list[m.value] = alt?.[m.name] ?? m.name;
      cache.set(type, list);
    }
    return list;
  };
  return {
    mode,
    write(type, value, includeUnknownMembers) {
      if (!includeUnknownMembers && type.sentinelValue !== undefined && value > type.sentinelValue) return ENUM_SENTINEL;
      return names(type)[value] ?? String(value);
    },
  };
}

/** Resolves a member name in either spelling, case-insensitively. */
export function readEnumMember(type: EnumType, name: string): number | undefined {
  return type.memberByAnyName(name)?.value;
}
