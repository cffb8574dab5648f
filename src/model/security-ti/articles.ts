/**
 * Articles (Microsoft Defender TI's published analyses) and their indicators, transcribed from the official CSDL
 * (`security-ti-all-v1.0.xml`; beta identical). `articleIndicator` itself lives with the other indicators.
 */
import { entityType } from '../declare.js';

const NN = false; // Nullable="false"

export const article = entityType(
  'article',
  'graph.entity',
  [
    { name: 'body', type: 'self.formattedContent', nullable: NN },
    { name: 'createdDateTime', type: 'Edm.DateTimeOffset', nullable: NN },
    { name: 'imageUrl', type: 'Edm.String', freeText: true },
    { name: 'isFeatured', type: 'Edm.Boolean', nullable: NN },
    { name: 'lastUpdatedDateTime', type: 'Edm.DateTimeOffset', nullable: NN },
    { name: 'summary', type: 'self.formattedContent', nullable: NN },
    { name: 'tags', type: 'Collection(Edm.String)' },
    { name: 'title', type: 'Edm.String', nullable: NN },
  ],
  [{ name: 'indicators', type: 'Collection(self.articleIndicator)' }],
);
