/**
 * How enum members are spelled on the wire. `csdl` is the official CSDL/SDK spelling (the default);
 * `documented` uses the long names from Microsoft's beta resource page (DOCUMENTED_ENUM_SPELLINGS), for
 * clients generated from that page. Input accepts both everywhere (see `readEnumMember`).
 */
import type { EnumType } from '../../model/model.js';
import { DOCUMENTED_ENUM_SPELLINGS } from '../../model/security-ti.js';

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
      const alt = mode === 'documented' ? DOCUMENTED_ENUM_SPELLINGS[type.qualifiedName] : undefined;
      list = [];
      for (const m of type.members) list[m.value] = alt?.[m.name] ?? m.name;
      cache.set(type, list);
    }
    return list;
  };
  return {
    mode,
    write(type, value, includeUnknownMembers) {
      if (!includeUnknownMembers && type.sentinelValue !== undefined && value > type.sentinelValue) return 'unknownFutureValue';
      return names(type)[value] ?? String(value);
    },
  };
}

/** Resolves a member name in either spelling, case-insensitively. */
export function readEnumMember(type: EnumType, name: string): number | undefined {
  const direct = type.memberByName(name);
  if (direct) return direct.value;
  const alt = DOCUMENTED_ENUM_SPELLINGS[type.qualifiedName];
  if (!alt) return undefined;
  const lower = name.toLowerCase();
  const entry = Object.entries(alt).find(([, documented]) => documented.toLowerCase() === lower);
  return entry ? type.memberByName(entry[0])?.value : undefined;
}
