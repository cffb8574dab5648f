/**
 * tigraph's own additions to the served model (not in Microsoft's CSDL): the bulk import action bound to
 * threatIntelligence and the import jobs it creates. Declared like every Graph type, so that routing, binding,
 * storage, serialization and $metadata treat them as the rest; marked `extension` so the comparison with the
 * official CSDL leaves them out.
 *
 *   POST …/threatIntelligence/microsoft.graph.security.import[?format=&profile=&source=&strict=&name=]  → 202, importJob
 *   GET  …/threatIntelligence/importJobs, …/importJobs/{id}                                            → importJob(s)
 */
import { complexType, entityType, enumType, SECURITY_NAMESPACE } from './declare.js';
import type { ActionDecl } from './edm.js';

const NN = false;
const EXT = { extension: true } as const;

/** `interrupted`: the server stopped while the job ran (whole batches written before stay written). */
export const importJobStatus = enumType('importJobStatus', ['notStarted', 'running', 'succeeded', 'failed', 'interrupted', 'unknownFutureValue'], true);

export const importProfileCounts = complexType(
  'importProfileCounts',
  [
    { name: 'created', type: 'Edm.Int32', nullable: NN },
    { name: 'updated', type: 'Edm.Int32', nullable: NN },
    { name: 'unchanged', type: 'Edm.Int32', nullable: NN },
  ],
  SECURITY_NAMESPACE,
  true,
);
export const importIndicatorCounts = complexType(
  'importIndicatorCounts',
  [
    { name: 'created', type: 'Edm.Int32', nullable: NN },
    { name: 'updated', type: 'Edm.Int32', nullable: NN },
    { name: 'unchanged', type: 'Edm.Int32', nullable: NN },
    { name: 'withoutProfile', type: 'Edm.Int32', nullable: NN },
  ],
  SECURITY_NAMESPACE,
  true,
);
/** Records skipped or rejected for one reason: how many, and the positions of the first few. */
export const importReason = complexType(
  'importReason',
  [
    { name: 'reason', type: 'Edm.String', nullable: NN },
    { name: 'count', type: 'Edm.Int32', nullable: NN },
    { name: 'positions', type: 'Collection(Edm.String)' },
  ],
  SECURITY_NAMESPACE,
  true,
);
export const importReasons = complexType(
  'importReasons',
  [
    { name: 'count', type: 'Edm.Int32', nullable: NN },
    { name: 'reasons', type: 'Collection(self.importReason)' },
  ],
  SECURITY_NAMESPACE,
  true,
);
/** Where one input's indicators went: the profile, the rule that matched it (`new`, `id`, `title`, `alias "…"`, `--profile`). */
export const importPlacement = complexType(
  'importPlacement',
  [
    { name: 'profileId', type: 'Edm.String', nullable: NN },
    { name: 'title', type: 'Edm.String', nullable: NN },
    { name: 'rule', type: 'Edm.String', nullable: NN },
    { name: 'indicators', type: 'Edm.Int32', nullable: NN },
  ],
  SECURITY_NAMESPACE,
  true,
);
export const importFileSummary = complexType(
  'importFileSummary',
  [
    { name: 'format', type: 'Edm.String' },
    { name: 'profiles', type: 'Collection(self.importPlacement)' },
    { name: 'withoutProfile', type: 'Edm.Int32', nullable: NN },
  ],
  SECURITY_NAMESPACE,
  true,
);
/** Entities other than profiles and indicators an import wrote (vulnerabilities, certificates, whois records …), by type. */
export const importEntityCounts = complexType(
  'importEntityCounts',
  [
    { name: 'type', type: 'Edm.String', nullable: NN },
    { name: 'created', type: 'Edm.Int32', nullable: NN },
    { name: 'updated', type: 'Edm.Int32', nullable: NN },
    { name: 'unchanged', type: 'Edm.Int32', nullable: NN },
  ],
  SECURITY_NAMESPACE,
  true,
);
export const importSummary = complexType(
  'importSummary',
  [
    { name: 'profiles', type: 'self.importProfileCounts', nullable: NN },
    { name: 'indicators', type: 'self.importIndicatorCounts', nullable: NN },
    { name: 'mergedInBatch', type: 'Edm.Int32', nullable: NN },
    { name: 'hostsFromUrls', type: 'Edm.Int32', nullable: NN },
    { name: 'orphansAdopted', type: 'Edm.Int32', nullable: NN },
    { name: 'keptUnderProfile', type: 'Edm.Int32', nullable: NN },
    { name: 'files', type: 'Collection(self.importFileSummary)' },
    { name: 'entities', type: 'Collection(self.importEntityCounts)' },
    { name: 'batches', type: 'Edm.Int32', nullable: NN },
    { name: 'aborted', type: 'Edm.Boolean', nullable: NN },
    { name: 'skipped', type: 'self.importReasons', nullable: NN },
    { name: 'rejected', type: 'self.importReasons', nullable: NN },
    { name: 'elapsedMs', type: 'Edm.Int64', nullable: NN },
  ],
  SECURITY_NAMESPACE,
  true,
);
export const importJob = entityType(
  'importJob',
  'graph.entity',
  [
    { name: 'status', type: 'self.importJobStatus', nullable: NN },
    { name: 'createdDateTime', type: 'Edm.DateTimeOffset', nullable: NN },
    { name: 'completedDateTime', type: 'Edm.DateTimeOffset' },
    /** Refreshed while the job runs; a queued or running job not refreshed for a while belongs to a stopped server. */
    { name: 'lastUpdatedDateTime', type: 'Edm.DateTimeOffset', nullable: NN },
    { name: 'format', type: 'Edm.String' },
    { name: 'summary', type: 'self.importSummary' },
    { name: 'error', type: 'Edm.String' },
  ],
  [],
  EXT,
);

export const IMPORT_JOB_TYPES = [importJobStatus, importProfileCounts, importIndicatorCounts, importReason, importReasons, importPlacement, importFileSummary, importEntityCounts, importSummary, importJob] as const;

/** The collection of import jobs: a contained navigation of threatIntelligence. */
export const IMPORT_JOBS_NAVIGATION = { name: 'importJobs', type: `Collection(self.${importJob.name})`, containsTarget: true, extension: true } as const;

/** The bulk import action: any import format as the body, read as bytes; needs write access. */
export const IMPORT_ACTION = {
  namespace: SECURITY_NAMESPACE,
  name: 'import',
  bindingType: 'self.threatIntelligence',
  returnType: `self.${importJob.name}`,
  body: 'bytes',
  access: 'write',
  queryParameters: ['format', 'profile', 'source', 'strict', 'name', 'host'],
  extension: true,
} as const satisfies ActionDecl;
